"""Hidden checks of week 1, notebook `initialization`: cases plus a judge (autograder/hidden/check.py).

Zeros is deterministic and compared with the reference. The random and He
initializers are checked by structure and distribution only, so any correct
implementation passes (any draw order, randn * s or np.random.normal(0, s),
transposed draws...):

- keys W1..WL, b1..bL and nothing else; shapes (n_l, n_{l-1}) and (n_l, 1);
- b all zeros;
- the same call twice gives the same weights (np.random.seed(3) inside): the
  small nets are called twice, with the global RNG seeded differently before
  each call (`seed=` on the cases);
- symmetry broken: entries not all equal, rows distinct, columns distinct,
  no two layers drawing the same numbers (seed reset inside the loop);
- mean about 0, std per layer about the spec's (10, or sqrt(2 / n_{l-1})),
  measured on large layers with a tolerance of 7 standard errors;
- normal shape: kurtosis of the pooled standardized entries near 3.

A wrong std is diagnosed by matching it against the usual wrong formulas.
Every failure has a tag `zeros.*`, `random.*` or `he.*` naming the mistake.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import CheckFailed, as_float_array, fail, quiet, returned
from autograder.reference.week1 import initialization as ref

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
# Two different states of the global RNG before the two calls of the same net.
SEEDS = (12345, 54321)


def _random_dims(seed, count=3):
    rng = np.random.RandomState(seed)
    return [[int(n) for n in rng.randint(1, 10, size=rng.randint(2, 7))] for _ in range(count)]


# ---------------------------------------------------------------- answers and structure

# (text of the error, hint, mistake tag)
_CALL_HINTS = (
    ("as a data type", "np.zeros takes the shape as one tuple: np.zeros((n_l, n_prev)), with two pairs of parentheses",
     "zeros_shape_not_tuple"),
    ("cannot be interpreted as an integer",
     "np.random.randn takes the sizes as separate numbers: np.random.randn(n_l, n_prev) "
     "(np.zeros is the one that takes a tuple)", "randn_shape_tuple"),
)


def _value(name, prefix, c, answer):
    """What the function returned for case c; a crash fails with a hint if we know one."""
    try:
        return returned(name, prefix, c, answer)
    except CheckFailed as exc:
        if exc.tag == f"{prefix}.raised":
            for needle, hint, mistake in _CALL_HINTS:
                if needle in str(exc):
                    raise CheckFailed(f"{exc}. Hint: {hint}", f"{prefix}.{mistake}") from None
        raise


def _missing_hint(params, missing, dims):
    L = len(dims) - 1
    if set(missing) == {f"W{L}", f"b{L}"}:
        return (f" Did your loop stop one layer early? With {len(dims)} entries in layers_dims there are"
                f" {L} layers: `for l in range(1, len(layers_dims))` visits l = 1..{L}.", "stops_early")
    if "W0" in params or "b0" in params:
        return " Layers are numbered from 1 (W1 maps the input to layer 1): start the loop at l = 1.", "from_layer_0"
    return "", "keys"


def _check_w_shape(name, prefix, W, l, dims, where):
    n, n_prev = dims[l], dims[l - 1]
    if W.shape == (n, n_prev):
        return
    if W.shape == (n_prev, n):
        hint, tag = (f"it looks transposed: W{l} has one row per unit of layer {l} and one column per unit of"
                     f" layer {l - 1}, shape (layers_dims[l], layers_dims[l-1]), so that W{l} @ A{l - 1} works",
                     "w_transposed")
    else:
        hint, tag = "W_l has shape (layers_dims[l], layers_dims[l-1])", "w_shape"
    fail(name, f"W{l} has shape {W.shape}, expected ({n}, {n_prev}) {where}: {hint}.", f"{prefix}.{tag}")


def _check_b_shape(name, prefix, b, l, dims, where):
    n, n_prev = dims[l], dims[l - 1]
    if b.shape == (n, 1):
        return
    if b.shape == (n,):
        hint, tag = (f"b{l} must be a column of shape (n_l, 1) so that it broadcasts over the m examples:"
                     f" np.zeros((layers_dims[l], 1)), not np.zeros(layers_dims[l])", "b_flat")
    elif b.shape == (1, n):
        hint, tag = f"b{l} is a row; it must be a column, np.zeros((layers_dims[l], 1))", "b_row"
    elif b.shape in ((n_prev, 1), (n_prev,)):
        hint, tag = f"b{l} has one entry per unit of layer {l}: use layers_dims[l], not layers_dims[l-1]", \
            "b_previous_width"
    else:
        hint, tag = "b_l has shape (layers_dims[l], 1)", "b_shape"
    fail(name, f"b{l} has shape {b.shape}, expected ({n}, 1) {where}: {hint}.", f"{prefix}.{tag}")


def _check_structure(name, prefix, params, dims):
    """Keys W1..WL, b1..bL (nothing else), shapes, finite numbers. Returns {key: float array}."""
    L = len(dims) - 1
    where = f"for layers_dims={dims}"
    if not isinstance(params, dict):
        fail(name, f"should return a dict of parameters, got {type(params).__name__} {where}", f"{prefix}.not_dict")
    expected = [p + str(l) for l in range(1, L + 1) for p in ("W", "b")]
    missing = [k for k in expected if k not in params]
    extra = [str(k) for k in params if k not in expected]
    if missing:
        hint, tag = _missing_hint(params, missing, dims)
        has = ", ".join(map(str, params)) or "nothing"
        fail(name, f"the dict is missing {', '.join(missing)} {where} (it has {has}).{hint}", f"{prefix}.{tag}")
    if extra:
        layer_0 = "W0" in extra or "b0" in extra
        hint = " Layers are numbered from 1: start the loop at l = 1." if layer_0 else ""
        fail(name, f"the dict has unexpected key(s) {', '.join(extra)} {where}; it should hold only "
                   f"{', '.join(expected)}.{hint}", f"{prefix}.{'from_layer_0' if layer_0 else 'extra_keys'}")
    arrays = {}
    for l in range(1, L + 1):
        W = as_float_array(name, f"W{l}", params[f"W{l}"], f"{prefix}.not_numbers")
        b = as_float_array(name, f"b{l}", params[f"b{l}"], f"{prefix}.not_numbers")
        _check_w_shape(name, prefix, W, l, dims, where)
        _check_b_shape(name, prefix, b, l, dims, where)
        for key, value in ((f"W{l}", W), (f"b{l}", b)):
            if not np.all(np.isfinite(value)):
                fail(name, f"{key} contains NaN or infinite values {where}.", f"{prefix}.not_finite")
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    return arrays


def _check_b_zero(name, prefix, arrays, dims, what):
    for l in range(1, len(dims)):
        b = arrays[f"b{l}"]
        if np.any(b != 0):
            fail(name, f"b{l} is not all zeros for layers_dims={dims} (largest |entry| {np.max(np.abs(b)):.3g}): "
                       f"{what}", f"{prefix}.b_not_zero")


# ---------------------------------------------------------------- zeros

ZEROS = "initialize_parameters_zeros"


def _zeros_cases():
    return [case(list(dims), meta={"dims": dims})
            for dims in SMALL_DIMS + _random_dims(101) + [[400, 300, 200, 1]]]


def _zeros_judge(cases, answers):
    with quiet():
        for c, answer in zip(cases, answers):
            dims = c["meta"]["dims"]
            arrays = _check_structure(ZEROS, "zeros", _value(ZEROS, "zeros", c, answer), dims)
            expected = ref.initialize_parameters_zeros(list(dims))
            for l in range(1, len(dims)):
                W = arrays[f"W{l}"]
                if not np.array_equal(W, expected[f"W{l}"]):
                    fail(ZEROS, f"W{l} is not all zeros for layers_dims={dims} (largest |entry| "
                                f"{np.max(np.abs(W)):.3g}): this initializer sets every weight to 0 (np.zeros, not "
                                f"np.ones or np.random.randn).", "zeros.w_not_zero")
            _check_b_zero(ZEROS, "zeros", arrays, dims, "biases start at 0 (np.zeros((layers_dims[l], 1))).")


check_initialize_parameters_zeros = Check(ZEROS, prefix="zeros", cases=_zeros_cases, judge=_zeros_judge)


# ---------------------------------------------------------------- random and He: cases

def _random_cases():
    """Each small net twice, the global RNG seeded differently before each call; the large nets once."""
    cases = []
    for dims in SMALL_DIMS + _random_dims(202):
        cases += [case(list(dims), seed=s, meta={"dims": dims, "call": k + 1, "calls": 2})
                  for k, s in enumerate(SEEDS)]
    cases += [case(list(dims), seed=SEEDS[0], meta={"dims": dims, "call": 1, "calls": 1}) for dims in LARGE_DIMS]
    return cases


# ---------------------------------------------------------------- random and He: judging

def _check_same_twice(name, prefix, first, second, dims):
    for key in first:
        if not np.array_equal(first[key], second[key]):
            fail(name, f"two calls with the same layers_dims={dims} gave different {key}: did you call "
                       f"np.random.seed(3) at the top of the function (once, before the loop)? The expected output "
                       f"can only be reproduced that way.", f"{prefix}.no_seed")


def _check_symmetry_broken(name, prefix, arrays, dims):
    L = len(dims) - 1
    for l in range(1, L + 1):
        W = arrays[f"W{l}"]
        n, n_prev = W.shape
        if W.size >= 2 and np.all(W == W.flat[0]):
            what = "all zeros" if W.flat[0] == 0 else f"all equal to {W.flat[0]:.3g}"
            fail(name, f"W{l} is {what} for layers_dims={dims}: then every unit of layer {l} computes the same "
                       f"thing and gets the same gradient, so the symmetry is never broken. Draw the weights with "
                       f"np.random.randn.", f"{prefix}.{'w_zeros' if W.flat[0] == 0 else 'w_constant'}")
        if n >= 2 and np.unique(W, axis=0).shape[0] < n:
            fail(name, f"W{l} has identical rows for layers_dims={dims}: those units of layer {l} would compute the "
                       f"same thing forever. Draw a full (layers_dims[l], layers_dims[l-1]) matrix, not one row "
                       f"that is repeated or broadcast.", f"{prefix}.identical_rows")
        if n_prev >= 2 and np.unique(W, axis=1).shape[1] < n_prev:
            fail(name, f"W{l} has identical columns for layers_dims={dims}: each unit weighs some inputs equally. "
                       f"Draw a full (layers_dims[l], layers_dims[l-1]) matrix, not one column that is repeated or "
                       f"broadcast.", f"{prefix}.identical_columns")
    # The same draws in two layers: np.random.seed(3) called inside the loop.
    for l in range(2, L + 1):
        for order in ("C", "F"):
            a = arrays[f"W{l - 1}"].ravel(order=order)
            b = arrays[f"W{l}"].ravel(order=order)
            k = min(a.size, b.size)
            if k >= 3 and a[0] != 0 and np.allclose(b[:k], a[:k] * (b[0] / a[0]), rtol=1e-9, atol=0):
                fail(name, f"W{l} starts with the same random numbers as W{l - 1} for layers_dims={dims}: did you "
                           f"call np.random.seed(3) inside the loop? Seed once, at the top of the function.",
                     f"{prefix}.seed_in_loop")


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


def _check_distribution(name, prefix, measured, scale, scale_text, candidates):
    """measured: list of (dims, arrays); scale(n_prev, n) -> expected std;
    candidates: list of (scale function, hint, tag) for the usual mistakes."""
    stats = [(dims, s) for dims, arrays in measured for s in _layer_stats(arrays, dims)]
    # Centered on 0 (rand draws in [0, 1) are not).
    for dims, (l, n_prev, n, size, mean, rms) in stats:
        if rms > 0 and abs(mean) > SIGMAS * rms / np.sqrt(size):
            fail(name, f"W{l} entries average {mean:.3g} for layers_dims={dims}, but they should be centered on 0: "
                       f"did you use np.random.rand (uniform on [0, 1)) instead of np.random.randn (standard normal)?",
                 f"{prefix}.not_centered")
    # Normal, not uniform: kurtosis of the pooled entries, each layer standardized by its own RMS.
    pooled = np.concatenate([arrays[f"W{l}"].ravel() / np.sqrt(np.mean(arrays[f"W{l}"] ** 2))
                             for dims, arrays in measured for l in range(1, len(dims))
                             if arrays[f"W{l}"].size >= MIN_KURTOSIS_SIZE])
    kurtosis = float(np.mean(pooled ** 4))
    if abs(kurtosis - 3.0) > 0.6:
        fail(name, f"the weights do not look normally distributed (kurtosis {kurtosis:.2f}; a normal distribution "
                   f"has 3, a uniform one 1.8): draw them with np.random.randn.", f"{prefix}.not_normal")
    # Std per layer.
    bad = [(dims, s) for dims, s in stats if not _within(s[5], scale(s[1], s[2]), s[3])]
    if bad:
        dims, (l, n_prev, n, size, mean, rms) = max(
            bad, key=lambda item: abs(np.log(item[1][5] / scale(item[1][1], item[1][2]))))
        hint, tag = "check the factor that multiplies np.random.randn.", "std"
        for cand, cand_hint, cand_tag in candidates:
            if all(_within(s[5], cand(s[1], s[2]), s[3]) for _, s in stats):
                hint, tag = cand_hint, cand_tag
                break
        text = scale_text(n_prev, n)
        fail(name, f"W{l} std is {rms:.3g} for layers_dims={dims}, expected about {scale(n_prev, n):.3g}"
                   f"{' = ' + text if text else ''}: {hint}", f"{prefix}.{tag}")


def _random_judge(name, prefix, scale, scale_text, candidates):
    """The judge of a random initializer with weight std scale(n_prev, n)."""
    def judge(cases, answers):
        with quiet():
            checked, first = [], None
            for c, answer in zip(cases, answers):
                meta = c["meta"]
                dims = meta["dims"]
                arrays = _check_structure(name, prefix, _value(name, prefix, c, answer), dims)
                if meta["call"] == 1:
                    first = arrays
                else:
                    _check_same_twice(name, prefix, first, arrays, dims)
                if meta["call"] == meta["calls"]:
                    _check_b_zero(name, prefix, first, dims, "only the weights are random; the biases start at 0 "
                                                             "(np.zeros((layers_dims[l], 1))).")
                    _check_symmetry_broken(name, prefix, first, dims)
                    checked.append((dims, first))
            _check_distribution(name, prefix, checked, scale, scale_text, candidates)
    return judge


RANDOM = "initialize_parameters_random"
_RANDOM_MISTAKES = [
    (lambda p, n: 1.0, "did you forget to multiply np.random.randn(...) by 10?", "no_factor"),
    (lambda p, n: 0.01, "you multiplied by 0.01 (the usual small init); this exercise deliberately uses * 10.",
     "times_0_01"),
    (lambda p, n: 100.0, "you multiplied by 100; this exercise uses * 10.", "times_100"),
    (lambda p, n: np.sqrt(10.0), "multiply by 10, not by sqrt(10): 10 is the std, not the variance.", "sqrt_10"),
    (lambda p, n: np.sqrt(2.0 / p), "that is He scaling, sqrt(2/n_prev), the next exercise; here multiply by 10.",
     "he_scale"),
    (lambda p, n: 10.0 / np.sqrt(p), "you divided by sqrt(n_prev); this exercise multiplies by 10 only.",
     "divided_by_sqrt_n_prev"),
]
check_initialize_parameters_random = Check(
    RANDOM, prefix="random", cases=_random_cases,
    judge=_random_judge(RANDOM, "random", lambda p, n: 10.0, lambda p, n: "", _RANDOM_MISTAKES))


HE = "initialize_parameters_he"
_HE_MISTAKES = [
    (lambda p, n: np.sqrt(1.0 / p),
     "did you use sqrt(1/n) (Xavier)? He initialization, for ReLU layers, uses sqrt(2/n_prev).",
     "scale_sqrt_1_over_n"),
    (lambda p, n: np.sqrt(2.0 / n),
     "you used the width of the current layer, layers_dims[l]; He scales by the number of inputs of each unit, "
     "the previous layer's width layers_dims[l-1] (wrong layer index).", "current_layer_width"),
    (lambda p, n: np.sqrt(1.0 / n),
     "did you use sqrt(1/n) with the current layer's width? He uses np.sqrt(2 / layers_dims[l-1]).",
     "scale_sqrt_1_over_current_width"),
    (lambda p, n: 2.0 / p,
     "did you forget the square root? The variance is 2/n_prev, so the factor on randn (the std) is "
     "np.sqrt(2 / layers_dims[l-1]).", "no_sqrt"),
    (lambda p, n: 1.0 / p, "you multiplied by 1/n_prev; He uses np.sqrt(2 / layers_dims[l-1]).", "scale_1_over_n"),
    (lambda p, n: np.sqrt(2.0) / p,
     "the square root must cover the whole fraction: np.sqrt(2 / n_prev), not np.sqrt(2) / n_prev.",
     "sqrt_of_numerator_only"),
    (lambda p, n: np.sqrt(2.0 * p), "you used np.sqrt(2 * n_prev); He uses np.sqrt(2 / n_prev).", "scale_sqrt_2n"),
    (lambda p, n: np.sqrt(2.0 / (p + n)),
     "that is Glorot's sqrt(2 / (n_prev + n_l)); He uses only the previous layer's width: sqrt(2 / n_prev).",
     "glorot"),
    (lambda p, n: 1.0,
     "did you forget the scaling? np.random.randn alone has std 1; multiply by np.sqrt(2 / n_prev).", "no_scale"),
    (lambda p, n: 0.01, "you multiplied by 0.01 (the small init); He multiplies by np.sqrt(2 / n_prev).",
     "times_0_01"),
    (lambda p, n: 10.0, "that is the * 10 of the previous exercise; He multiplies by np.sqrt(2 / n_prev).",
     "times_10"),
    (lambda p, n: 10.0 * np.sqrt(2.0 / p),
     "you kept the * 10 of the previous exercise; He multiplies by np.sqrt(2 / n_prev) only.", "kept_times_10"),
]
check_initialize_parameters_he = Check(
    HE, prefix="he", cases=_random_cases,
    judge=_random_judge(HE, "he", lambda p, n: np.sqrt(2.0 / p), lambda p, n: f"sqrt(2/n_prev) = sqrt(2/{p})",
                        _HE_MISTAKES))
