"""Helpers shared by the hidden checks: calling student code and failing with a diagnosis."""

import contextlib
import warnings

import numpy as np


class CheckFailed(AssertionError):
    """A hidden check failed; the message names the likely mistake."""


def fail(name, message):
    raise CheckFailed(f"{name}: {message}")


@contextlib.contextmanager
def quiet():
    """Keep NumPy warnings off stderr (stderr output would zero a test cell)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def call(name, fn, *args, **kwargs):
    """Run the student's function; a crash becomes a CheckFailed naming the inputs' shapes."""
    try:
        with quiet():
            return fn(*args, **kwargs)
    except NotImplementedError:
        fail(name, "not implemented yet (the stub still raises NotImplementedError)")
    except CheckFailed:
        raise
    except Exception as exc:  # noqa: BLE001
        shapes = ", ".join(_describe(a) for a in args)
        fail(name, f"raised {type(exc).__name__}: {exc} (called with {shapes})")


def _describe(a):
    if isinstance(a, np.ndarray):
        return f"array{a.shape}"
    if isinstance(a, dict):
        return "dict(" + ", ".join(f"{k}{np.shape(v)}" for k, v in a.items()) + ")"
    if isinstance(a, (tuple, list)) and len(a) > 4:
        return f"{type(a).__name__} of {len(a)}"
    return repr(a)


def as_float_array(name, what, value):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{what} should be a NumPy array of numbers, got {type(value).__name__}")


def expect_shape(name, what, value, shape):
    if np.shape(value) != tuple(shape):
        fail(name, f"{what} has shape {np.shape(value)}, expected {tuple(shape)}")


def expect_keys(name, what, d, keys):
    if not isinstance(d, dict):
        fail(name, f"{what} should be a dict, got {type(d).__name__}")
    missing = [k for k in keys if k not in d]
    if missing:
        fail(name, f"{what} is missing the key(s) {', '.join(missing)} (it has {', '.join(map(str, d)) or 'none'})")


def close(a, b, rtol=1e-6, atol=1e-9):
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=rtol, atol=atol)


def first_match(value, candidates, rtol=1e-6, atol=1e-9):
    """Name of the first candidate (name -> array) that value matches, or None."""
    for label, cand in candidates.items():
        with quiet():
            if close(value, cand, rtol, atol):
                return label
    return None
