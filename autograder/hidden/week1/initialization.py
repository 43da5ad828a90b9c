"""Hidden checks for week 1, notebook `initialization`.

Zeros is deterministic and compared with the reference. The random and He
initializers are checked by structure and distribution only, so any correct
implementation passes (any draw order, randn * s or np.random.normal(0, s),
transposed draws...):

- keys W1..WL, b1..bL and nothing else; shapes (n_l, n_{l-1}) and (n_l, 1);
- b all zeros;
- the same call twice gives the same weights (np.random.seed(3) inside);
- symmetry broken: entries not all equal, rows distinct, columns distinct,
  no two layers drawing the same numbers (seed reset inside the loop);
- mean about 0, std per layer about the spec's (10, or sqrt(2 / n_{l-1})),
  measured on large layers with a tolerance of 7 standard errors;
- normal shape: kurtosis of the pooled standardized entries near 3.

A wrong std is diagnosed by matching it against the usual wrong formulas.
"""

import numpy as np

from autograder.hidden.common import CheckFailed, as_float_array, call, fail
from autograder.reference import week1 as ref

__all__ = ["check_initialize_parameters_zeros", "check_initialize_parameters_random",
           "check_initialize_parameters_he"]

# Edge cases: the notebook's example, one layer, a layer of width 1, the notebook's net, a deep narrow net.
SMALL_DIMS = [[3, 2, 1], [5, 1], [4, 1, 3, 1], [2, 10, 5, 1], [2, 4, 4, 4, 4, 4, 1]]
# Large layers, where the std is measured precisely; n_{l-1} != n_l in every layer.
LARGE_DIMS = [[400, 300, 200, 1], [50, 200, 300]]
# Layers with at least this many weights take part in the std and shape-of-distribution checks.
MIN_STD_SIZE = 100
MIN_KURTOSIS_SIZE = 1000
SIGMAS = 7.0


def _random_dims(seed, count=3):
    rng = np.random.RandomState(seed)
    return [[int(n) for n in rng.randint(1, 10, size=rng.randint(2, 7))] for _ in range(count)]


# ---------------------------------------------------------------- calling and structure

_CALL_HINTS = (
    ("as a data type", "np.zeros takes the shape as one tuple: np.zeros((n_l, n_prev)), with two pairs of parentheses"),
    ("cannot be interpreted as an integer",
     "np.random.randn takes the sizes as separate numbers: np.random.randn(n_l, n_prev) "
     "(np.zeros is the one that takes a tuple)"),
)


def _call(name, fn, dims):
    """Call fn(dims) on a fresh copy of dims; a crash becomes a CheckFailed with a hint if we know one."""
    try:
        return call(name, fn, list(dims))
    except CheckFailed as exc:
        text = str(exc)
        for needle, hint in _CALL_HINTS:
            if needle in text:
                raise CheckFailed(f"{text}. Hint: {hint}") from None
        raise


def _check_structure(name, params, dims):
    """Keys W1..WL, b1..bL (nothing else), shapes, finite numbers. Returns {key: float array}."""
    L = len(dims) - 1
    where = f"for layers_dims={dims}"
    if not isinstance(params, dict):
        fail(name, f"should return a dict of parameters, got {type(params).__name__} {where}")
    expected = [p + str(l) for l in range(1, L + 1) for p in ("W", "b")]
    missing = [k for k in expected if k not in params]
    extra = [str(k) for k in params if k not in expected]
    if missing:
        hint = ""
        if set(missing) == {f"W{L}", f"b{L}"}:
            hint = (f" Did your loop stop one layer early? With {len(dims)} entries in layers_dims there are"
                    f" {L} layers: `for l in range(1, len(layers_dims))` visits l = 1..{L}.")
        elif "W0" in params or "b0" in params:
            hint = " Layers are numbered from 1 (W1 maps the input to layer 1): start the loop at l = 1."
        has = ", ".join(map(str, params)) or "nothing"
        fail(name, f"the dict is missing {', '.join(missing)} {where} (it has {has}).{hint}")
    if extra:
        hint = " Layers are numbered from 1: start the loop at l = 1." if ("W0" in extra or "b0" in extra) else ""
        fail(name, f"the dict has unexpected key(s) {', '.join(extra)} {where}; it should hold only "
                   f"{', '.join(expected)}.{hint}")
    arrays = {}
    for l in range(1, L + 1):
        n, n_prev = dims[l], dims[l - 1]
        W = as_float_array(name, f"W{l}", params[f"W{l}"])
        b = as_float_array(name, f"b{l}", params[f"b{l}"])
        if W.shape != (n, n_prev):
            if W.shape == (n_prev, n):
                hint = (f"it looks transposed: W{l} has one row per unit of layer {l} and one column per unit of"
                        f" layer {l - 1}, shape (layers_dims[l], layers_dims[l-1]), so that W{l} @ A{l - 1} works")
            else:
                hint = "W_l has shape (layers_dims[l], layers_dims[l-1])"
            fail(name, f"W{l} has shape {W.shape}, expected ({n}, {n_prev}) {where}: {hint}.")
        if b.shape != (n, 1):
            if b.shape == (n,):
                hint = (f"b{l} must be a column of shape (n_l, 1) so that it broadcasts over the m examples:"
                        f" np.zeros((layers_dims[l], 1)), not np.zeros(layers_dims[l])")
            elif b.shape == (1, n):
                hint = f"b{l} is a row; it must be a column, np.zeros((layers_dims[l], 1))"
            elif b.shape in ((n_prev, 1), (n_prev,)):
                hint = f"b{l} has one entry per unit of layer {l}: use layers_dims[l], not layers_dims[l-1]"
            else:
                hint = "b_l has shape (layers_dims[l], 1)"
            fail(name, f"b{l} has shape {b.shape}, expected ({n}, 1) {where}: {hint}.")
        for key, value in ((f"W{l}", W), (f"b{l}", b)):
            if not np.all(np.isfinite(value)):
                fail(name, f"{key} contains NaN or infinite values {where}.")
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    return arrays


def _check_b_zero(name, arrays, dims, what):
    for l in range(1, len(dims)):
        b = arrays[f"b{l}"]
        if np.any(b != 0):
            fail(name, f"b{l} is not all zeros for layers_dims={dims} (largest |entry| {np.max(np.abs(b)):.3g}): "
                       f"{what}")


# ---------------------------------------------------------------- zeros

def check_initialize_parameters_zeros(fn):
    name = "initialize_parameters_zeros"
    for dims in SMALL_DIMS + _random_dims(101) + [[400, 300, 200, 1]]:
        arrays = _check_structure(name, _call(name, fn, dims), dims)
        expected = ref.initialize_parameters_zeros(list(dims))
        for l in range(1, len(dims)):
            W = arrays[f"W{l}"]
            if not np.array_equal(W, expected[f"W{l}"]):
                fail(name, f"W{l} is not all zeros for layers_dims={dims} (largest |entry| {np.max(np.abs(W)):.3g}): "
                           f"this initializer sets every weight to 0 (np.zeros, not np.ones or np.random.randn).")
        _check_b_zero(name, arrays, dims, "biases start at 0 (np.zeros((layers_dims[l], 1))).")


# ---------------------------------------------------------------- random and He

def _check_deterministic(name, fn, dims):
    """Two calls with the global RNG in different states must give the same weights."""
    state = np.random.get_state()
    try:
        np.random.seed(12345)
        first = _check_structure(name, _call(name, fn, dims), dims)
        np.random.seed(54321)
        np.random.rand(7)
        second = _check_structure(name, _call(name, fn, dims), dims)
    finally:
        np.random.set_state(state)
    for key in first:
        if not np.array_equal(first[key], second[key]):
            fail(name, f"two calls with the same layers_dims={dims} gave different {key}: did you call "
                       f"np.random.seed(3) at the top of the function (once, before the loop)? The expected output "
                       f"can only be reproduced that way.")
    return first


def _check_symmetry_broken(name, arrays, dims):
    L = len(dims) - 1
    for l in range(1, L + 1):
        W = arrays[f"W{l}"]
        n, n_prev = W.shape
        if W.size >= 2 and np.all(W == W.flat[0]):
            what = "all zeros" if W.flat[0] == 0 else f"all equal to {W.flat[0]:.3g}"
            fail(name, f"W{l} is {what} for layers_dims={dims}: then every unit of layer {l} computes the same "
                       f"thing and gets the same gradient, so the symmetry is never broken. Draw the weights with "
                       f"np.random.randn.")
        if n >= 2 and np.unique(W, axis=0).shape[0] < n:
            fail(name, f"W{l} has identical rows for layers_dims={dims}: those units of layer {l} would compute the "
                       f"same thing forever. Draw a full (layers_dims[l], layers_dims[l-1]) matrix, not one row "
                       f"that is repeated or broadcast.")
        if n_prev >= 2 and np.unique(W, axis=1).shape[1] < n_prev:
            fail(name, f"W{l} has identical columns for layers_dims={dims}: each unit weighs some inputs equally. "
                       f"Draw a full (layers_dims[l], layers_dims[l-1]) matrix, not one column that is repeated or "
                       f"broadcast.")
    # The same draws in two layers: np.random.seed(3) called inside the loop.
    for l in range(2, L + 1):
        for order in ("C", "F"):
            a = arrays[f"W{l - 1}"].ravel(order=order)
            b = arrays[f"W{l}"].ravel(order=order)
            k = min(a.size, b.size)
            if k >= 3 and a[0] != 0 and np.allclose(b[:k], a[:k] * (b[0] / a[0]), rtol=1e-9, atol=0):
                fail(name, f"W{l} starts with the same random numbers as W{l - 1} for layers_dims={dims}: did you "
                           f"call np.random.seed(3) inside the loop? Seed once, at the top of the function.")


def _layer_stats(arrays, dims):
    """(l, n_prev, n, size, mean, rms) of every layer with at least MIN_STD_SIZE weights."""
    stats = []
    for l in range(1, len(dims)):
        W = arrays[f"W{l}"]
        if W.size >= MIN_STD_SIZE:
            stats.append((l, dims[l - 1], dims[l], W.size, float(np.mean(W)), float(np.sqrt(np.mean(W ** 2)))))
    return stats


def _within(rms, expected, size):
    """rms within SIGMAS standard errors of expected (relative SE of an RMS of normal draws: 1/sqrt(2N))."""
    return abs(rms / expected - 1.0) <= SIGMAS / np.sqrt(2.0 * size)


def _check_distribution(name, measured, scale, scale_text, candidates):
    """measured: list of (dims, arrays); scale(n_prev, n) -> expected std;
    candidates: list of (scale function, hint) for the usual mistakes."""
    stats = [(dims, s) for dims, arrays in measured for s in _layer_stats(arrays, dims)]
    # Centered on 0 (rand draws in [0, 1) are not).
    for dims, (l, n_prev, n, size, mean, rms) in stats:
        if rms > 0 and abs(mean) > SIGMAS * rms / np.sqrt(size):
            fail(name, f"W{l} entries average {mean:.3g} for layers_dims={dims}, but they should be centered on 0: "
                       f"did you use np.random.rand (uniform on [0, 1)) instead of np.random.randn (standard normal)?")
    # Normal, not uniform: kurtosis of the pooled entries, each layer standardized by its own RMS.
    pooled = np.concatenate([arrays[f"W{l}"].ravel() / np.sqrt(np.mean(arrays[f"W{l}"] ** 2))
                             for dims, arrays in measured for l in range(1, len(dims))
                             if arrays[f"W{l}"].size >= MIN_KURTOSIS_SIZE])
    kurtosis = float(np.mean(pooled ** 4))
    if abs(kurtosis - 3.0) > 0.6:
        fail(name, f"the weights do not look normally distributed (kurtosis {kurtosis:.2f}; a normal distribution "
                   f"has 3, a uniform one 1.8): draw them with np.random.randn.")
    # Std per layer.
    bad = [(dims, s) for dims, s in stats if not _within(s[5], scale(s[1], s[2]), s[3])]
    if bad:
        dims, (l, n_prev, n, size, mean, rms) = max(
            bad, key=lambda item: abs(np.log(item[1][5] / scale(item[1][1], item[1][2]))))
        hint = "check the factor that multiplies np.random.randn."
        for cand, cand_hint in candidates:
            if all(_within(s[5], cand(s[1], s[2]), s[3]) for _, s in stats):
                hint = cand_hint
                break
        text = scale_text(n_prev, n)
        fail(name, f"W{l} std is {rms:.3g} for layers_dims={dims}, expected about {scale(n_prev, n):.3g}"
                   f"{' = ' + text if text else ''}: {hint}")


def _check_random_initializer(name, fn, scale, scale_text, candidates):
    checked = []
    for dims in SMALL_DIMS + _random_dims(202) + LARGE_DIMS:
        arrays = _check_deterministic(name, fn, dims)
        _check_b_zero(name, arrays, dims, "only the weights are random; the biases start at 0 "
                                          "(np.zeros((layers_dims[l], 1))).")
        _check_symmetry_broken(name, arrays, dims)
        checked.append((dims, arrays))
    _check_distribution(name, checked, scale, scale_text, candidates)


def check_initialize_parameters_random(fn):
    name = "initialize_parameters_random"
    candidates = [
        (lambda p, n: 1.0, "did you forget to multiply np.random.randn(...) by 10?"),
        (lambda p, n: 0.01, "you multiplied by 0.01 (the usual small init); this exercise deliberately uses * 10."),
        (lambda p, n: 100.0, "you multiplied by 100; this exercise uses * 10."),
        (lambda p, n: np.sqrt(10.0), "multiply by 10, not by sqrt(10): 10 is the std, not the variance."),
        (lambda p, n: np.sqrt(2.0 / p), "that is He scaling, sqrt(2/n_prev), the next exercise; here multiply by 10."),
        (lambda p, n: 10.0 / np.sqrt(p), "you divided by sqrt(n_prev); this exercise multiplies by 10 only."),
    ]
    _check_random_initializer(name, fn, lambda p, n: 10.0, lambda p, n: "", candidates)


def check_initialize_parameters_he(fn):
    name = "initialize_parameters_he"
    candidates = [
        (lambda p, n: np.sqrt(1.0 / p),
         "did you use sqrt(1/n) (Xavier)? He initialization, for ReLU layers, uses sqrt(2/n_prev)."),
        (lambda p, n: np.sqrt(2.0 / n),
         "you used the width of the current layer, layers_dims[l]; He scales by the number of inputs of each unit, "
         "the previous layer's width layers_dims[l-1] (wrong layer index)."),
        (lambda p, n: np.sqrt(1.0 / n),
         "did you use sqrt(1/n) with the current layer's width? He uses np.sqrt(2 / layers_dims[l-1])."),
        (lambda p, n: 2.0 / p,
         "did you forget the square root? The variance is 2/n_prev, so the factor on randn (the std) is "
         "np.sqrt(2 / layers_dims[l-1])."),
        (lambda p, n: 1.0 / p, "you multiplied by 1/n_prev; He uses np.sqrt(2 / layers_dims[l-1])."),
        (lambda p, n: np.sqrt(2.0) / p,
         "the square root must cover the whole fraction: np.sqrt(2 / n_prev), not np.sqrt(2) / n_prev."),
        (lambda p, n: np.sqrt(2.0 * p), "you used np.sqrt(2 * n_prev); He uses np.sqrt(2 / n_prev)."),
        (lambda p, n: np.sqrt(2.0 / (p + n)),
         "that is Glorot's sqrt(2 / (n_prev + n_l)); He uses only the previous layer's width: sqrt(2 / n_prev)."),
        (lambda p, n: 1.0,
         "did you forget the scaling? np.random.randn alone has std 1; multiply by np.sqrt(2 / n_prev)."),
        (lambda p, n: 0.01, "you multiplied by 0.01 (the small init); He multiplies by np.sqrt(2 / n_prev)."),
        (lambda p, n: 10.0, "that is the * 10 of the previous exercise; He multiplies by np.sqrt(2 / n_prev)."),
        (lambda p, n: 10.0 * np.sqrt(2.0 / p),
         "you kept the * 10 of the previous exercise; He multiplies by np.sqrt(2 / n_prev) only."),
    ]
    _check_random_initializer(name, fn, lambda p, n: np.sqrt(2.0 / p), lambda p, n: f"sqrt(2/n_prev) = sqrt(2/{p})",
                              candidates)
