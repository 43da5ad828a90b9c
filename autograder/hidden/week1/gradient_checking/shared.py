"""What the judges of this notebook share: the returned difference, the right one, mistakes, gradient dicts."""

import numpy as np

from autograder.hidden.common import fail, quiet

RETURNED_GRADIENT = "you returned a gradient (grad or gradapprox); return the relative difference"
ONE_NORM = "the denominator is ||grad|| + ||gradapprox||, not just ||grad|| or just ||gradapprox||"


def number(name, prefix, value, what):
    """The student's returned difference as a float; None, a bool or an array fails.

    Tags: <prefix>.none, <prefix>.bool, <prefix>.not_a_number, <prefix>.not_scalar.
    """
    if value is None:
        fail(name, f"{what} returned None: did you forget `return difference`?", f"{prefix}.none")
    if isinstance(value, (bool, np.bool_)) or getattr(value, "dtype", None) == np.bool_:
        fail(name, f"{what} returned a bool ({value}); return the difference itself, a number "
                   "(the verdict is only printed when print_msg=True)", f"{prefix}.bool")
    try:
        with quiet():
            arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{what} should return a number, got {type(value).__name__}", f"{prefix}.not_a_number")
    if arr.size != 1:
        fail(name, f"{what} returned an array of shape {arr.shape}, expected a single number: "
                   "take np.linalg.norm of the vectors, not their elementwise absolute values", f"{prefix}.not_scalar")
    return float(arr.reshape(-1)[0])


def rd(grad, approx):
    """The correct relative difference (computed here, not by the student)."""
    with quiet():
        return float(np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx)))


def matches(got, value, rtol):
    return bool(np.isfinite(value) and abs(got - value) <= rtol * abs(value) + 1e-15)


def diagnose(got, candidates, rtol):
    """(message, tag) of the first candidate (message, value, tag) that got matches, or None."""
    for message, value, tag in candidates:
        if matches(got, value, rtol):
            return message, tag
    return None


def scale_of(got, expected):
    """The number r with got == r * expected (to 1e-6), or None when got is no multiple of expected."""
    with quiet():
        e = np.ravel(np.asarray(expected, dtype=float))
        g = np.ravel(np.asarray(got, dtype=float))
        ee = float(e @ e)
        if ee == 0:
            return None
        r = float(g @ e) / ee
        return r if np.allclose(g, r * e, rtol=1e-6, atol=1e-10) else None
