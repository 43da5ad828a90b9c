"""Helpers shared by the hidden checks: failing with a diagnosis and a tag, reading answers, random nets.

A judge reads the student's answers (plain data from course.grading.runner) and
fails with `fail(name, message, tag)`: the message names the likely mistake, the
tag is stable across releases (`he.scale_sqrt_1_over_n`), for the grade tables
and the class-wide mistake report.
"""

import contextlib
import re
import warnings

import numpy as np

from course.grading.wire import Unsupported

TAG = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


class CheckFailed(AssertionError):
    """A hidden check failed: the message names the likely mistake, `tag` names it for machines."""

    def __init__(self, message, tag):
        super().__init__(message)
        self.tag = tag


def fail(name, message, tag):
    raise CheckFailed(f"{name}: {message}", tag)


@contextlib.contextmanager
def quiet():
    """Keep NumPy warnings off stderr while judging."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def preserved_rng(seed=None):
    """Leave the global NumPy RNG as it was afterwards; seed it inside when seed is given."""
    state = np.random.get_state()
    try:
        if seed is not None:
            np.random.seed(seed)
        yield
    finally:
        np.random.set_state(state)


def describe(a):
    """Short text of an argument: array(3, 4), dict(W1(3, 2), ...), 0.7."""
    if isinstance(a, np.ndarray):
        return f"array{a.shape}"
    if isinstance(a, dict):
        return "dict(" + ", ".join(f"{k}{np.shape(v)}" for k, v in a.items()) + ")"
    if isinstance(a, (tuple, list)) and len(a) > 4:
        return f"{type(a).__name__} of {len(a)}"
    return repr(a)


def returned(name, prefix, case, answer):
    """The value the student's function returned for case; a crash or a stub fails with its tag.

    Tags: <prefix>.not_implemented, <prefix>.raised, <prefix>.not_plain_data.
    """
    if "error" in answer:
        err = answer["error"]
        if err.get("type") == "NotImplementedError":
            fail(name, "not implemented yet (the stub still raises NotImplementedError)", f"{prefix}.not_implemented")
        if answer.get("setup"):
            fail(name, f"the check could not be set up in this notebook: {err.get('type')}: {err.get('message')}",
                 f"{prefix}.setup")
        shapes = ", ".join(describe(a) for a in case.get("args", []))
        fail(name, f"raised {err.get('type')}: {err.get('message')} (called with {shapes})", f"{prefix}.raised")
    value = answer.get("value")
    if _has_unsupported(value):
        fail(name, f"returned {value!r}, which the grader cannot read: return NumPy arrays, numbers, "
                   f"tuples, lists or dicts", f"{prefix}.not_plain_data")
    return value


def _has_unsupported(value):
    if isinstance(value, Unsupported):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_unsupported(v) for v in value)
    if isinstance(value, dict):
        return any(_has_unsupported(v) for v in value.values())
    return False


def as_float_array(name, what, value, tag):
    try:
        with quiet():
            return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{what} should be a NumPy array of numbers, got {type(value).__name__}", tag)


def as_number(name, prefix, value, what, where_):
    """value as a float (a Python or NumPy number, or an array of one element).

    Tags: <prefix>.none, <prefix>.not_number."""
    if value is None:
        fail(name, f"returned None {where_}: did you forget `return {what}`?", f"{prefix}.none")
    try:
        with quiet():
            a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        a = None
    if a is None or a.size != 1:
        fail(name, f"should return {what} as a single number, got {type(value).__name__} "
                   f"{np.shape(value) if a is not None else ''} {where_}", f"{prefix}.not_number")
    return float(a.reshape(-1)[0])


def as_tuple(name, prefix, value, n, what, where_):
    """value as a list of n items (a tuple or a list). Tag: <prefix>.returns."""
    if not isinstance(value, (tuple, list)) or len(value) != n:
        got = f"a {type(value).__name__} of {len(value)}" if isinstance(value, (tuple, list)) else \
            type(value).__name__
        fail(name, f"should return {what}, {n} values; it returned {got} {where_}", f"{prefix}.returns")
    return list(value)


def expect_shape(name, what, value, shape, tag):
    if np.shape(value) != tuple(shape):
        fail(name, f"{what} has shape {np.shape(value)}, expected {tuple(shape)}", tag)


def expect_keys(name, what, d, keys, tag):
    if not isinstance(d, dict):
        fail(name, f"{what} should be a dict, got {type(d).__name__}", tag)
    missing = [k for k in keys if k not in d]
    if missing:
        fail(name, f"{what} is missing the key(s) {', '.join(missing)} (it has {', '.join(map(str, d)) or 'none'})",
             tag)


def close(a, b, rtol=1e-6, atol=1e-9):
    with quiet():
        return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=rtol, atol=atol)


def first_match(value, candidates, rtol=1e-6, atol=1e-9):
    """Name of the first candidate (name -> array) that value matches, or None."""
    for label, cand in candidates.items():
        if close(value, cand, rtol, atol):
            return label
    return None


def random_net(rng, dims, m, bias_scale=0.5):
    """Random data and parameters of a net with layer widths dims.

    Inputs:
    - rng: np.random.RandomState
    - dims: [n0, n1, ..., nL]
    - m: number of examples

    Returns a tuple of:
    - X: (n0, m) standard normal
    - Y: (1, m) of 0 and 1 (ints)
    - parameters: W_l (n_l, n_{l-1}) standard normal, b_l (n_l, 1) normal with std bias_scale
    """
    X = rng.randn(dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        parameters[f"b{l}"] = bias_scale * rng.randn(dims[l], 1)
    return X, Y, parameters


PARAM_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")   # the gradients of the week-1 3-layer nets


def relative_norm(a, b):
    """||a - b|| / (||a|| + ||b||), 0 when both are 0."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def gradient_dict(name, prefix, grads, parameters, keys=PARAM_GRADS):
    """The returned gradients (dW1, ..., keys) as float arrays shaped like the parameters (other keys ignored).

    Tags: <prefix>.keys, <prefix>.not_array, <prefix>.shape.
    """
    expect_keys(name, "the returned gradients", grads, keys, f"{prefix}.keys")
    out = {}
    for k in keys:
        g = as_float_array(name, k, grads[k], f"{prefix}.not_array")
        expect_shape(name, k, g, np.shape(parameters[k[1:]]), f"{prefix}.shape")
        out[k] = g
    return out
