"""Visible checks of week 3, notebook `frameworks`: types, shapes, the notebook's examples, and jax.grad.

The notebook imports this module as `checks`; each check_<name>(fn) prints one line on
success and raises AssertionError saying what to fix otherwise. The expected values are
the NumPy net's (course/softmax_net.py) on the notebook's examples; JAX computes in float32,
so they are compared to about 1e-5.
"""

import jax
import jax.numpy as jnp
import numpy as np

from course import softmax_net
from course.checks._common import _expect_shape, _fail, _ok

RTOL = 1e-4


def make_example(seed=1):
    """The notebook's example: X (4, 3) and the parameters of a [4, 5, 3, 2] net, from RandomState(seed).

    Returns (X, parameters): W1 (5, 4), b1 (5, 1), W2 (3, 5), b2 (3, 1), W3 (2, 3), b3 (2, 1), float32."""
    rng = np.random.RandomState(seed)
    dims = [4, 5, 3, 2]
    X = rng.randn(4, 3).astype(np.float32)
    parameters = {}
    for l in (1, 2, 3):
        parameters[f"W{l}"] = rng.randn(dims[l], dims[l - 1]).astype(np.float32)
        parameters[f"b{l}"] = (0.5 * rng.randn(dims[l], 1)).astype(np.float32)
    return X, parameters


def make_cost_example():
    """Logits (3, 4) of 3 classes for 4 examples, and one-hot labels Y (3, 4) (classes 0, 2, 1, 2)."""
    logits = np.array([[2.0, -1.0, 0.5, 0.0], [1.0, 0.0, 3.0, -2.0], [-1.0, 2.0, 0.5, 1.0]], dtype=np.float32)
    Y = np.zeros((3, 4), dtype=np.float32)
    Y[[0, 2, 1, 2], np.arange(4)] = 1.0
    return logits, Y


def _not_traceable(name, exc):
    if isinstance(exc, jax.errors.TracerArrayConversionError):
        _fail(name, "calls NumPy on a traced array, so jax.grad cannot differentiate it: inside the function use "
                    "jnp.maximum, jnp.dot, jnp.exp, jnp.log, jnp.sum ... (jax.numpy), not np.maximum, np.dot ...")
    if isinstance(exc, jax.errors.TracerBoolConversionError):
        _fail(name, "uses a traced array in an if or while, so jax.grad cannot differentiate it: use jnp.where or "
                    "jnp.maximum")
    if isinstance(exc, jax.errors.ConcretizationTypeError):
        _fail(name, "turns a traced array into a Python number (float(), int(), .item()), so jax.grad cannot "
                    "differentiate it: keep it a jnp array inside the function")
    raise exc


def _grad(name, scalar_fn, arg):
    """jax.grad of scalar_fn at arg, with a friendly message when the function cannot be traced."""
    try:
        return jax.jit(jax.grad(scalar_fn))(arg)   # compiled once: faster than operation by operation
    except NotImplementedError:
        raise
    except (jax.errors.TracerArrayConversionError, jax.errors.TracerBoolConversionError,
            jax.errors.ConcretizationTypeError) as exc:
        _not_traceable(name, exc)


def check_minimize_quadratic(fn):
    name = "minimize_quadratic"
    for lr, k in ((0.1, 1), (0.01, 10), (0.3, 5), (0.1, 0)):
        w = fn(lr, k)
        if not isinstance(w, float):
            _fail(name, f"returned a {type(w).__name__}, expected a Python float: return float(w)")
        expected = 5.0 * (1.0 - (1.0 - 2.0 * lr) ** k)
        if not np.isclose(w, expected, rtol=RTOL, atol=1e-5):
            hint = " Gradient descent subtracts: w = w - learning_rate * grad." if w < 0 else ""
            _fail(name, f"with learning_rate={lr} and num_steps={k}, w = {w:.6g}, expected {expected:.6g} "
                        f"(start at w = 0.0, take exactly num_steps steps).{hint}")
    _ok(name)


def check_forward_propagation(fn):
    name = "forward_propagation"
    X, parameters = make_example()
    Z3 = np.asarray(fn(X, parameters), dtype=float)
    _expect_shape(name, "the logits", Z3, (2, 3))
    expected, _ = softmax_net.forward_propagation(X.astype(float), {k: v.astype(float) for k, v in parameters.items()})
    if not np.allclose(Z3, expected, rtol=RTOL, atol=1e-5):
        hint = " The output layer is LINEAR only (no relu, no softmax)." if (expected < 0).any() and \
            (Z3 >= 0).all() else ""
        _fail(name, f"the logits are off (largest difference {np.max(np.abs(Z3 - expected)):.3g}): LINEAR -> RELU -> "
                    f"LINEAR -> RELU -> LINEAR, Z = jnp.dot(W, A) + b.{hint}")
    grads = _grad(name, lambda p: jnp.sum(fn(X, p)), {k: jnp.asarray(v) for k, v in parameters.items()})
    _, cache = softmax_net.forward_propagation(X.astype(float), {k: v.astype(float) for k, v in parameters.items()})
    expected_grads = softmax_net.backward_from_logits(np.ones((2, 3)), cache)
    for k in parameters:
        if not np.allclose(np.asarray(grads[k]), expected_grads["d" + k], rtol=RTOL, atol=1e-4):
            _fail(name, f"jax.grad's gradient of {k} differs from backpropagation's: does part of the computation "
                        "leave JAX?")
    _ok(name)


def check_compute_cost(fn):
    name = "compute_cost"
    logits, Y = make_cost_example()
    cost = np.asarray(fn(logits, Y), dtype=float)
    if cost.size != 1:
        _fail(name, f"returned an array of shape {cost.shape}, expected a single number (the mean over the examples)")
    expected = softmax_net.compute_cost(logits.astype(float), Y.astype(float))
    if not np.isclose(float(cost.reshape(-1)[0]), expected, rtol=RTOL):
        hint = " That is the sum over the examples: divide by m." if np.isclose(cost, expected * 4, rtol=RTOL) else ""
        _fail(name, f"the cost is {float(cost.reshape(-1)[0]):.6g}, expected {expected:.6g}: "
                    f"-(1/m) * sum(Y * log_softmax(logits)), softmax over each column.{hint}")
    large = np.asarray(fn(logits + 100.0, Y), dtype=float)
    if not np.all(np.isfinite(large)) or not np.isclose(float(large.reshape(-1)[0]), expected, rtol=1e-3):
        _fail(name, f"with the logits + 100 (the softmax does not change) the cost is {large.reshape(-1)[0]}: exp(100) "
                    "overflows in float32. Subtract each column's max from the logits before jnp.exp")
    g = _grad(name, lambda z: jnp.sum(fn(z, Y)), jnp.asarray(logits))
    expected_grad = (np.exp(softmax_net.log_softmax(logits.astype(float))) - Y) / 4
    if not np.allclose(np.asarray(g), expected_grad, rtol=RTOL, atol=1e-5):
        _fail(name, "jax.grad's gradient of the cost differs from (softmax - Y) / m: does part of it leave JAX?")
    _ok(name)
