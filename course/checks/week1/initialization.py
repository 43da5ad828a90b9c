"""Visible checks of week 1, notebook `initialization`: shapes, zero biases and the notebook's example.

A correct initializer that draws in another order does not reproduce the Expected
output; the checks then fall back on what matters (same result on every call,
mean 0, the right std) and say so.
"""

import numpy as np

from course.checks._common import _expect_shape, _fail, _ok

_DIMS = [3, 2, 1]
# The notebook's expected output for layers_dims = [3, 2, 1] (np.random.seed(3), then randn per layer).
_RANDOM_EXPECTED = {
    "W1": [[17.886284734303185, 4.365098505119894, 0.9649746807200863],
           [-18.634927033644907, -2.7738820251439904, -3.5475897926898674]],
    "W2": [[-0.8274148148245977, -6.270006768238473]],
}
_HE_EXPECTED = {
    "W1": [[1.4604090331058333, 0.35640880048431217, 0.07878985274897744],
           [-1.521535420880872, -0.22648651894269448, -0.2896594936265377]],
    "W2": [[-0.08274148148245977, -0.6270006768238473]],
}


def _structure(name, params, dims):
    """Keys W1..WL, b1..bL and their shapes; b all zeros."""
    L = len(dims) - 1
    if not isinstance(params, dict):
        _fail(name, f"should return a dict, got {type(params).__name__}")
    keys = [p + str(l) for l in range(1, L + 1) for p in ("W", "b")]
    missing = [k for k in keys if k not in params]
    if missing:
        hint = " Does your loop visit every layer, l = 1 .. len(layers_dims) - 1?" if f"W{L}" in missing else ""
        _fail(name, f"for layers_dims={dims} the dict is missing {', '.join(missing)}.{hint}")
    extra = [str(k) for k in params if k not in keys]
    if extra:
        _fail(name, f"for layers_dims={dims} the dict should hold only {', '.join(keys)}, "
                    f"but it also has {', '.join(extra)}. Layers are numbered from 1.")
    for l in range(1, L + 1):
        n, n_prev = dims[l], dims[l - 1]
        if np.shape(params[f"W{l}"]) == (n_prev, n) and n != n_prev:
            _fail(name, f"W{l} has shape {(n_prev, n)}, expected {(n, n_prev)}: it is transposed. "
                        f"W{l} has shape (layers_dims[l], layers_dims[l-1]).")
        _expect_shape(name, f"W{l}", params[f"W{l}"], (n, n_prev))
        if np.shape(params[f"b{l}"]) == (n,):
            _fail(name, f"b{l} has shape {(n,)}, expected {(n, 1)}: make it a column, "
                        f"np.zeros((layers_dims[l], 1)).")
        _expect_shape(name, f"b{l}", params[f"b{l}"], (n, 1))
        if np.any(np.asarray(params[f"b{l}"]) != 0):
            _fail(name, f"b{l} should be all zeros (only the weights are initialized differently).")


def _compare(name, params, expected, mistakes):
    """True if W1, W2 match the expected output. Fails with a hint if every W_l is the expected
    one times a factor that a known mistake produces (mistakes: list of ((r1, r2), hint))."""
    ratios = []
    for key in ("W1", "W2"):
        W = np.asarray(params[key], dtype=float)
        E = np.asarray(expected[key])
        r = W / E
        if not np.allclose(r, r.flat[0], rtol=1e-6, atol=0):
            return False
        ratios.append(r.flat[0])
    if np.allclose(ratios, 1.0, rtol=1e-6):
        return True
    for factors, hint in mistakes:
        if np.allclose(ratios, factors, rtol=1e-6):
            _fail(name, f"the weights are off by a factor ({ratios[0]:.3g} in W1, {ratios[1]:.3g} in W2): {hint}")
    return False


def _fallback(name, fn, expected_std, std_text):
    """The weights differ from the expected output. A different (correct) draw order can do that,
    so check what matters: same result on every call, mean 0, the right std."""
    state = np.random.get_state()
    try:
        np.random.seed(0)
        first = fn(list(_DIMS))
        np.random.seed(1)
        second = fn(list(_DIMS))
        big = fn([500, 400])
    finally:
        np.random.set_state(state)
    for key in ("W1", "W2"):
        if not np.array_equal(np.asarray(first[key]), np.asarray(second[key])):
            _fail(name, "two calls gave different weights: call np.random.seed(3) at the top of the function.")
    _structure(name, big, [500, 400])
    W = np.asarray(big["W1"], dtype=float)
    mean, std = float(np.mean(W)), float(np.sqrt(np.mean(W ** 2)))
    if abs(mean) > 0.05 * expected_std:
        _fail(name, f"for layers_dims=[500, 400] the weights average {mean:.3g} instead of about 0: "
                    f"use np.random.randn (normal around 0), not np.random.rand.")
    if abs(std / expected_std - 1) > 0.05:
        _fail(name, f"for layers_dims=[500, 400], W1 has std {std:.3g}, "
                    f"expected about {expected_std:.3g} = {std_text}.")
    print(f"ℹ️ {name}: your numbers differ from the expected output (a different draw order?), "
          f"but their distribution is right.")


def check_initialize_parameters_zeros(fn):
    name = "initialize_parameters_zeros"
    for dims in (_DIMS, [4, 1, 3, 1]):
        params = fn(list(dims))
        _structure(name, params, dims)
        for l in range(1, len(dims)):
            if np.any(np.asarray(params[f"W{l}"]) != 0):
                _fail(name, f"W{l} should be all zeros (np.zeros).")
    _ok(name)


def check_initialize_parameters_random(fn):
    name = "initialize_parameters_random"
    params = fn(list(_DIMS))
    _structure(name, params, _DIMS)
    mistakes = [((0.1, 0.1), "did you forget to multiply by 10?"),
                ((0.001, 0.001), "multiply by 10, not by 0.01."),
                ((0.1 * np.sqrt(2 / 3), 0.1), "that is He scaling; this exercise multiplies by 10.")]
    if not _compare(name, params, _RANDOM_EXPECTED, mistakes):
        _fallback(name, fn, 10.0, "10")
    _ok(name)


def check_initialize_parameters_he(fn):
    name = "initialize_parameters_he"
    params = fn(list(_DIMS))
    _structure(name, params, _DIMS)
    mistakes = [((np.sqrt(1 / 2), np.sqrt(1 / 2)), "did you use sqrt(1/n)? He uses sqrt(2/n_prev)."),
                ((np.sqrt(3 / 2), np.sqrt(2)), "use the previous layer's width, layers_dims[l-1], not layers_dims[l]."),
                ((np.sqrt(3 / 2), 1.0), "did you forget to multiply by np.sqrt(2 / layers_dims[l-1])?"),
                ((np.sqrt(2 / 3), 1.0), "did you forget the square root? The factor is np.sqrt(2 / layers_dims[l-1])."),
                ((10.0, 10.0), "keep only the He factor, without the * 10.")]
    if not _compare(name, params, _HE_EXPECTED, mistakes):
        _fallback(name, fn, np.sqrt(2 / 500), "sqrt(2/n_prev) = sqrt(2/500)")
    _ok(name)
