"""Numerical gradients by centered differences (cs231n style), for checking backprop."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Centered-difference gradient of a scalar function.

    Inputs:
    - f: callable() -> float that reads x (x is perturbed in place and restored)
    - x: float array of any shape
    - h: step

    Returns:
    - grad: array shaped like x, (f(x + h e_i) - f(x - h e_i)) / (2h) per entry
    """
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
        it.iternext()
    return grad


def numerical_param_gradients(cost_of_params, parameters, h=1e-5):
    """Numerical gradients of cost_of_params(parameters) for every W and b.

    Inputs:
    - cost_of_params: callable(parameters dict) -> float
    - parameters: dict of float arrays (copied; the input is not modified)

    Returns:
    - grads: dict {"dW1": ..., "db1": ..., ...} shaped like the parameters
    """
    params = {k: np.array(v, dtype=float) for k, v in parameters.items()}
    return {"d" + k: numerical_gradient(lambda: cost_of_params(params), params[k], h) for k in params}


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|, 1e-12), elementwise maximum."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))
