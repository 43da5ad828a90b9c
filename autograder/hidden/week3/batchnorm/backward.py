"""Hidden check of batchnorm_backward (section 4): the full gradient, through the mean and the variance.

The cache of each case is the reference forward's, in train mode: shapes from one unit to
twenty examples, a batch of three, eps from 1e-8 to 1e-2, gamma of both signs. The judge
compares dZ, dgamma and dbeta with a numerical gradient of sum(dout * out) by centered
differences (autograder/numgrad.py), relative error below 1e-7, and with the reference,
then names the usual mistakes (the mean or the variance treated as constants, a sum on the
wrong axis, a mean instead of a sum, ...).
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import as_tuple, fail, quiet, relative_norm, returned
from autograder.hidden.week3.batchnorm.shared import array, ref, worst
from autograder.numgrad import numerical_gradient

NAME = "batchnorm_backward"
LIMIT = 1e-7


def _cases():
    rng = np.random.RandomState(42)
    out = []
    for n, m, eps in ((4, 7, 1e-8), (3, 3, 1e-8), (6, 20, 1e-3), (1, 5, 1e-8), (5, 9, 1e-2)):
        Z = rng.randn(n, m) * rng.uniform(0.5, 3, (n, 1)) + rng.uniform(-2, 2, (n, 1))
        gamma = rng.uniform(0.5, 2, (n, 1)) * rng.choice([-1, 1], (n, 1))
        beta = rng.randn(n, 1)
        _, cache = ref.batchnorm_forward(Z, gamma, beta, {"mode": "train", "eps": eps})
        out.append(case(rng.randn(n, m), cache))
    return out


def numerical(dout, cache):
    """Numerical (dZ, dgamma, dbeta) of sum(dout * batchnorm_forward(Z, gamma, beta)), train mode."""
    Z, _, _, _, gamma, beta, eps = cache
    Z, gamma, beta = (np.array(a, dtype=float) for a in (Z, gamma, beta))

    def f():
        return float(np.sum(dout * ref.batchnorm_forward(Z, gamma, beta, {"mode": "train", "eps": eps})[0]))

    return tuple(numerical_gradient(f, x) for x in (Z, gamma, beta))


def _mistakes(dout, cache):
    Z, Zn, mu, var, gamma, beta, eps = cache
    m = Z.shape[1]
    with quiet():
        std = np.sqrt(var + eps)
        d = dout * gamma
        mean_d, mean_dz = d.mean(axis=1, keepdims=True), (d * Zn).mean(axis=1, keepdims=True)
        dg, db = np.sum(dout * Zn, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        full = (d - mean_d - Zn * mean_dz) / std
        return [
            ("bn.backward_no_mean_var_terms", "dZ treats the mean and the variance as constants (dZ = dZ_norm / "
                                              "sqrt(var + eps)): they depend on every Z of the batch, so dZ has two "
                                              "more terms, - mean(dZ_norm) - Z_norm * mean(dZ_norm * Z_norm)",
             (d / std, dg, db)),
            ("bn.backward_no_var_term", "dZ misses the variance's term, - Z_norm * mean(dZ_norm * Z_norm), before "
                                        "dividing by sqrt(var + eps)", ((d - mean_d) / std, dg, db)),
            ("bn.backward_no_mean_term", "dZ misses the mean's term, - mean(dZ_norm), before dividing by "
                                         "sqrt(var + eps)", ((d - Zn * mean_dz) / std, dg, db)),
            ("bn.backward_no_gamma", "dZ_norm = dout * gamma: gamma is missing from dZ",
             ((dout - dout.mean(axis=1, keepdims=True) - Zn * (dout * Zn).mean(axis=1, keepdims=True)) / std,
              dg, db)),
            ("bn.backward_scale_m", "dZ is m times too large: with sums instead of means the bracket is divided by "
                                    "m, dZ = (m dZ_norm - sum(dZ_norm) - Z_norm sum(dZ_norm Z_norm)) / (m sqrt(var + "
                                    "eps))", (full * m, dg, db)),
            ("bn.backward_unbiased", "dZ uses 1/(m-1) somewhere: the forward's variance is the biased one, 1/m",
             ((d - mean_d - Zn * np.sum(d * Zn, axis=1, keepdims=True) / max(m - 1, 1)) / std, dg, db)),
            ("bn.dgamma_mean", "dgamma and dbeta are means over the examples: they are sums, "
                               "np.sum(dout * Z_norm, axis=1, keepdims=True) and np.sum(dout, axis=1, keepdims=True)",
             (full, dg / m, db / m)),
            ("bn.dgamma_mean", "dgamma is a mean over the examples: it is a sum, np.sum(dout * Z_norm, axis=1, "
                               "keepdims=True)", (full, dg / m, db)),
            ("bn.dbeta_mean", "dbeta is a mean over the examples: it is a sum, np.sum(dout, axis=1, keepdims=True)",
             (full, dg, db / m)),
            ("bn.dgamma_dbeta_swapped", "dgamma and dbeta are swapped: dgamma = sum(dout * Z_norm), "
                                        "dbeta = sum(dout)", (full, db, dg)),
            ("bn.dgamma_raw_z", "dgamma uses Z instead of Z_norm: dgamma = np.sum(dout * Z_norm, axis=1, "
                                "keepdims=True)", (full, np.sum(dout * Z, axis=1, keepdims=True), db)),
        ]


def _param_grad(label, value, n, m, where_):
    g = array(NAME, "bn", value, label, where_)
    if g.shape == (n, 1):
        return g
    if g.shape in ((1, m), (m,)) and m != n:
        fail(NAME, f"{label} has shape {g.shape}: it was summed over axis 0 (the units); sum over the examples, "
                   f"axis=1, keepdims=True, for shape {(n, 1)} {where_}", f"bn.{label}_axis")
    if g.shape == (n,):
        fail(NAME, f"{label} has shape {g.shape}, expected {(n, 1)}, the shape of gamma {where_}: keepdims=True",
             f"bn.{label}_shape")
    if g.size == 1 and n != 1:
        fail(NAME, f"{label} is a single number: it was summed over everything; sum over the examples only, "
                   f"axis=1, keepdims=True, for shape {(n, 1)} {where_}", f"bn.{label}_axis")
    fail(NAME, f"{label} has shape {g.shape}, expected {(n, 1)}, the shape of gamma {where_}", f"bn.{label}_shape")


def _judge(cases, answers):
    for c, answer in zip(cases, answers):
        dout, cache = c["args"]
        n, m = dout.shape
        where_ = f"(dout of shape {dout.shape}, eps={cache[6]:g})"
        value = as_tuple(NAME, "bn_backward", returned(NAME, "bn_backward", c, answer), 3,
                      "a tuple (dZ, dgamma, dbeta)", where_)
        dZ = array(NAME, "bn", value[0], "dZ", where_)
        if dZ.shape != (n, m):
            fail(NAME, f"dZ has shape {dZ.shape}, expected {(n, m)}, the shape of Z {where_}", "bn.dZ_shape")
        got = (dZ, _param_grad("dgamma", value[1], n, m, where_), _param_grad("dbeta", value[2], n, m, where_))
        expected = ref.batchnorm_backward(dout, cache)
        numeric = numerical(dout, cache)
        errors = [relative_norm(g, e) for g, e in zip(got, numeric)]
        if max(errors) < LIMIT and all(relative_norm(g, e) < 1e-6 for g, e in zip(got, expected)):
            continue
        for tag, message, cand in _mistakes(dout, cache):
            if all(relative_norm(g, e) < 1e-9 for g, e in zip(got, cand)):
                fail(NAME, f"{message} {where_}", tag)
        label = ("dZ", "dgamma", "dbeta")[int(np.argmax(errors))]
        i = ("dZ", "dgamma", "dbeta").index(label)
        fail(NAME, f"{label} differs from the numerical gradient (relative error {errors[i]:.1e}, expected below "
                   f"{LIMIT:g}; {worst(got[i], numeric[i])}) {where_}", "bn.backward_wrong_value")


check_batchnorm_backward = Check(NAME, prefix="bn_backward", cases=_cases, judge=_judge)
