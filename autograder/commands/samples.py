"""Bundled sample submissions: what a class really hands in.

SAMPLES maps each assignment to {student id: recipe}. A recipe says how the
student's notebooks are made from the release (see `make_submission`; `hand_in` writes them
into a course directory's submitted/ folder):

- ``None``: the release, untouched
- a dict, every key optional:
  - ``"answers": {grade_id: code}``: every solution cell answered with the
    reference solution, except the ones named here
  - ``"insert_after": {grade_id: code}``: an extra student code cell right after that cell
  - ``"delete": [grade_id, ...]``: cells removed from the submission
  - ``"raw": {notebook_name: bytes or callable}``: the file's bytes instead of a
    notebook; a callable gets the bytes the recipe would otherwise write and
    returns the bytes to write (see `truncated`)

grade_ids are unique within an assignment, so a recipe names cells without
naming their notebook.
"""

import copy
from pathlib import Path

import nbformat

from autograder import notebooks as nbt
from autograder.plugins.cells import grade_id

HE_WITH_1_OVER_N = '''# GRADED FUNCTION: initialize_parameters_he
def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(1 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''

# Correct on the notebook's nets, but `l` never moves on after a one-unit layer:
# only the hidden check (layers_dims=[4, 1, 3, 1]) runs into the endless loop.
HE_WITH_ENDLESS_LOOP = '''# GRADED FUNCTION: initialize_parameters_he
def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    l = 1
    while l < len(layers_dims):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters["W" + str(l)] = np.random.randn(n, n_prev) * np.sqrt(2 / n_prev)
        parameters["b" + str(l)] = np.zeros((n, 1))
        if n_prev > 1:
            l += 1
    return parameters
'''

# A student's "stop here" line, left in the notebook: the kernel process exits.
KERNEL_EXIT = '''import os
os._exit(1)
'''


# Week 2: Adam without the bias correction (v and s used as they are).
ADAM_WITHOUT_BIAS_CORRECTION = '''# GRADED FUNCTION: update_parameters_with_adam
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, dkey = p + str(l), "d" + p + str(l)
            v[dkey] = beta1 * v[dkey] + (1 - beta1) * grads[dkey]
            s[dkey] = beta2 * s[dkey] + (1 - beta2) * grads[dkey] ** 2
            v_corrected[dkey] = v[dkey]
            s_corrected[dkey] = s[dkey]
            parameters[key] = parameters[key] - learning_rate * v[dkey] / (np.sqrt(s[dkey]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected
'''

# Week 2, correct but written the original course's way: a permutation of range(m),
# Y reshaped to (1, m), whole batches counted with math.floor, then the remainder.
MINI_BATCHES_ORIGINAL_STYLE = '''# GRADED FUNCTION: random_mini_batches
import math

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    mini_batches = []
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size:]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size:]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches
'''


# Common mistakes of a real class, one misconception each (COMMON_MISTAKES below).
# Week 1: dropout that switches units off but never scales the kept ones up by 1/keep_prob.
DROPOUT_WITHOUT_RESCALE = '''# GRADED FUNCTION: forward_propagation_with_dropout
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    D1 = (np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob).astype(int)
    A1 = A1 * D1
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    D2 = (np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob).astype(int)
    A2 = A2 * D2
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
'''

# Week 1: the one-sided difference (J(theta + eps) - J(theta)) / eps, in both gradient checks.
GRADIENT_CHECK_ONE_SIDED = '''# GRADED FUNCTION: gradient_check
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    J_plus = forward_propagation(x, theta + epsilon)
    J = forward_propagation(x, theta)
    gradapprox = (J_plus - J) / epsilon
    grad = backward_propagation(x, theta)
    difference = float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
    if print_msg:
        print(verdict(difference))
    return difference
'''

GRADIENT_CHECK_N_ONE_SIDED = '''# GRADED FUNCTION: gradient_check_n
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, layout = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    J, _ = forward_propagation_n(X, Y, parameters)
    gradapprox = np.zeros((parameters_values.shape[0], 1))
    for i in range(parameters_values.shape[0]):
        theta_plus = np.copy(parameters_values)
        theta_plus[i] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layout))
        gradapprox[i] = (J_plus - J) / epsilon
    difference = float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
    if print_msg:
        print(verdict(difference))
    return difference
'''

# Week 1: the L2 cost with lambd / m, the factor of the derivative, instead of lambd / (2 m).
L2_COST_OVER_M = '''# GRADED FUNCTION: compute_cost_with_regularization
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    return compute_cost(A3, Y) + lambd / m * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
'''

# Week 2: RMSprop written like momentum: s averages the gradients, not their squares.
RMSPROP_WITHOUT_SQUARE = '''# GRADED FUNCTION: update_parameters_with_rmsprop
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, dkey = p + str(l), "d" + p + str(l)
            s[dkey] = beta2 * s[dkey] + (1 - beta2) * grads[dkey]
            parameters[key] = parameters[key] - learning_rate * grads[dkey] / (np.sqrt(np.abs(s[dkey])) + epsilon)
    return parameters, s
'''

# Week 2: Adam's second moment weighted with beta1, the first moment's beta.
ADAM_BETA1_FOR_S = '''# GRADED FUNCTION: update_parameters_with_adam
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, dkey = p + str(l), "d" + p + str(l)
            v[dkey] = beta1 * v[dkey] + (1 - beta1) * grads[dkey]
            v_corrected[dkey] = v[dkey] / (1 - beta1 ** t)
            s[dkey] = beta1 * s[dkey] + (1 - beta1) * np.square(grads[dkey])
            s_corrected[dkey] = s[dkey] / (1 - beta2 ** t)
            parameters[key] = parameters[key] - learning_rate * v_corrected[dkey] / (np.sqrt(s_corrected[dkey]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected
'''


# Week 3: batch norm's variance with 1/(m - 1) (the unbiased estimate); the rest as it should be.
BATCHNORM_UNBIASED_VARIANCE = '''# GRADED FUNCTION: batchnorm_forward
def batchnorm_forward(Z, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-8)
    momentum = bn_param.get("momentum", 0.9)
    n = Z.shape[0]
    running_mean = bn_param.get("running_mean", np.zeros((n, 1)))
    running_var = bn_param.get("running_var", np.zeros((n, 1)))
    if bn_param["mode"] == "train":
        mu = Z.mean(axis=1, keepdims=True)
        var = Z.var(axis=1, ddof=1, keepdims=True)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
    Z_norm = (Z - mu) / np.sqrt(var + eps)
    bn_param["running_mean"], bn_param["running_var"] = running_mean, running_var
    return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)
'''

# Week 3: learning rates drawn uniformly between low and high, not on a log scale.
LEARNING_RATES_LINEAR = '''# GRADED FUNCTION: sample_learning_rates
def sample_learning_rates(n, low=1e-4, high=1.0):
    return np.random.uniform(low, high, size=n)
'''


# Week 3: NumPy's maximum in the forward pass: right numbers, but jax.grad cannot trace it.
FORWARD_WITH_NUMPY_RELU = '''# GRADED FUNCTION: forward_propagation
def forward_propagation(X, parameters):
    Z1 = jnp.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = jnp.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = np.maximum(0, Z2)
    return jnp.dot(parameters["W3"], A2) + parameters["b3"]
'''


def truncated(data, keep=0.5):
    """The first part of a file, as an interrupted save leaves it (not valid JSON)."""
    return data[: int(len(data) * keep)]


SAMPLES = {
    "week1": {
        "perfect": {"answers": {}},
        "one-mistake": {"answers": {"initialize_parameters_he": HE_WITH_1_OVER_N}},
        "untouched": None,
        "infinite-loop": {"answers": {"initialize_parameters_he": HE_WITH_ENDLESS_LOOP}},
        "kernel-crash": {"answers": {}, "insert_after": {"initialize_parameters_he": KERNEL_EXIT}},
        "deleted-test-cell": {"answers": {}, "delete": ["test_compute_cost_with_regularization"]},
        "corrupted": {"answers": {}, "raw": {"gradient_checking": truncated}},
    },
    "week2": {
        "perfect": {"answers": {}},
        "original-course-style": {"answers": {"random_mini_batches": MINI_BATCHES_ORIGINAL_STYLE}},
        "no-bias-correction": {"answers": {"update_parameters_with_adam": ADAM_WITHOUT_BIAS_CORRECTION}},
        "untouched": None,
    },
    "week3": {
        "perfect": {"answers": {}},
        "unbiased-variance": {"answers": {"batchnorm_forward": BATCHNORM_UNBIASED_VARIANCE}},
        "linear-scale": {"answers": {"sample_learning_rates": LEARNING_RATES_LINEAR}},
        "numpy-in-jax": {"answers": {"forward_propagation": FORWARD_WITH_NUMPY_RELU}},
        "untouched": None,
    },
}

# Week 2: learning-rate decay without the "1 +": divides by zero at epoch 0.
LR_DECAY_WITHOUT_ONE_PLUS = '''# GRADED FUNCTION: update_lr
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (decay_rate * epoch_num)
'''


# More students of the demo class, each with a common mistake the hidden checks name
# (the class-wide mistake report, `python -m autograder report`, counts them). Kept apart
# from SAMPLES, whose week-1 students and scores tests/test_nbgrader_workflow.py checks;
# `demo_class` is both.
COMMON_MISTAKES = {
    "week1": {
        "dropout-no-rescale": {"answers": {"forward_propagation_with_dropout": DROPOUT_WITHOUT_RESCALE}},
        "one-sided-check": {"answers": {"gradient_check": GRADIENT_CHECK_ONE_SIDED,
                                        "gradient_check_n": GRADIENT_CHECK_N_ONE_SIDED}},
        "l2-and-he": {"answers": {"compute_cost_with_regularization": L2_COST_OVER_M,
                                  "initialize_parameters_he": HE_WITH_1_OVER_N}},
    },
    "week2": {
        "rmsprop-no-square": {"answers": {"update_parameters_with_rmsprop": RMSPROP_WITHOUT_SQUARE}},
        "adam-beta1-for-s": {"answers": {"update_parameters_with_adam": ADAM_BETA1_FOR_S}},
        "decay-and-adam": {"answers": {"update_lr": LR_DECAY_WITHOUT_ONE_PLUS,
                                       "update_parameters_with_adam": ADAM_WITHOUT_BIAS_CORRECTION}},
    },
}


def demo_class(samples=SAMPLES, mistakes=COMMON_MISTAKES):
    """{assignment: {student: recipe}}: the samples and the common mistakes together."""
    return {a: {**students, **mistakes.get(a, {})} for a, students in samples.items()}


def make_submission(release_nb, source_nb, recipe):
    """One submitted notebook from the release and source versions and a recipe.

    Returns:
    - a new notebook (the inputs are not modified); `raw` is applied by `submission_bytes`
    """
    if recipe is None:
        return copy.deepcopy(release_nb)
    nb = nbt.fill_solutions(release_nb, source_nb, replace=recipe.get("answers"))
    delete = set(recipe.get("delete", ()))
    inserts = recipe.get("insert_after", {})
    with_ids = any("id" in c for c in nb.cells)
    cells = []
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid not in delete:
            cells.append(cell)
        if gid in inserts:
            extra = nbformat.v4.new_code_cell(inserts[gid])
            if with_ids:
                extra["id"] = f"student-{gid}"[:64]
            else:
                extra.pop("id", None)
            cells.append(extra)
    nb.cells = cells
    return nb


def submission_bytes(release_nb, source_nb, recipe, notebook_name):
    """The bytes of one submitted file (a notebook, or the raw replacement the recipe names)."""
    nb = make_submission(release_nb, source_nb, recipe)
    data = (nbformat.writes(nb) + "\n").encode()
    raw = (recipe or {}).get("raw", {}).get(notebook_name)
    if raw is None:
        return data
    return raw(data) if callable(raw) else raw


def hand_in(course_dir, assignment, student, recipe):
    """Write submitted/<student>/<assignment>/ from the release, the source answers and a recipe.

    Returns the folder written.
    """
    course_dir = Path(course_dir)
    out = course_dir / "submitted" / student / assignment
    out.mkdir(parents=True, exist_ok=True)
    for release_path in nbt.notebooks(course_dir / "release" / assignment):
        source_nb = nbt.read(course_dir / "source" / assignment / release_path.name)
        data = submission_bytes(nbt.read(release_path), source_nb, recipe, release_path.stem)
        (out / release_path.name).write_bytes(data)
    return out
