"""Student-style implementations of the frameworks notebook's graded functions (tests/contract.py).

CORRECT[name]: written unlike the reference (jax.nn, jax.scipy, lax loops, another
form of the math), must pass. WRONG[name]: (implementation, substring of the diagnosis,
mistake tag), each a mistake students make with a framework: the wrong sign, a step too
many, a JAX array for a float, relu on the logits, NumPy inside jax.grad, a sum for a
mean, a softmax without its max shift.
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import logsumexp


def _cost(w):
    return w ** 2 - 10 * w + 25


# ---------------------------------------------------------------- minimize_quadratic: correct

def mq_without_jit(learning_rate=0.1, num_steps=1000):
    """The plain loop, jax.grad un-compiled (slow, about 2 ms a step, but right)."""
    w = 0.0
    for i in range(num_steps):
        w = w - learning_rate * jax.grad(_cost)(w)
    return float(w)


def mq_fori_loop(learning_rate=0.1, num_steps=1000):
    grad = jax.grad(_cost)
    w = jax.lax.fori_loop(0, num_steps, lambda i, w: w - learning_rate * grad(w), jnp.array(0.0))
    return float(w)


def mq_value_and_grad(learning_rate=0.1, num_steps=1000):
    step = jax.jit(jax.value_and_grad(lambda w: (w - 5.0) ** 2))
    w = jnp.zeros(())
    for _ in range(num_steps):
        _, g = step(w)
        w -= learning_rate * g
    return w.item()


# ---------------------------------------------------------------- minimize_quadratic: wrong

def mq_ascent(learning_rate=0.1, num_steps=1000):
    grad = jax.jit(jax.grad(_cost))
    w = 0.0
    for _ in range(num_steps):
        w = w + learning_rate * grad(w)
    return float(w)


def mq_one_step_too_many(learning_rate=0.1, num_steps=1000):
    grad = jax.jit(jax.grad(_cost))
    w = 0.0
    for _ in range(num_steps + 1):
        w = w - learning_rate * grad(w)
    return float(w)


def mq_returns_jax_array(learning_rate=0.1, num_steps=1000):
    grad = jax.jit(jax.grad(_cost))
    w = jnp.array(0.0)
    for _ in range(num_steps):
        w = w - learning_rate * grad(w)
    return w


def mq_hard_coded(learning_rate=0.1, num_steps=1000):
    return 5.0


def mq_returns_cost(learning_rate=0.1, num_steps=1000):
    grad = jax.jit(jax.grad(_cost))
    w = 0.0
    for _ in range(num_steps):
        w = w - learning_rate * grad(w)
    return float(_cost(w))


# ---------------------------------------------------------------- forward_propagation: correct

def fp_jax_nn(X, parameters):
    A = X
    for l in (1, 2):
        A = jax.nn.relu(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return parameters["W3"] @ A + parameters["b3"]


def fp_where(X, parameters):
    Z1 = jnp.matmul(parameters["W1"], X) + parameters["b1"]
    A1 = jnp.where(Z1 > 0, Z1, 0.0)
    Z2 = jnp.matmul(parameters["W2"], A1) + parameters["b2"]
    A2 = Z2 * (Z2 > 0)
    return jnp.matmul(parameters["W3"], A2) + parameters["b3"]


def fp_float32(X, parameters):
    """Everything cast to float32 first (as a GPU would compute)."""
    p = {k: jnp.asarray(v, dtype=jnp.float32) for k, v in parameters.items()}
    A1 = jax.nn.relu(jnp.dot(p["W1"], jnp.asarray(X, jnp.float32)) + p["b1"])
    A2 = jax.nn.relu(jnp.dot(p["W2"], A1) + p["b2"])
    return jnp.dot(p["W3"], A2) + p["b3"]


# ---------------------------------------------------------------- forward_propagation: wrong

def fp_relu_on_output(X, parameters):
    A1 = jnp.maximum(0, parameters["W1"] @ X + parameters["b1"])
    A2 = jnp.maximum(0, parameters["W2"] @ A1 + parameters["b2"])
    return jnp.maximum(0, parameters["W3"] @ A2 + parameters["b3"])


def fp_numpy_relu(X, parameters):
    Z1 = jnp.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = jnp.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = np.maximum(0, Z2)
    return jnp.dot(parameters["W3"], A2) + parameters["b3"]


def fp_transposed(X, parameters):
    A1 = jax.nn.relu(X.T @ parameters["W1"].T + parameters["b1"].T)
    A2 = jax.nn.relu(A1 @ parameters["W2"].T + parameters["b2"].T)
    return A2 @ parameters["W3"].T + parameters["b3"].T


def fp_softmax_output(X, parameters):
    A1 = jax.nn.relu(parameters["W1"] @ X + parameters["b1"])
    A2 = jax.nn.relu(parameters["W2"] @ A1 + parameters["b2"])
    return jax.nn.softmax(parameters["W3"] @ A2 + parameters["b3"], axis=0)


def fp_sigmoid_hidden(X, parameters):
    A1 = jax.nn.sigmoid(parameters["W1"] @ X + parameters["b1"])
    A2 = jax.nn.sigmoid(parameters["W2"] @ A1 + parameters["b2"])
    return parameters["W3"] @ A2 + parameters["b3"]


# ---------------------------------------------------------------- compute_cost: correct

def cc_log_softmax(logits, Y):
    return -jnp.mean(jnp.sum(Y * jax.nn.log_softmax(logits, axis=0), axis=0))


def cc_logsumexp(logits, Y):
    m = logits.shape[1]
    return (jnp.sum(logsumexp(logits, axis=0)) - jnp.sum(logits * Y)) / m


def cc_transposed_rows(logits, Y):
    """Examples as rows, as in TensorFlow's tf.nn.softmax_cross_entropy_with_logits(labels=Y.T, logits=logits.T)."""
    z, y = logits.T, Y.T
    z = z - jax.lax.stop_gradient(z.max(axis=1, keepdims=True))
    return jnp.mean(-jnp.sum(y * (z - jnp.log(jnp.exp(z).sum(axis=1, keepdims=True))), axis=1))


# ---------------------------------------------------------------- compute_cost: wrong

def cc_sum(logits, Y):
    return -jnp.sum(Y * jax.nn.log_softmax(logits, axis=0))


def cc_no_max_shift(logits, Y):
    probs = jnp.exp(logits) / jnp.sum(jnp.exp(logits), axis=0, keepdims=True)
    return -jnp.sum(Y * jnp.log(probs)) / Y.shape[1]


def cc_log_of_softmax(logits, Y):
    return -jnp.sum(Y * jnp.log(jax.nn.softmax(logits, axis=0))) / Y.shape[1]


def cc_mean_over_everything(logits, Y):
    return -jnp.mean(Y * jax.nn.log_softmax(logits, axis=0))


def cc_wrong_axis(logits, Y):
    return -jnp.sum(Y * jax.nn.log_softmax(logits, axis=1)) / Y.shape[1]


def cc_numpy_exp(logits, Y):
    shifted = logits - jnp.max(logits, axis=0, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
    return -jnp.sum(Y * log_probs) / Y.shape[1]


CORRECT = {
    "minimize_quadratic": [mq_without_jit, mq_fori_loop, mq_value_and_grad],
    "forward_propagation": [fp_jax_nn, fp_where, fp_float32],
    "compute_cost": [cc_log_softmax, cc_logsumexp, cc_transposed_rows],
}

WRONG = {
    "minimize_quadratic": [
        (mq_ascent, "moved up the gradient", "quadratic.ascent"),
        (mq_one_step_too_many, "one too many", "quadratic.off_by_one"),
        (mq_returns_jax_array, "returned a JAX array", "quadratic.not_float"),
        (mq_hard_coded, "5.0 is where the minimum is", "quadratic.hard_coded"),
        (mq_returns_cost, "not w: return w", "quadratic.returned_cost"),
    ],
    "forward_propagation": [
        (fp_relu_on_output, "relu was applied to the output layer", "fp.relu_on_output"),
        (fp_numpy_relu, "calls NumPy on a traced array at `A1 = np.maximum(0, Z1)`: use jnp.maximum, not np.maximum",
         "jax.not_traceable"),
        (fp_transposed, "the transpose of", "fp.transposed"),
        (fp_softmax_output, "you returned probabilities", "fp.softmax_output"),
        (fp_sigmoid_hidden, "the hidden layers use sigmoid", "fp.sigmoid_hidden"),
    ],
    "compute_cost": [
        (cc_sum, "that is the sum over the examples", "cost.sum_not_mean"),
        (cc_no_max_shift, "exp(750) overflows", "cost.unstable"),
        (cc_log_of_softmax, "not jnp.log of the softmax", "cost.log_of_probabilities"),
        (cc_mean_over_everything, "mean over all C * m entries", "cost.mean_over_classes"),
        (cc_wrong_axis, "along the examples (axis=1)", "cost.softmax_axis"),
        (cc_numpy_exp, "use jnp.exp, jnp.log, jnp.sum instead of np.exp, np.log, np.sum", "jax.not_traceable"),
    ],
}
