"""Hidden checks for week 1, notebook `regularization`.

Deterministic functions (normalize_inputs, diagnose, the L2 cost and backward,
the dropout backward with a fixed cache) are compared with the reference on
several random shapes, seeds and edge cases (lambd = 0, keep_prob = 1, m = 1,
a layer of width 1). The backward functions are also compared with numerical
gradients. The dropout forward pass is random, so it is checked by structure
only, which every correct implementation satisfies whatever its draw order or
method (rand < keep_prob, bool or int masks, a seed inside or not):

- the cache holds (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3);
- masks are 0/1, shaped like the activations, differ across examples and units;
- the pieces agree with each other: Z1 = W1 X + b1 (no dropout on the input),
  A1 = relu(Z1) * D1 / keep_prob, Z2 = W2 A1 + b2, ..., A3 = sigmoid(Z3) (no
  dropout on the output);
- the fraction of kept units is keep_prob within 10 standard errors (measured on
  large layers);
- keep_prob = 1 gives the plain forward pass.

A failure names the likely mistake: the student's output is compared with the
outputs of the usual wrong formulas. The checks vary widths, m, lambd and
keep_prob, not depth: these functions belong to the notebook's 3-layer net.
"""

import math

import numpy as np

from autograder.hidden.common import (CheckFailed, as_float_array, call, close, expect_keys, expect_shape,
                                      fail, first_match, quiet)
from autograder.numgrad import numerical_param_gradients
from autograder.reference import week1 as ref
from course import nn

__all__ = ["check_normalize_inputs", "check_diagnose", "check_compute_cost_with_regularization",
           "check_backward_propagation_with_regularization", "check_forward_propagation_with_dropout",
           "check_backward_propagation_with_dropout"]

PARAM_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")
CACHE_ORDER = "(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)"


# ---------------------------------------------------------------- shared helpers

def _net(rng, n0, n1, n2, m):
    """Random X (n0, m), Y (1, m) and parameters of a [n0, n1, n2, 1] net (nonzero biases)."""
    X = rng.randn(n0, m)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    dims = [n0, n1, n2, 1]
    params = {}
    for l in range(1, 4):
        params[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        params[f"b{l}"] = 0.5 * rng.randn(dims[l], 1)
    return X, Y, params


def _copy(obj):
    """Deep copy of arrays inside dicts/tuples, so student code cannot alter our data."""
    if isinstance(obj, dict):
        return {k: np.array(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return tuple(np.array(v) for v in obj)
    return np.array(obj)


def _rel_norm(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def _grads_dict(name, grads, params):
    """Check the gradient dict has dW1..db3 with the parameters' shapes; return float arrays."""
    expect_keys(name, "the returned gradients", grads, PARAM_GRADS)
    out = {}
    for k in PARAM_GRADS:
        g = as_float_array(name, k, grads[k])
        expect_shape(name, k, g, np.shape(params[k[1:]]))
        out[k] = g
    return out


def _where(n0, n1, n2, m, **kw):
    extra = "".join(f", {k}={v}" for k, v in kw.items())
    return f"(layer widths [{n0}, {n1}, {n2}, 1], m={m}{extra})"


class _Rng:
    """Seed the global NumPy RNG for the duration of a check and restore it afterwards,
    so the check neither depends on nor disturbs the notebook's random state."""

    def __init__(self, seed):
        self.seed = seed

    def __enter__(self):
        self.state = np.random.get_state()
        np.random.seed(self.seed)
        return self

    def __exit__(self, *exc):
        np.random.set_state(self.state)
        return False


# ---------------------------------------------------------------- normalize_inputs

def _scaled_data(rng, n, m_train, m_test):
    scales = np.exp(rng.uniform(-2, 3, size=(n, 1)))
    offsets = rng.uniform(-50, 50, size=(n, 1))
    X_train = rng.randn(n, m_train) * scales + offsets
    X_test = rng.randn(n, m_test) * scales * 1.5 + offsets + scales
    return X_train, X_test


def check_normalize_inputs(fn):
    name = "normalize_inputs"
    rng = np.random.RandomState(101)
    # (n_x, m_train, m_test): n_x != m everywhere, one feature, m_test = 1, m_train = 2
    for n, m_train, m_test in [(3, 40, 10), (1, 7, 3), (5, 200, 1), (2, 2, 4), (4, 9, 6)]:
        X_train, X_test = _scaled_data(rng, n, m_train, m_test)
        where = f"(X_train {X_train.shape}, X_test {X_test.shape})"
        out = call(name, fn, X_train.copy(), X_test.copy())
        if not isinstance(out, (tuple, list)) or len(out) != 4:
            fail(name, "should return a tuple of four things: (X_train_norm, X_test_norm, mu, sigma)")
        Xn, Xtn, mu, sigma = (as_float_array(name, w, v) for w, v in
                              zip(("X_train_norm", "X_test_norm", "mu", "sigma"), out))
        r_Xn, r_Xtn, r_mu, r_sigma = ref.normalize_inputs(X_train, X_test)
        for what, value in (("mu", mu), ("sigma", sigma)):
            if value.shape != (n, 1):
                if value.shape == (n,):
                    hint = "keep the column shape with keepdims=True"
                elif value.shape == (1, m_train) or value.shape == (m_train,):
                    hint = ("you averaged over the features (axis=0); each feature (row) needs its own "
                            "statistic over the examples: axis=1, keepdims=True")
                elif value.size == 1:
                    hint = ("that is one number for the whole matrix; compute one value per feature with "
                            "axis=1, keepdims=True")
                else:
                    hint = "one value per feature (row): axis=1, keepdims=True"
                fail(name, f"{what} has shape {value.shape}, expected {(n, 1)} {where}: {hint}")
        if not close(mu, r_mu) and close(mu, r_sigma) and close(sigma, r_mu):
            fail(name, "mu and sigma are swapped: return (X_train_norm, X_test_norm, mu, sigma)")
        if not close(mu, r_mu):
            fail(name, f"mu is not the mean of each feature over the training examples {where}")
        if not close(sigma, r_sigma):
            centered = X_train - r_mu
            label = first_match(sigma, {
                "sample": np.sqrt(np.sum(centered ** 2, axis=1, keepdims=True) / max(m_train - 1, 1)),
                "variance": np.mean(centered ** 2, axis=1, keepdims=True),
                "uncentered": np.sqrt(np.mean(X_train ** 2, axis=1, keepdims=True)),
            })
            msg = {
                "sample": "sigma divides by m - 1 (the sample std, ddof=1); the lecture's formula divides by m: "
                          "np.std(X, axis=1, keepdims=True) or np.sqrt(np.mean((X - mu) ** 2, ...))",
                "variance": "sigma is the variance; take its square root to get the standard deviation",
                "uncentered": "sigma was computed from x ** 2 before subtracting the mean; subtract mu first",
            }.get(label, "sigma is not the (1/m) standard deviation of each feature over the training examples")
            fail(name, f"{msg} {where}")
        expect_shape(name, "X_train_norm", Xn, X_train.shape)
        expect_shape(name, "X_test_norm", Xtn, X_test.shape)
        if not close(Xn, r_Xn):
            label = first_match(Xn, {"center": X_train - r_mu, "scale": X_train / r_sigma,
                                     "var": (X_train - r_mu) / r_sigma ** 2, "same": X_train})
            msg = {"center": "X_train_norm is centered but not divided by sigma",
                   "scale": "X_train_norm is divided by sigma but mu was not subtracted",
                   "var": "X_train_norm was divided by sigma ** 2 (the variance); divide by sigma",
                   "same": "X_train_norm is X_train unchanged"}.get(label, "X_train_norm is not (X_train - mu) / sigma")
            fail(name, f"{msg} {where}")
        if not close(Xtn, r_Xtn):
            with quiet():
                own_mu = X_test.mean(axis=1, keepdims=True)
                own = (X_test - own_mu) / X_test.std(axis=1, keepdims=True)
                own_mu_only = (X_test - own_mu) / r_sigma
            label = first_match(Xtn, {"own": own, "own_mu": own_mu_only, "same": X_test,
                                      "center": X_test - r_mu})
            msg = {"own": "X_test_norm was normalized with the test set's own mean and std; use the training set's "
                          "mu and sigma, so both sets go through the same transformation",
                   "own_mu": "X_test_norm subtracts the test set's own mean; use the training set's mu",
                   "same": "X_test_norm is X_test unchanged; normalize it with the training set's mu and sigma",
                   "center": "X_test_norm is centered but not divided by sigma"}.get(
                label, "X_test_norm is not (X_test - mu) / sigma with the training set's mu and sigma")
            fail(name, f"{msg} {where}")


# ---------------------------------------------------------------- diagnose

# Each variant maps (train, dev, bayes, tol) to a wrong high_bias or high_variance.
_BIAS_MISTAKES = (
    (lambda t, d, b, tol: t > tol, "high_bias ignores bayes_error: the avoidable bias is train_error - bayes_error"),
    (lambda t, d, b, tol: d - b > tol, "high_bias uses dev_error; the avoidable bias is train_error - bayes_error"),
    (lambda t, d, b, tol: d - t > tol, "high_bias and high_variance look swapped: return (high_bias, high_variance)"),
    (lambda t, d, b, tol: t - b > 0.02, "high_bias ignores the tolerance argument (0.02 is only its default)"),
    (lambda t, d, b, tol: t - b > 0, "high_bias compares with 0; compare the avoidable bias with tolerance"),
    (lambda t, d, b, tol: t > b, "high_bias compares with 0; compare the avoidable bias with tolerance"),
)
_VARIANCE_MISTAKES = (
    (lambda t, d, b, tol: d - b > tol,
     "high_variance uses dev_error - bayes_error; the variance is dev_error - train_error"),
    (lambda t, d, b, tol: d > tol,
     "high_variance compares dev_error itself with tolerance; the variance is dev_error - train_error"),
    (lambda t, d, b, tol: t - b > tol, "high_bias and high_variance look swapped: return (high_bias, high_variance)"),
    (lambda t, d, b, tol: t - d > tol, "high_variance has the sign flipped: the variance is dev_error - train_error"),
    (lambda t, d, b, tol: d - t > 0.02, "high_variance ignores the tolerance argument (0.02 is only its default)"),
    (lambda t, d, b, tol: d - t > 0, "high_variance compares with 0; compare the variance with tolerance"),
    (lambda t, d, b, tol: d > t, "high_variance compares with 0; compare the variance with tolerance"),
)


def _diagnose_cases():
    # (train, dev, bayes, tol, how many arguments to pass): the lecture's examples first
    cases = [(0.01, 0.11, 0.0, 0.02, 2), (0.15, 0.16, 0.0, 0.02, 2), (0.15, 0.30, 0.0, 0.02, 2),
             (0.005, 0.01, 0.0, 0.02, 2), (0.15, 0.16, 0.14, 0.02, 3), (0.16, 0.25, 0.15, 0.02, 4),
             (0.08, 0.09, 0.0, 0.1, 4), (0.20, 0.23, 0.10, 0.05, 4), (0.03, 0.05, 0.02, 0.005, 4)]
    rng = np.random.RandomState(7)
    while len(cases) < 80:
        b = float(rng.choice([0.0, rng.uniform(0, 0.2)]))
        t = b + float(rng.uniform(0, 0.12))
        d = t + float(rng.uniform(-0.02, 0.12))
        tol = float(rng.choice([0.02, 0.01, 0.05, 0.1]))
        n_args = int(rng.choice([2, 3, 4])) if tol == 0.02 else 4
        if n_args == 2 and b != 0.0:
            n_args = 3
        if min(abs(t - b - tol), abs(d - t - tol), abs(t - b - 0.02), abs(d - t - 0.02)) < 1e-6:
            continue  # too close to a boundary: both answers would be defensible
        cases.append((t, d, b, tol, n_args))
    return cases


def _as_bool(name, what, value, args):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.ndarray) and value.dtype == bool and value.size == 1:
        return bool(value.reshape(()))
    fail(name, f"{what} should be True or False, got {value!r} (a {type(value).__name__}) for arguments {args}: "
               "a comparison such as `x > tolerance` gives a boolean")


def check_diagnose(fn):
    name = "diagnose"
    cases = _diagnose_cases()
    got = []
    for t, d, b, tol, n_args in cases:
        args = (t, d, b, tol)[:n_args]
        out = call(name, fn, *args)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(name, f"should return a tuple (high_bias, high_variance), got {out!r}")
        got.append((_as_bool(name, "high_bias", out[0], args), _as_bool(name, "high_variance", out[1], args)))
    expected = [ref.diagnose(t, d, b, tol) for t, d, b, tol, _ in cases]
    for i, (what, mistakes) in enumerate((("high_bias", _BIAS_MISTAKES), ("high_variance", _VARIANCE_MISTAKES))):
        wrong = [k for k, (g, e) in enumerate(zip(got, expected)) if g[i] != e[i]]
        if not wrong:
            continue
        for variant, msg in mistakes:
            if all(bool(variant(t, d, b, tol)) == g[i] for (t, d, b, tol, _), g in zip(cases, got)):
                fail(name, msg)
        t, d, b, tol, n_args = cases[wrong[0]]
        fail(name, f"for train_error={t:.4g}, dev_error={d:.4g}, bayes_error={b:.4g}, tolerance={tol:.4g} "
                   f"{what} should be {expected[wrong[0]][i]}: high bias means train_error - bayes_error > tolerance, "
                   "high variance means dev_error - train_error > tolerance")


# ---------------------------------------------------------------- compute_cost_with_regularization

def _sq(params, keys=("W1", "W2", "W3")):
    return sum(float(np.sum(np.square(params[k]))) for k in keys)


def check_compute_cost_with_regularization(fn):
    name = "compute_cost_with_regularization"
    rng = np.random.RandomState(202)
    for n0, n1, n2, m, lambd in [(3, 4, 2, 5, 0.7), (2, 20, 3, 150, 0.1), (4, 1, 3, 6, 2.0),
                                 (5, 3, 1, 1, 0.3), (2, 2, 2, 10, 0.0)]:
        _, Y, params = _net(rng, n0, n1, n2, m)
        A3 = nn.sigmoid(rng.randn(1, m))
        where = _where(n0, n1, n2, m, lambd=lambd)
        value = as_float_array(name, "the cost", call(name, fn, A3.copy(), Y.copy(), _copy(params), lambd))
        if value.size != 1:
            fail(name, f"the cost should be a single number, got an array of shape {value.shape} {where}: "
                       "np.sum(...) of each squared W gives a number")
        value = float(value.reshape(()))
        expected = ref.compute_cost_with_regularization(A3, Y, params, lambd)
        if np.isclose(value, expected, rtol=1e-7, atol=1e-12):
            continue
        ce = nn.compute_cost(A3, Y)
        S = _sq(params)
        k = lambd / (2 * m)
        candidates = {
            "lambd / m * sum ||W||^2: the cost uses lambd / (2 m); the 2 cancels in the derivative": ce + lambd / m * S,
            "lambd / 2 * sum ||W||^2: divide by 2 m (m = number of examples, Y.shape[1])": ce + lambd / 2 * S,
            "the biases are in the L2 term; only the weights W1, W2, W3 are regularized":
                ce + k * (S + _sq(params, ("b1", "b2", "b3"))),
            "W1 is missing from the L2 term": ce + k * _sq(params, ("W2", "W3")),
            "W2 is missing from the L2 term": ce + k * _sq(params, ("W1", "W3")),
            "W3 is missing from the L2 term": ce + k * _sq(params, ("W1", "W2")),
            "the L2 term sums the weights; sum their squares: np.sum(np.square(W))":
                ce + k * sum(float(np.sum(params[w])) for w in ("W1", "W2", "W3")),
            "the L2 term uses the norm ||W||_F; use its square (the sum of squared entries)":
                ce + k * sum(float(np.linalg.norm(params[w])) for w in ("W1", "W2", "W3")),
            "the cross-entropy part is missing: add compute_cost(A3, Y)": k * S,
            "the L2 term is subtracted; add it": ce - k * S,
            "only the cross-entropy cost is returned: add lambd / (2 m) * (sum of squared W1, W2, W3)": ce,
        }
        for msg, cand in candidates.items():
            if np.isclose(value, cand, rtol=1e-7, atol=1e-12):
                fail(name, f"{msg} {where}")
        fail(name, f"cost is {value:.10g}, expected {expected:.10g} {where}: "
                   "compute_cost(A3, Y) + lambd / (2 m) * (sum of squared entries of W1, W2, W3)")


# ---------------------------------------------------------------- backward_propagation_with_regularization

def _l2_diagnosis(key, got, plain, params, lambd, m):
    """Name the mistake in one regularized gradient, or None."""
    p = key[1:]
    W = params[p]
    if key.startswith("dW"):
        label = first_match(got, {
            "missing": plain,
            "half": plain + lambd / (2 * m) * W,
            "no_m": plain + lambd * W,
            "double": plain + 2 * lambd / m * W,
            "sign": plain - lambd / m * W,
        })
        return {"missing": f"{key} has no regularization term: add lambd / m * {p}",
                "half": (f"{key} adds lambd / (2 m) * {p}; the derivative of lambd / (2 m) * ||{p}||^2 "
                         f"is lambd / m * {p}"),
                "no_m": f"{key} adds lambd * {p}; divide by m: lambd / m * {p}",
                "double": f"{key} adds 2 lambd / m * {p}; the 2 of the square cancels the 1/2: lambd / m * {p}",
                "sign": f"{key} subtracts lambd / m * {p}; add it"}.get(label)
    if first_match(got, {"reg": plain + lambd / m * W, "half": plain + lambd / (2 * m) * W,
                         "nom": plain + lambd * W}):
        return f"{key} is regularized; the biases are not in the L2 term, so {key} is the plain gradient"
    return None


def check_backward_propagation_with_regularization(fn):
    name = "backward_propagation_with_regularization"
    rng = np.random.RandomState(303)
    cases = [(3, 4, 2, 5, 0.7), (2, 20, 3, 30, 0.1), (4, 1, 3, 6, 2.0), (3, 3, 1, 1, 0.3), (2, 5, 4, 8, 0.0)]
    for i, (n0, n1, n2, m, lambd) in enumerate(cases):
        X, Y, params = _net(rng, n0, n1, n2, m)
        _, cache = nn.forward_propagation(X, params)
        where = _where(n0, n1, n2, m, lambd=lambd)
        grads = _grads_dict(name, call(name, fn, X.copy(), Y.copy(), _copy(cache), lambd), params)
        expected = ref.backward_propagation_with_regularization(X, Y, cache, lambd)
        plain = nn.backward_propagation(X, Y, cache)
        for key in ("dW3", "db3", "dW2", "db2", "dW1", "db1"):
            if close(grads[key], expected[key], rtol=1e-6, atol=1e-10):
                continue
            msg = _l2_diagnosis(key, grads[key], plain[key], params, lambd, m)
            if msg is None:
                msg = (f"{key} differs from the expected gradient: backprop as without regularization, "
                       f"then add lambd / m * W to each dW (the db's stay as they are)")
            fail(name, f"{msg} {where}")
        if i == 0:  # the reference agrees with the reference; back that up with numerical gradients
            def cost(p):
                A3, _ = nn.forward_propagation(X, p)
                return ref.compute_cost_with_regularization(A3, Y, p, lambd)
            with quiet():
                num = numerical_param_gradients(cost, params)
            for key in PARAM_GRADS:
                if _rel_norm(grads[key], num[key]) > 1e-6:
                    fail(name, f"{key} disagrees with the numerical gradient of the regularized cost {where}")


# ---------------------------------------------------------------- forward_propagation_with_dropout

def _phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _unpack_dropout(name, out, params, where):
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(name, f"should return (A3, cache), got {type(out).__name__}")
    A3, cache = out
    if not isinstance(cache, (tuple, list)) or len(cache) != 14:
        n = len(cache) if isinstance(cache, (tuple, list)) else type(cache).__name__
        fail(name, f"cache should be a tuple of 14 arrays {CACHE_ORDER}, got {n} items")
    cache = [as_float_array(name, f"cache[{i}]", c) for i, c in enumerate(cache)]
    for pos, key in ((3, "W1"), (4, "b1"), (8, "W2"), (9, "b2"), (12, "W3"), (13, "b3")):
        if not close(cache[pos], params[key], rtol=0, atol=0):
            fail(name, f"cache[{pos}] should be {key}: the cache is {CACHE_ORDER} {where}")
    return as_float_array(name, "A3", A3), cache


def _check_mask(name, D, shape, what, where):
    if D.shape != shape:
        hint = (" A mask of shape (n, 1) would drop the same units for every example; draw one number per "
                f"activation: np.random.rand({what}.shape[0], {what}.shape[1])") if D.shape == (shape[0], 1) else ""
        fail(name, f"D{what[-1]} has shape {D.shape}, expected {shape} (the shape of {what}) {where}.{hint}")
    if not np.all((D == 0) | (D == 1)):
        if np.all((D >= 0) & (D < 1)):
            fail(name, f"D{what[-1]} holds the random numbers themselves; the mask is "
                       f"D{what[-1]} = (np.random.rand(...) < keep_prob), 1 = keep, 0 = drop {where}")
        fail(name, f"D{what[-1]} should hold only 0s and 1s (1 = keep the unit); keep the 1 / keep_prob scaling "
                   f"in {what}, not in the mask, and return the cache in the order {CACHE_ORDER} {where}")


def _check_layer(name, l, Z, D, A, kp, where):
    """A_l must be relu(Z_l) * D_l / keep_prob; name the mistake otherwise."""
    target = nn.relu(Z) * D / kp
    if close(A, target, rtol=1e-7, atol=1e-12):
        return
    label = first_match(A, {
        "noscale": nn.relu(Z) * D,
        "mult": nn.relu(Z) * D * kp,
        "nomask": nn.relu(Z),
        "nomask_scaled": nn.relu(Z) / kp,
        "before_relu": Z * D / kp,
    }, rtol=1e-7, atol=1e-12)
    msg = {"noscale": f"A{l} is masked but not divided by keep_prob (inverted dropout divides, to keep the expected "
                      f"activation unchanged)",
           "mult": f"A{l} is multiplied by keep_prob; inverted dropout divides by keep_prob",
           "nomask": f"A{l} = relu(Z{l}): the mask D{l} is not applied (A{l} = A{l} * D{l}, then / keep_prob)",
           "nomask_scaled": f"A{l} is divided by keep_prob but the mask D{l} is not applied",
           "before_relu": f"A{l} is missing the ReLU: A{l} = relu(Z{l}) * D{l} / keep_prob"}.get(
        label, f"A{l} should be relu(Z{l}) * D{l} / keep_prob, with the D{l} of your cache")
    fail(name, f"{msg} {where}")


def _check_dropout_pass(name, fn, X, params, kp, where):
    """Run one forward pass and check its internal consistency. Returns the float cache."""
    out = call(name, fn, X.copy(), _copy(params), kp)
    A3_out, cache = _unpack_dropout(name, out, params, where)
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = X.shape[1]
    n1, n2 = W1.shape[0], W2.shape[0]
    for what, value, shape in (("Z1", Z1, (n1, m)), ("A1", A1, (n1, m)), ("Z2", Z2, (n2, m)), ("A2", A2, (n2, m)),
                               ("Z3", Z3, (1, m)), ("A3 (in the cache)", A3, (1, m)), ("A3", A3_out, (1, m))):
        expect_shape(name, what, value, shape)
    if not close(Z1, W1 @ X + b1):
        fail(name, f"Z1 should be W1 X + b1: no dropout on the input layer X {where}")
    _check_mask(name, D1, (n1, m), "A1", where)
    _check_layer(name, 1, Z1, D1, A1, kp, where)
    if not close(Z2, W2 @ A1 + b2):
        if close(Z2, W2 @ nn.relu(Z1) + b2):
            fail(name, f"Z2 is computed from relu(Z1); use the dropped-out A1 (after masking and scaling) {where}")
        fail(name, f"Z2 should be W2 A1 + b2, with the A1 of your cache {where}")
    _check_mask(name, D2, (n2, m), "A2", where)
    _check_layer(name, 2, Z2, D2, A2, kp, where)
    if not close(Z3, W3 @ A2 + b3):
        if close(Z3, W3 @ nn.relu(Z2) + b3):
            fail(name, f"Z3 is computed from relu(Z2); use the dropped-out A2 (after masking and scaling) {where}")
        fail(name, f"Z3 should be W3 A2 + b3, with the A2 of your cache {where}")
    if not close(A3, nn.sigmoid(Z3)):
        fail(name, f"A3 should be sigmoid(Z3): no dropout (and no scaling) on the output layer {where}")
    if not close(A3_out, A3):
        fail(name, f"the returned A3 differs from the A3 in the cache {where}")
    return cache


def check_forward_propagation_with_dropout(fn):
    name = "forward_propagation_with_dropout"
    rng = np.random.RandomState(404)
    with _Rng(404):
        # structure: small nets, widths of 1, m = 1
        for n0, n1, n2, m, kp in [(3, 4, 2, 5, 0.7), (2, 6, 6, 10, 0.5), (4, 1, 3, 7, 0.8), (3, 3, 1, 1, 0.86)]:
            X, _, params = _net(rng, n0, n1, n2, m)
            _check_dropout_pass(name, fn, X, params, kp, _where(n0, n1, n2, m, keep_prob=kp))
        # statistics: large layers (80 000 units each), so the kept fraction is measured to about 0.15%;
        # keep_prob, 1 - keep_prob and Phi(keep_prob) (a randn mask) are far apart for both values
        n0, n1, n2, m = 2, 40, 40, 2000
        for kp in (0.3, 0.86):
            X, _, params = _net(rng, n0, n1, n2, m)
            where = _where(n0, n1, n2, m, keep_prob=kp)
            cache = _check_dropout_pass(name, fn, X, params, kp, where)
            for l, D in ((1, cache[1]), (2, cache[6])):
                frac = float(D.mean())
                tol = 10 * math.sqrt(kp * (1 - kp) / D.size)
                if abs(frac - kp) > tol:
                    if abs(frac - (1 - kp)) <= tol:
                        msg = (f"D{l} keeps {frac:.1%} of the units, expected keep_prob = {kp:.0%}: a unit is kept "
                               f"when np.random.rand(...) < keep_prob (you keep it with probability 1 - keep_prob: "
                               f"`> keep_prob` or `< 1 - keep_prob`?)")
                    elif abs(frac - _phi(kp)) <= tol:
                        msg = (f"D{l} keeps {frac:.1%} of the units, expected {kp:.0%}: the mask looks drawn with "
                               f"np.random.randn (normal); use np.random.rand (uniform on [0, 1))")
                    else:
                        msg = (f"D{l} keeps {frac:.1%} of the units, expected about keep_prob = {kp:.0%}: "
                               f"D{l} = (np.random.rand(...) < keep_prob)")
                    fail(name, f"{msg} {where}")
                if np.all(D == D[:, :1]):
                    fail(name, f"D{l} is the same for every example (all columns equal); each example needs its "
                               f"own mask: draw a full (n{l}, m) array {where}")
                if np.all(D == D[:1, :]):
                    fail(name, f"D{l} is the same for every unit of a layer (all rows equal); draw a full "
                               f"(n{l}, m) array {where}")
        # keep_prob = 1: nothing dropped, the plain forward pass
        n0, n1, n2, m = 2, 5, 4, 8
        X, _, params = _net(rng, n0, n1, n2, m)
        where = _where(n0, n1, n2, m, keep_prob=1)
        cache = _check_dropout_pass(name, fn, X, params, 1.0, where)
        A3_plain, _ = nn.forward_propagation(X, params)
        if not (np.all(cache[1] == 1) and np.all(cache[6] == 1)) or not close(cache[11], A3_plain):
            fail(name, f"with keep_prob = 1 nothing should be dropped and the output should equal the plain "
                       f"forward pass {where}")


# ---------------------------------------------------------------- backward_propagation_with_dropout

def _dropout_cache(X, params, D1, D2, kp):
    """The forward cache with given masks (as the reference forward builds it)."""
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = nn.relu(Z1) * D1 / kp
    Z2 = W2 @ A1 + b2
    A2 = nn.relu(Z2) * D2 / kp
    Z3 = W3 @ A2 + b3
    A3 = nn.sigmoid(Z3)
    return (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


# How a wrong backward treats dA_l: (uses the mask, factor on top of it)
_TREATMENTS = {"ok": (True, "div"), "noscale": (True, None), "nomask": (False, "div"),
               "none": (False, None), "mult": (True, "mult")}
_TREATMENT_MSG = {
    "noscale": "dA{l} is masked with D{l} but not divided by keep_prob",
    "nomask": "dA{l} is divided by keep_prob but not multiplied by the mask D{l}",
    "none": "dA{l} ignores dropout: multiply it by D{l} and divide by keep_prob, as in the forward pass",
    "mult": "dA{l} is multiplied by keep_prob; divide by it, as in the forward pass",
}


def _dropout_backward_variant(X, Y, cache, kp, t1, t2, swap=False):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    masks = {1: D2, 2: D1} if swap else {1: D1, 2: D2}

    def treat(dA, l, t):
        use_mask, factor = _TREATMENTS[t]
        if use_mask:
            dA = dA * masks[l]
        if factor == "div":
            dA = dA / kp
        elif factor == "mult":
            dA = dA * kp
        return dA

    dZ3 = A3 - Y
    g = {"dW3": dZ3 @ A2.T / m, "db3": np.sum(dZ3, axis=1, keepdims=True) / m}
    dZ2 = treat(W3.T @ dZ3, 2, t2) * (Z2 > 0)
    g["dW2"], g["db2"] = dZ2 @ A1.T / m, np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = treat(W2.T @ dZ2, 1, t1) * (Z1 > 0)
    g["dW1"], g["db1"] = dZ1 @ X.T / m, np.sum(dZ1, axis=1, keepdims=True) / m
    return g


def _dropout_diagnosis(grads, X, Y, cache, kp):
    n1, n2 = cache[0].shape[0], cache[5].shape[0]
    if n1 == n2 and _matches(grads, _dropout_backward_variant(X, Y, cache, kp, "ok", "ok", swap=True)):
        return "the masks are swapped: dA2 goes with D2 and dA1 with D1"
    for t2 in _TREATMENTS:
        for t1 in _TREATMENTS:
            if (t1, t2) == ("ok", "ok"):
                continue
            if _matches(grads, _dropout_backward_variant(X, Y, cache, kp, t1, t2)):
                parts = [_TREATMENT_MSG[t].format(l=l) for l, t in ((2, t2), (1, t1)) if t != "ok"]
                return "; ".join(parts)
    return None


def _matches(grads, cand):
    with quiet():
        return all(close(grads[k], cand[k], rtol=1e-6, atol=1e-10) for k in PARAM_GRADS)


def _backward_dropout_case(name, fn, X, Y, params, D1, D2, kp, where, numeric):
    cache = _dropout_cache(X, params, D1, D2, kp)
    grads = _grads_dict(name, call(name, fn, X.copy(), Y.copy(), _copy(cache), kp), params)
    expected = ref.backward_propagation_with_dropout(X, Y, cache, kp)
    if not _matches(grads, expected):
        msg = _dropout_diagnosis(grads, X, Y, cache, kp)
        if msg is None:
            bad = next(k for k in ("dW3", "db3", "dW2", "db2", "dW1", "db1")
                       if not close(grads[k], expected[k], rtol=1e-6, atol=1e-10))
            msg = (f"{bad} differs from the expected gradient; backprop as without dropout, but multiply each dA "
                   f"of a hidden layer by its mask and divide by keep_prob")
        fail(name, f"{msg} {where}")
    if numeric:
        def cost(p):
            A3 = _dropout_cache(X, p, D1, D2, kp)[11]
            return nn.compute_cost(A3, Y)
        with quiet():
            num = numerical_param_gradients(cost, params)
        for key in PARAM_GRADS:
            if _rel_norm(grads[key], num[key]) > 1e-6:
                fail(name, f"{key} disagrees with the numerical gradient of the cost with these fixed masks {where}")
    return grads


def check_backward_propagation_with_dropout(fn):
    name = "backward_propagation_with_dropout"
    rng = np.random.RandomState(505)
    # the first case has n1 == n2, so swapped masks are diagnosed rather than crashing
    cases = [(3, 4, 4, 6, 0.7), (2, 20, 3, 30, 0.86), (4, 1, 3, 5, 0.5), (3, 3, 1, 1, 0.8), (2, 5, 2, 8, 1.0)]
    for i, (n0, n1, n2, m, kp) in enumerate(cases):
        X, Y, params = _net(rng, n0, n1, n2, m)
        D1 = (rng.rand(n1, m) < kp).astype(int)
        D2 = (rng.rand(n2, m) < kp).astype(int)
        if i == 0:  # make sure some units are dropped and some kept in both layers
            D1[0, 0], D1[1, 0], D2[0, 1], D2[1, 1] = 0, 1, 0, 1
        where = _where(n0, n1, n2, m, keep_prob=kp)
        try:
            grads = _backward_dropout_case(name, fn, X, Y, params, D1, D2, kp, where, numeric=(i == 0))
        except CheckFailed:
            # a student's own forward may store boolean masks, and their backward may rely on it
            try:
                grads = _backward_dropout_case(name, fn, X, Y, params, D1.astype(bool), D2.astype(bool), kp,
                                               where, numeric=(i == 0))
            except CheckFailed:
                pass
            else:
                continue
            raise
        if kp == 1.0:
            _, plain_cache = nn.forward_propagation(X, params)
            plain = nn.backward_propagation(X, Y, plain_cache)
            if not _matches(grads, plain):
                fail(name, f"with keep_prob = 1 and no unit dropped the gradients should equal plain backprop {where}")
