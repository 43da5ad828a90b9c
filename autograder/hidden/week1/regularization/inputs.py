"""Hidden checks of normalize_inputs and diagnose (regularization notebook, sections 2 and 3).

normalize_inputs is compared with the reference on data whose features have very
different scales and offsets (n_x != m everywhere, one feature, m_test = 1,
m_train = 2); diagnose on the lecture's examples and on random errors away from
the decision boundaries, with 2, 3 or 4 arguments. A wrong answer is matched
against the usual wrong formulas to name the mistake.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import as_float_array, close, expect_shape, fail, first_match, quiet, returned
from autograder.hidden.week1.regularization.shared import ref

# ---------------------------------------------------------------- normalize_inputs

NORMALIZE = "normalize_inputs"


def _scaled_data(rng, n, m_train, m_test):
    scales = np.exp(rng.uniform(-2, 3, size=(n, 1)))
    offsets = rng.uniform(-50, 50, size=(n, 1))
    X_train = rng.randn(n, m_train) * scales + offsets
    X_test = rng.randn(n, m_test) * scales * 1.5 + offsets + scales
    return X_train, X_test


def _normalize_cases():
    rng = np.random.RandomState(101)
    # (n_x, m_train, m_test): n_x != m everywhere, one feature, m_test = 1, m_train = 2
    return [case(*_scaled_data(rng, n, m_train, m_test))
            for n, m_train, m_test in [(3, 40, 10), (1, 7, 3), (5, 200, 1), (2, 2, 4), (4, 9, 6)]]


def _stat_shape_hint(shape, n, m_train):
    """(hint, tag) for a mu or sigma of the wrong shape."""
    if shape == (n,):
        return "keep the column shape with keepdims=True", "normalize.no_keepdims"
    if shape == (1, m_train) or shape == (m_train,):
        return ("you averaged over the features (axis=0); each feature (row) needs its own statistic over the "
                "examples: axis=1, keepdims=True", "normalize.axis0")
    if int(np.prod(shape)) == 1:
        return ("that is one number for the whole matrix; compute one value per feature with axis=1, "
                "keepdims=True", "normalize.one_number")
    return "one value per feature (row): axis=1, keepdims=True", "normalize.stat_shape"


def _judge_sigma(sigma, X_train, r_mu, where):
    m_train = X_train.shape[1]
    centered = X_train - r_mu
    label = first_match(sigma, {
        "sample": np.sqrt(np.sum(centered ** 2, axis=1, keepdims=True) / max(m_train - 1, 1)),
        "variance": np.mean(centered ** 2, axis=1, keepdims=True),
        "uncentered": np.sqrt(np.mean(X_train ** 2, axis=1, keepdims=True)),
    })
    msg, tag = {
        "sample": ("sigma divides by m - 1 (the sample std, ddof=1); the lecture's formula divides by m: "
                   "np.std(X, axis=1, keepdims=True) or np.sqrt(np.mean((X - mu) ** 2, ...))",
                   "normalize.sigma_sample_std"),
        "variance": ("sigma is the variance; take its square root to get the standard deviation",
                     "normalize.sigma_variance"),
        "uncentered": ("sigma was computed from x ** 2 before subtracting the mean; subtract mu first",
                       "normalize.sigma_uncentered"),
    }.get(label, ("sigma is not the (1/m) standard deviation of each feature over the training examples",
                  "normalize.sigma"))
    fail(NORMALIZE, f"{msg} {where}", tag)


def _judge_train_norm(Xn, X_train, r_mu, r_sigma, where):
    label = first_match(Xn, {"center": X_train - r_mu, "scale": X_train / r_sigma,
                             "var": (X_train - r_mu) / r_sigma ** 2, "same": X_train})
    msg, tag = {
        "center": ("X_train_norm is centered but not divided by sigma", "normalize.train_not_scaled"),
        "scale": ("X_train_norm is divided by sigma but mu was not subtracted", "normalize.train_not_centered"),
        "var": ("X_train_norm was divided by sigma ** 2 (the variance); divide by sigma",
                "normalize.train_divided_by_variance"),
        "same": ("X_train_norm is X_train unchanged", "normalize.train_unchanged"),
    }.get(label, ("X_train_norm is not (X_train - mu) / sigma", "normalize.train"))
    fail(NORMALIZE, f"{msg} {where}", tag)


def _judge_test_norm(Xtn, X_test, r_mu, r_sigma, where):
    with quiet():
        own_mu = X_test.mean(axis=1, keepdims=True)
        own = (X_test - own_mu) / X_test.std(axis=1, keepdims=True)
        own_mu_only = (X_test - own_mu) / r_sigma
    label = first_match(Xtn, {"own": own, "own_mu": own_mu_only, "same": X_test, "center": X_test - r_mu})
    msg, tag = {
        "own": ("X_test_norm was normalized with the test set's own mean and std; use the training set's "
                "mu and sigma, so both sets go through the same transformation", "normalize.test_own_stats"),
        "own_mu": ("X_test_norm subtracts the test set's own mean; use the training set's mu",
                   "normalize.test_own_mean"),
        "same": ("X_test_norm is X_test unchanged; normalize it with the training set's mu and sigma",
                 "normalize.test_unchanged"),
        "center": ("X_test_norm is centered but not divided by sigma", "normalize.test_not_scaled"),
    }.get(label, ("X_test_norm is not (X_test - mu) / sigma with the training set's mu and sigma",
                  "normalize.test"))
    fail(NORMALIZE, f"{msg} {where}", tag)


def _normalize_judge(cases, answers):
    name = NORMALIZE
    for c, answer in zip(cases, answers):
        X_train, X_test = c["args"]
        n, m_train = X_train.shape
        where = f"(X_train {X_train.shape}, X_test {X_test.shape})"
        out = returned(name, "normalize", c, answer)
        if not isinstance(out, (tuple, list)) or len(out) != 4:
            fail(name, "should return a tuple of four things: (X_train_norm, X_test_norm, mu, sigma)",
                 "normalize.return_type")
        Xn, Xtn, mu, sigma = (as_float_array(name, w, v, "normalize.not_array") for w, v in
                              zip(("X_train_norm", "X_test_norm", "mu", "sigma"), out))
        r_Xn, r_Xtn, r_mu, r_sigma = ref.normalize_inputs(X_train, X_test)
        for what, value in (("mu", mu), ("sigma", sigma)):
            if value.shape != (n, 1):
                hint, tag = _stat_shape_hint(value.shape, n, m_train)
                fail(name, f"{what} has shape {value.shape}, expected {(n, 1)} {where}: {hint}", tag)
        if not close(mu, r_mu) and close(mu, r_sigma) and close(sigma, r_mu):
            fail(name, "mu and sigma are swapped: return (X_train_norm, X_test_norm, mu, sigma)",
                 "normalize.mu_sigma_swapped")
        if not close(mu, r_mu):
            fail(name, f"mu is not the mean of each feature over the training examples {where}", "normalize.mu")
        if not close(sigma, r_sigma):
            _judge_sigma(sigma, X_train, r_mu, where)
        expect_shape(name, "X_train_norm", Xn, X_train.shape, "normalize.shape")
        expect_shape(name, "X_test_norm", Xtn, X_test.shape, "normalize.shape")
        if not close(Xn, r_Xn):
            _judge_train_norm(Xn, X_train, r_mu, r_sigma, where)
        if not close(Xtn, r_Xtn):
            _judge_test_norm(Xtn, X_test, r_mu, r_sigma, where)


check_normalize_inputs = Check(NORMALIZE, prefix="normalize", cases=_normalize_cases, judge=_normalize_judge)


# ---------------------------------------------------------------- diagnose

DIAGNOSE = "diagnose"

# Each variant maps (train, dev, bayes, tol) to a wrong high_bias or high_variance: (variant, message, tag).
_BIAS_MISTAKES = (
    (lambda t, d, b, tol: t > tol, "high_bias ignores bayes_error: the avoidable bias is train_error - bayes_error",
     "diagnose.bias_ignores_bayes"),
    (lambda t, d, b, tol: d - b > tol, "high_bias uses dev_error; the avoidable bias is train_error - bayes_error",
     "diagnose.bias_uses_dev_error"),
    (lambda t, d, b, tol: d - t > tol, "high_bias and high_variance look swapped: return (high_bias, high_variance)",
     "diagnose.swapped"),
    (lambda t, d, b, tol: t - b > 0.02, "high_bias ignores the tolerance argument (0.02 is only its default)",
     "diagnose.bias_ignores_tolerance"),
    (lambda t, d, b, tol: t - b > 0, "high_bias compares with 0; compare the avoidable bias with tolerance",
     "diagnose.bias_compares_with_0"),
    (lambda t, d, b, tol: t > b, "high_bias compares with 0; compare the avoidable bias with tolerance",
     "diagnose.bias_compares_with_0"),
)
_VARIANCE_MISTAKES = (
    (lambda t, d, b, tol: d - b > tol,
     "high_variance uses dev_error - bayes_error; the variance is dev_error - train_error",
     "diagnose.variance_from_bayes"),
    (lambda t, d, b, tol: d > tol,
     "high_variance compares dev_error itself with tolerance; the variance is dev_error - train_error",
     "diagnose.variance_dev_error_only"),
    (lambda t, d, b, tol: t - b > tol, "high_bias and high_variance look swapped: return (high_bias, high_variance)",
     "diagnose.swapped"),
    (lambda t, d, b, tol: t - d > tol, "high_variance has the sign flipped: the variance is dev_error - train_error",
     "diagnose.variance_sign"),
    (lambda t, d, b, tol: d - t > 0.02, "high_variance ignores the tolerance argument (0.02 is only its default)",
     "diagnose.variance_ignores_tolerance"),
    (lambda t, d, b, tol: d - t > 0, "high_variance compares with 0; compare the variance with tolerance",
     "diagnose.variance_compares_with_0"),
    (lambda t, d, b, tol: d > t, "high_variance compares with 0; compare the variance with tolerance",
     "diagnose.variance_compares_with_0"),
)


def _diagnose_errors():
    """[(train, dev, bayes, tol, how many arguments to pass)]: the lecture's examples first, then random ones."""
    errors = [(0.01, 0.11, 0.0, 0.02, 2), (0.15, 0.16, 0.0, 0.02, 2), (0.15, 0.30, 0.0, 0.02, 2),
              (0.005, 0.01, 0.0, 0.02, 2), (0.15, 0.16, 0.14, 0.02, 3), (0.16, 0.25, 0.15, 0.02, 4),
              (0.08, 0.09, 0.0, 0.1, 4), (0.20, 0.23, 0.10, 0.05, 4), (0.03, 0.05, 0.02, 0.005, 4)]
    rng = np.random.RandomState(7)
    while len(errors) < 80:
        b = float(rng.choice([0.0, rng.uniform(0, 0.2)]))
        t = b + float(rng.uniform(0, 0.12))
        d = t + float(rng.uniform(-0.02, 0.12))
        tol = float(rng.choice([0.02, 0.01, 0.05, 0.1]))
        n_args = int(rng.choice([2, 3, 4])) if tol == 0.02 else 4
        if n_args == 2 and b != 0.0:
            n_args = 3
        if min(abs(t - b - tol), abs(d - t - tol), abs(t - b - 0.02), abs(d - t - 0.02)) < 1e-6:
            continue  # too close to a boundary: both answers would be defensible
        errors.append((t, d, b, tol, n_args))
    return errors


def _diagnose_cases():
    return [case(*(t, d, b, tol)[:n_args], meta=(t, d, b, tol)) for t, d, b, tol, n_args in _diagnose_errors()]


def _as_bool(what, value, args):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.ndarray) and value.dtype == bool and value.size == 1:
        return bool(value.reshape(()))
    fail(DIAGNOSE, f"{what} should be True or False, got {value!r} (a {type(value).__name__}) for arguments {args}: "
                   "a comparison such as `x > tolerance` gives a boolean", "diagnose.not_bool")


def _diagnose_judge(cases, answers):
    name = DIAGNOSE
    got = []
    for c, answer in zip(cases, answers):
        args = tuple(c["args"])
        out = returned(name, "diagnose", c, answer)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(name, f"should return a tuple (high_bias, high_variance), got {out!r}", "diagnose.return_type")
        got.append((_as_bool("high_bias", out[0], args), _as_bool("high_variance", out[1], args)))
    errors = [c["meta"] for c in cases]
    expected = [ref.diagnose(t, d, b, tol) for t, d, b, tol in errors]
    for i, (what, mistakes) in enumerate((("high_bias", _BIAS_MISTAKES), ("high_variance", _VARIANCE_MISTAKES))):
        wrong = [k for k, (g, e) in enumerate(zip(got, expected)) if g[i] != e[i]]
        if not wrong:
            continue
        for variant, msg, tag in mistakes:
            if all(bool(variant(t, d, b, tol)) == g[i] for (t, d, b, tol), g in zip(errors, got)):
                fail(name, msg, tag)
        t, d, b, tol = errors[wrong[0]]
        fail(name, f"for train_error={t:.4g}, dev_error={d:.4g}, bayes_error={b:.4g}, tolerance={tol:.4g} "
                   f"{what} should be {expected[wrong[0]][i]}: high bias means train_error - bayes_error > tolerance, "
                   "high variance means dev_error - train_error > tolerance", f"diagnose.wrong_{what}")


check_diagnose = Check(DIAGNOSE, prefix="diagnose", cases=_diagnose_cases, judge=_diagnose_judge)
