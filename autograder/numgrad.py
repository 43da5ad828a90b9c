"""Numerical gradients by centered differences (cs231n style), for checking backprop.

numerical_gradient is the notebooks' own (course/numgrad.py): one implementation for both.
"""

import numpy as np

from course.numgrad import numerical_gradient


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
