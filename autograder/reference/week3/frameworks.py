"""Reference of week 3, notebook `frameworks`: the JAX solutions and their NumPy twins.

The three graded functions are written here exactly as in the notebook's solution
cells (tests/test_solutions.py compares them), in JAX. The hidden checks judge the
students' answers against the NumPy twins below, which compute the same values and
gradients without JAX: the closed form of gradient descent on the quadratic, and the
3-layer softmax net with its backward pass by hand (course/softmax_net.py).
"""

import jax
import jax.numpy as jnp
import numpy as np

from course import softmax_net


def minimize_quadratic(learning_rate=0.1, num_steps=1000):
    """
    Gradient descent on J(w) = w^2 - 10 w + 25 from w = 0, with the gradient from jax.grad.

    Inputs:
    - learning_rate: the step size alpha
    - num_steps: how many steps to take

    Returns:
    - w: a Python float, w after num_steps steps
    """
    def cost(w):
        return w ** 2 - 10 * w + 25

    w = 0.0
    grad_cost = jax.jit(jax.grad(cost))
    for _ in range(num_steps):
        w = w - learning_rate * grad_cost(w)
    return float(w)


def forward_propagation(X, parameters):
    """
    LINEAR -> RELU -> LINEAR -> RELU -> LINEAR, in jax.numpy.

    Inputs:
    - X: data, shape (n_x, m), one example per column
    - parameters: dict W1 (n1, n_x), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1), W3 (C, n2), b3 (C, 1)

    Returns:
    - Z3: the logits, shape (C, m) (no softmax: compute_cost applies it)
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = jnp.dot(W1, X) + b1
    A1 = jnp.maximum(0, Z1)
    Z2 = jnp.dot(W2, A1) + b2
    A2 = jnp.maximum(0, Z2)
    Z3 = jnp.dot(W3, A2) + b3
    return Z3


def compute_cost(logits, Y):
    """
    Mean softmax cross-entropy over the examples, in jax.numpy, stable for large logits.

    Inputs:
    - logits: shape (C, m), one column per example
    - Y: one-hot labels, shape (C, m)

    Returns:
    - cost: a scalar, -(1/m) * sum over examples and classes of Y * log(softmax(logits))
    """
    m = Y.shape[1]
    shifted = logits - jnp.max(logits, axis=0, keepdims=True)
    log_probs = shifted - jnp.log(jnp.sum(jnp.exp(shifted), axis=0, keepdims=True))
    cost = -jnp.sum(Y * log_probs) / m
    return cost


# ---------------------------------------------------------------- the NumPy twins the checks judge with

def quadratic_after(learning_rate, num_steps):
    """w after num_steps steps of gradient descent on (w - 5)^2 from 0: 5 (1 - (1 - 2 alpha)^k)."""
    return 5.0 * (1.0 - (1.0 - 2.0 * learning_rate) ** num_steps)


def numpy_forward(X, parameters):
    """(logits (C, m), cache) of the net, in NumPy."""
    return softmax_net.forward_propagation(np.asarray(X, dtype=float),
                                           {k: np.asarray(v, dtype=float) for k, v in parameters.items()})


def numpy_forward_vjp(X, parameters, cotangent):
    """Gradients of sum(cotangent * logits) w.r.t. the parameters, keyed W1, b1, ... like them."""
    _, cache = numpy_forward(X, parameters)
    grads = softmax_net.backward_from_logits(np.asarray(cotangent, dtype=float), cache)
    return {k: grads["d" + k] for k in parameters}


def numpy_cost(logits, Y):
    return softmax_net.compute_cost(np.asarray(logits, dtype=float), np.asarray(Y, dtype=float))


def numpy_cost_grad(logits, Y):
    """dJ/dlogits = (softmax(logits) - Y) / m, shape (C, m)."""
    Y = np.asarray(Y, dtype=float)
    return (np.exp(softmax_net.log_softmax(np.asarray(logits, dtype=float))) - Y) / Y.shape[1]
