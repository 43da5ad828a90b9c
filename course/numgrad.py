"""A small numerical-gradient helper for the notebooks (centered differences, as in cs231n).

    grad = numerical_gradient(f, x)    # f() reads x; x is nudged in place, entry by entry, and restored
    relative_error(analytic, grad)     # ||a - b|| / (||a|| + ||b||)
"""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """(f(x + h e_i) - f(x - h e_i)) / (2h) for every entry i of the float array x; same shape as x."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||), the relative error of two gradients (0 when both are 0)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)
