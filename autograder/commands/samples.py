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
}


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
