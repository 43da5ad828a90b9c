"""Hidden checks of the hyperparameter samplers (section 1), by distribution, never by the exact draws.

Each case seeds NumPy's global generator (np.random.seed) and asks for many draws. The
judge checks the shape, the range, and the Kolmogorov-Smirnov distance between the draws
on the right scale (log10 of the learning rate, log10 of 1 - beta) and the uniform
distribution: any correct way of drawing passes (np.random.uniform, rand scaled, exp of a
uniform natural log, ...). A wrong answer is matched against the usual wrong scales, each
tested the same way. Two cases with the same seed must agree (the draws come from the
global generator) and two with different seeds must not (the function does not reseed).
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import fail, quiet, returned
from autograder.hidden.week3.batchnorm.shared import array

N = 10_000
KS_LIMIT = 0.03   # a correct sampler is below about 0.014 (99%); every wrong scale listed is far above


def ks_uniform(x, a, b):
    """Kolmogorov-Smirnov distance between the sample x and the uniform distribution on [a, b] (either order)."""
    if not (np.isfinite(a) and np.isfinite(b)) or a == b:
        return 1.0
    a, b = min(a, b), max(a, b)
    x = np.sort(np.asarray(x, dtype=float).ravel())
    n = x.size
    with quiet():
        F = np.clip((x - a) / (b - a), 0.0, 1.0)
    F = np.where(np.isnan(F), 1.0, F)
    return float(max(np.max(np.arange(1, n + 1) / n - F), np.max(F - np.arange(n) / n)))


def _quietly(f, x):
    with quiet():
        return f(x)


def _on_scale(got, transform, a, b):
    """Is transform(got) uniform on [a, b] (KS distance below the limit)?"""
    with quiet():
        t = transform(got)
    return bool(np.all(np.isfinite(t))) and ks_uniform(t, a, b) < KS_LIMIT


def _judge_sampler(name, prefix, cases, answers, defaults, scale, mistakes, describe_scale):
    """Shared judge. scale(low, high) -> (transform, a, b) of the right scale; mistakes(low, high) ->
    [(tag, message, transform, a, b)] of wrong scales."""
    draws = []
    for c, answer in zip(cases, answers):
        n = c["args"][0]
        low, high = c["args"][1:] if len(c["args"]) == 3 else defaults
        where_ = f"(n={n}, low={low}, high={high})" if len(c["args"]) == 3 else \
            f"(n={n}, low and high left to their defaults {defaults[0]} and {defaults[1]})"
        got = array(name, prefix, returned(name, prefix, c, answer), "the returned array", where_)
        if got.shape != (n,):
            hint = " Pass size=n to np.random.uniform (or rand(n)): a 1-D array." if got.size == n else ""
            fail(name, f"the returned array has shape {got.shape}, expected ({n},) {where_}.{hint}", f"{prefix}.shape")
        if not np.all(np.isfinite(got)):
            fail(name, f"some values are not finite (nan or inf) {where_}", f"{prefix}.not_finite")
        draws.append(got)
        if n < 1000:
            if not (np.all(got >= min(low, high) * (1 - 1e-12)) and np.all(got <= max(low, high) * (1 + 1e-12))):
                fail(name, f"returned {got.tolist()}, outside [{low}, {high}] {where_}", f"{prefix}.range")
            continue
        transform, a, b = scale(low, high)
        if _on_scale(got, transform, a, b):
            continue
        with quiet():
            distinct = np.unique(np.round(np.log10(np.abs(got) + 1e-300), 9)).size
        if distinct <= 20:
            fail(name, f"only {distinct} distinct values in {n} draws {where_}: the exponent must be a real number "
                       "drawn uniformly (np.random.uniform, or rand), not an integer (randint)",
                 f"{prefix}.integer_exponents")
        with quiet():
            wrong_scales = mistakes(low, high)
        for tag, message, t, ma, mb in wrong_scales:
            if _on_scale(got, t, ma, mb):
                fail(name, f"{message} {where_}", tag)
        lo, hi = float(np.min(got)), float(np.max(got))
        if lo < min(low, high) * (1 - 1e-9) or hi > max(low, high) * (1 + 1e-9):
            fail(name, f"the values range from {lo:.3g} to {hi:.3g}, outside [{low}, {high}] {where_}",
                 f"{prefix}.range")
        fail(name, f"the values are in range but not {describe_scale} {where_}: the Kolmogorov-Smirnov distance "
                   f"is {ks_uniform(_quietly(transform, got), a, b):.3f} (a correct sampler is below {KS_LIMIT})",
             f"{prefix}.distribution")
    _judge_seeds(name, prefix, cases, draws)


def _judge_seeds(name, prefix, cases, draws):
    """Cases marked meta 'same_as' / 'differs_from' another case index."""
    for i, c in enumerate(cases):
        meta = c.get("meta") or {}
        if "same_as" in meta and not np.array_equal(draws[i], draws[meta["same_as"]]):
            fail(name, "two calls after the same np.random.seed(...) gave different values: draw from NumPy's "
                       "global generator (np.random.uniform or np.random.rand), not from a generator of your own",
                 f"{prefix}.not_global_rng")
        if "differs_from" in meta and np.array_equal(draws[i], draws[meta["differs_from"]]):
            fail(name, "two calls after different seeds gave the same values: does the function call "
                       "np.random.seed itself? Leave the seeding to the caller", f"{prefix}.reseeds")


def _cases(args_list):
    cases = [case(*args, seed=seed) for seed, args in args_list]
    cases.append(case(*args_list[0][1], seed=args_list[0][0], meta={"same_as": 0}))
    cases.append(case(*args_list[0][1], seed=args_list[0][0] + 100, meta={"differs_from": 0}))
    return cases


# ---------------------------------------------------------------- sample_learning_rates

LR = "sample_learning_rates"


def _lr_cases():
    return _cases([(1, (N, 1e-4, 1.0)), (2, (N,)), (3, (N, 1e-3, 1e-1)), (4, (N, 1e-6, 1e-2)),
                   (5, (N, 0.5, 2.0)), (6, (1, 1e-4, 1.0)), (7, (3, 1e-3, 1e-2))])


def _lr_scale(low, high):
    return np.log10, np.log10(low), np.log10(high)


def _lr_mistakes(low, high):
    L, H = np.log10(low), np.log10(high)
    return [
        ("hp.lr_linear_scale", "the learning rates are uniform on a linear scale: almost all of them land in the "
                               "top decade. Draw r uniformly between log10(low) and log10(high), then return 10**r",
         lambda x: x, low, high),
        ("hp.lr_natural_log_bounds", "the exponent was drawn between the natural logs of the bounds but raised "
                                     "as a power of 10: use log10 for both, r = np.random.uniform(np.log10(low), "
                                     "np.log10(high)), then 10**r", np.log10, np.log(low), np.log(high)),
        ("hp.lr_natural_log_bounds", "the exponent was drawn between log10 of the bounds but exponentiated with "
                                     "np.exp: use 10**r (or draw between np.log(low) and np.log(high) for np.exp)",
         np.log, L, H),
        ("hp.lr_ignores_bounds", "the range is always 1e-4 .. 1: use the arguments low and high", np.log10, -4.0, 0.0),
        ("hp.lr_log_of_rate", "10**r is missing: the function returned the exponents r themselves, not 10**r",
         lambda x: x, L, H),
    ]


def _lr_judge(cases, answers):
    _judge_sampler(LR, "hp", cases, answers, (1e-4, 1.0), _lr_scale, _lr_mistakes,
                   "uniform in log10 (as many between 1e-4 and 1e-3 as between 0.1 and 1)")


check_sample_learning_rates = Check(LR, prefix="hp", cases=_lr_cases, judge=_lr_judge)


# ---------------------------------------------------------------- sample_betas

BETAS = "sample_betas"


def _beta_cases():
    return _cases([(13, (N, 0.5, 0.99)), (11, (N, 0.9, 0.999)), (12, (N,)), (14, (N, 0.99, 0.9999)),
                   (15, (N, 0.0, 0.9)), (16, (1, 0.9, 0.999)), (17, (3, 0.9, 0.99))])


def _one_minus(x):
    return np.log10(1 - x)


def _beta_scale(low, high):
    return _one_minus, np.log10(1 - high), np.log10(1 - low)


def _beta_mistakes(low, high):
    L, H = np.log10(1 - high), np.log10(1 - low)
    return [
        ("hp.beta_linear_scale", "the betas are uniform on a linear scale: between 0.9 and 0.999 almost all are "
                                 "below 0.99, where the average window 1/(1 - beta) hardly changes. Sample "
                                 "r = log10(1 - beta) uniformly, then return 1 - 10**r", lambda x: x, low, high),
        ("hp.beta_log_of_beta", "log10 of beta was sampled uniformly, not log10 of 1 - beta: the scale that "
                                "matters is 1 - beta (0.1, 0.01, 0.001), so draw r between log10(1 - high) and "
                                "log10(1 - low) and return 1 - 10**r", np.log10, np.log10(low), np.log10(high)),
        ("hp.beta_log_of_beta", "the exponent was drawn between log10(low) and log10(high), the logs of the betas: "
                                "draw r between log10(1 - high) and log10(1 - low), the logs of 1 - beta",
         _one_minus, np.log10(low), np.log10(high)),
        ("hp.beta_returns_one_minus_beta", "the function returned 1 - beta (values near 0.001 .. 0.1): return "
                                           "beta = 1 - 10**r", np.log10, L, H),
        ("hp.beta_natural_log_bounds", "natural logs and powers of 10 are mixed: with r drawn between "
                                       "np.log10(1 - high) and np.log10(1 - low), return 1 - 10**r",
         _one_minus, np.log(1 - high), np.log(1 - low)),
        ("hp.beta_natural_log_bounds", "natural logs and powers of 10 are mixed: with r drawn between "
                                       "np.log10(1 - high) and np.log10(1 - low), return 1 - 10**r (not np.exp)",
         lambda x: np.log(1 - x), L, H),
        ("hp.beta_ignores_bounds", "the range is always 0.9 .. 0.999: use the arguments low and high",
         _one_minus, -3.0, -1.0),
    ]


def _beta_judge(cases, answers):
    _judge_sampler(BETAS, "hp", cases, answers, (0.9, 0.999), _beta_scale, _beta_mistakes,
                   "uniform in log10(1 - beta) (as many between 0.9 and 0.99 as between 0.99 and 0.999)")


check_sample_betas = Check(BETAS, prefix="hp", cases=_beta_cases, judge=_beta_judge)
