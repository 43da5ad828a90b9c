"""What the batchnorm checks share: reading answers, comparing arrays (NaN-aware), naming mistakes."""

import numpy as np

from autograder.hidden.common import fail, quiet
from autograder.reference.week3 import batchnorm as ref  # noqa: F401 (the checks' reference)

RTOL, ATOL = 1e-6, 1e-10


def array(name, prefix, value, what, where_):
    """value as a float array (a list of numbers is accepted). Tags: <prefix>.none, <prefix>.not_array."""
    if value is None:
        fail(name, f"{what} is None {where_}: did you forget a return?", f"{prefix}.none")
    try:
        with quiet():
            a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{what} should be a NumPy array of numbers, got {type(value).__name__} {where_}",
             f"{prefix}.not_array")
    return a


def same(a, b, rtol=RTOL, atol=ATOL):
    """Same shape and close, NaN matching NaN (a wrong formula may overflow the same way)."""
    with quiet():
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def first_mistake(got, mistakes, rtol=RTOL, atol=ATOL):
    """(tag, message) of the first (tag, message, candidate) whose candidate equals got, or None."""
    for tag, message, candidate in mistakes:
        if candidate is not None and same(got, candidate, rtol, atol):
            return tag, message
    return None


def worst(got, expected):
    """Text of the entry that differs most."""
    g, e = np.ravel(got), np.ravel(expected)
    with quiet():
        d = np.abs(g - e)
        d[np.isnan(d)] = np.inf
    i = int(np.argmax(d)) if g.size else 0
    return f"entry {tuple(int(k) for k in np.unravel_index(i, np.shape(expected)))} is {g[i]:.6g}, expected {e[i]:.6g}"
