"""Hidden check of batchnorm_forward (section 4): the output, the cache and the running averages.

Cases in train and test mode, with eps and momentum given or left to their defaults, with
and without running averages in bn_param, a batch of two examples (where 1/m and 1/(m-1)
differ most), a unit whose variance (1e-8) is as small as the default eps, and a single
example in test mode. The bn_param dict is reported back as it is after the call, so the
judge sees what was stored in it. A wrong output is matched against the usual mistakes.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import as_tuple, fail, quiet, returned
from autograder.hidden.week3.batchnorm.shared import array, first_mistake, ref, same, worst

NAME = "batchnorm_forward"
CACHE = ("Z", "Z_norm", "mu", "var", "gamma", "beta", "eps")


def _layer(rng, n, m, scales=None):
    scales = rng.uniform(0.5, 3, (n, 1)) if scales is None else np.asarray(scales, dtype=float).reshape(n, 1)
    Z = rng.randn(n, m) * scales + rng.uniform(-2, 2, (n, 1))
    return Z, rng.uniform(0.5, 2, (n, 1)) * rng.choice([-1, 1], (n, 1)), rng.randn(n, 1)


def _cases():
    rng = np.random.RandomState(41)
    out = []
    Z, g, b = _layer(rng, 4, 7)
    out.append(case(Z, g, b, {"mode": "train"}, keep_args=True))
    Z, g, b = _layer(rng, 3, 9, scales=[0.05, 0.2, 1.0])
    out.append(case(Z, g, b, {"mode": "train", "eps": 1e-2, "momentum": 0.7,
                              "running_mean": rng.randn(3, 1), "running_var": rng.uniform(0.5, 2, (3, 1))},
                    keep_args=True))
    Z, g, b = _layer(rng, 5, 2)
    out.append(case(Z, g, b, {"mode": "train", "momentum": 0.8, "running_mean": rng.randn(5, 1),
                              "running_var": rng.uniform(0.5, 2, (5, 1))}, keep_args=True))
    Z, g, b = _layer(rng, 3, 6, scales=[1e-4, 1.0, 2.0])
    out.append(case(Z, g, b, {"mode": "train"}, keep_args=True))
    Z, g, b = _layer(rng, 1, 5)
    out.append(case(Z, g, b, {"mode": "train", "eps": 1e-5, "momentum": 0.5}, keep_args=True))
    Z, g, b = _layer(rng, 5, 6)
    out.append(case(Z, g, b, {"mode": "test", "eps": 1e-3, "momentum": 0.9, "running_mean": rng.randn(5, 1),
                              "running_var": rng.uniform(0.1, 2, (5, 1))}, keep_args=True))
    Z, g, b = _layer(rng, 4, 1)
    out.append(case(Z, g, b, {"mode": "test", "running_mean": rng.randn(4, 1),
                              "running_var": rng.uniform(0.5, 2, (4, 1))}, keep_args=True))
    return out


def _normalize(Z, mu, var, eps, gamma, beta):
    return gamma * (Z - mu) / np.sqrt(var + eps) + beta


def _out_mistakes(Z, gamma, beta, p):
    """[(tag, message, out)] of the usual wrong outputs for these inputs."""
    eps = p.get("eps", 1e-8)
    mu, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
    with quiet():
        norm = (Z - mu) / np.sqrt(var + eps)
        train = [
            ("bn.wrong_axis", "the mean and variance are over axis 0 (the units): batch norm averages each unit "
                              "over the examples of the mini-batch, axis=1 (keepdims=True)",
             _normalize(Z, Z.mean(axis=0, keepdims=True), Z.var(axis=0, keepdims=True), eps, gamma, beta)),
            ("bn.unbiased_variance", "the variance uses 1/(m-1): batch norm's training variance is the biased "
                                     "one, 1/m (np.var's default, ddof=0)",
             _normalize(Z, mu, Z.var(axis=1, ddof=1, keepdims=True) if Z.shape[1] > 1 else var, eps, gamma, beta)),
            ("bn.eps_outside_sqrt", "eps is added outside the square root: Z_norm = (Z - mu) / np.sqrt(var + eps)",
             gamma * (Z - mu) / (np.sqrt(var) + eps) + beta),
            ("bn.no_eps", "eps is missing: Z_norm = (Z - mu) / np.sqrt(var + eps), with eps from bn_param",
             gamma * (Z - mu) / np.sqrt(var) + beta),
            ("bn.no_sqrt", "the square root is missing: divide by the standard deviation, np.sqrt(var + eps)",
             gamma * (Z - mu) / (var + eps) + beta),
            ("bn.gamma_beta_swapped", "gamma and beta are swapped: out = gamma * Z_norm + beta",
             beta * norm + gamma),
            ("bn.no_scale_shift", "gamma and beta are not applied: out = gamma * Z_norm + beta", norm),
        ]
        if "eps" not in p:
            train.insert(0, ("bn.eps_default", "without bn_param['eps'] the default is 1e-8: "
                                               "eps = bn_param.get('eps', 1e-8)",
                             _normalize(Z, mu, var, 1e-5, gamma, beta)))
        if p["mode"] == "train":
            if "running_mean" in p:
                train.append(("bn.train_uses_running", "in train mode the mini-batch's own mean and variance "
                                                       "normalize Z, not the running averages",
                              _normalize(Z, p["running_mean"], p["running_var"], eps, gamma, beta)))
            return train
        return [("bn.test_uses_batch_stats", "test mode normalizes with the mini-batch's mean and variance: at test "
                                             "time use bn_param['running_mean'] and bn_param['running_var'] (one "
                                             "example has no useful statistics of its own)",
                 _normalize(Z, mu, var, eps, gamma, beta))] + train[2:]


def _running_mistakes(p, mu, var, m):
    """[(tag, message, (running_mean, running_var))] for train mode."""
    mom = p.get("momentum", 0.9)
    n = mu.shape[0]
    rm0, rv0 = p.get("running_mean", np.zeros((n, 1))), p.get("running_var", np.zeros((n, 1)))
    with quiet():
        unbiased = var * m / (m - 1) if m > 1 else var
        return [
            ("bn.running_not_updated", "the running averages were not updated in train mode: running = momentum * "
                                       "running + (1 - momentum) * batch statistic, stored back into bn_param",
             (rm0, rv0)),
            ("bn.momentum_swapped", "momentum and 1 - momentum are swapped: running = momentum * running + "
                                    "(1 - momentum) * batch statistic",
             ((1 - mom) * rm0 + mom * mu, (1 - mom) * rv0 + mom * var)),
            ("bn.running_is_batch", "the running averages were replaced by the batch statistics: average them, "
                                    "running = momentum * running + (1 - momentum) * batch statistic", (mu, var)),
            ("bn.momentum_default", "without bn_param['momentum'] the default is 0.9: "
                                    "momentum = bn_param.get('momentum', 0.9)",
             (0.99 * rm0 + 0.01 * mu, 0.99 * rv0 + 0.01 * var) if "momentum" not in p else None),
            ("bn.running_var_unbiased", "the running variance averages the 1/(m-1) variance: average the same "
                                        "biased batch variance (1/m) that normalizes Z",
             (mom * rm0 + (1 - mom) * mu, mom * rv0 + (1 - mom) * unbiased) if m > 1 else None),
            ("bn.running_std", "the running variance averages the standard deviation: average var",
             (mom * rm0 + (1 - mom) * mu, mom * rv0 + (1 - mom) * np.sqrt(var))),
        ]


def _judge_running(p, after, mu, var, m, where_):
    n = mu.shape[0]
    if not isinstance(after, dict) or "running_mean" not in after or "running_var" not in after:
        fail(NAME, f"bn_param has no 'running_mean' and 'running_var' after the call {where_}: store the running "
                   "averages back into the dict, bn_param['running_mean'] = running_mean (and the same for "
                   "running_var), so that the next mini-batch and test mode find them", "bn.not_stored")
    got = []
    for key in ("running_mean", "running_var"):
        a = array(NAME, "bn", after[key], f"bn_param[{key!r}]", where_)
        if a.shape != (n, 1):
            fail(NAME, f"bn_param[{key!r}] has shape {a.shape}, expected (n_units, 1) = {(n, 1)} {where_}: keep "
                       "keepdims=True in the mean and variance", "bn.running_shape")
        got.append(a)
    expected = (p.get("momentum", 0.9) * p.get("running_mean", np.zeros((n, 1))) + (1 - p.get("momentum", 0.9)) * mu,
                p.get("momentum", 0.9) * p.get("running_var", np.zeros((n, 1))) + (1 - p.get("momentum", 0.9)) * var)
    if p["mode"] == "test":
        expected = (p["running_mean"], p["running_var"])
        if not (same(got[0], expected[0]) and same(got[1], expected[1])):
            fail(NAME, f"test mode changed the running averages {where_}: only train mode updates them; test mode "
                       "reads them", "bn.test_updates_running")
        return
    if same(got[0], expected[0]) and same(got[1], expected[1]):
        return
    for tag, message, cand in _running_mistakes(p, mu, var, m):
        if cand is not None and same(got[0], cand[0]) and same(got[1], cand[1]):
            fail(NAME, f"{message} {where_}", tag)
    key, i = ("running_mean", 0) if not same(got[0], expected[0]) else ("running_var", 1)
    fail(NAME, f"bn_param[{key!r}]: {worst(got[i], expected[i])} {where_}: running = momentum * running + "
               "(1 - momentum) * batch statistic, starting from zeros", "bn.running_wrong_value")


def _judge_cache(cache, expected, where_):
    cache = as_tuple(NAME, "bn", cache, 7, "a cache (Z, Z_norm, mu, var, gamma, beta, eps)", where_)
    for label, got, want in zip(CACHE, cache, expected):
        g = array(NAME, "bn", got, f"cache entry {label}", where_)
        if not same(g, want):
            hint = f"shape {g.shape}, expected {np.shape(want)}" if g.shape != np.shape(want) else worst(g, want)
            fail(NAME, f"the cache's entry {label} is wrong ({hint}) {where_}: cache = (Z, Z_norm, mu, var, gamma, "
                       "beta, eps), in that order, mu and var of shape (n_units, 1)", "bn.cache")


def _judge(cases, answers):
    for c, answer in zip(cases, answers):
        Z, gamma, beta, p = c["args"]
        n, m = Z.shape
        where_ = (f"(mode {p['mode']!r}, Z of shape {Z.shape}, bn_param with "
                  f"{', '.join(k for k in p if k != 'mode') or 'no other key'})")
        value = as_tuple(NAME, "bn", returned(NAME, "bn", c, answer), 2, "a tuple (out, cache)", where_)
        out = array(NAME, "bn", value[0], "out", where_)
        if out.shape != Z.shape:
            fail(NAME, f"out has shape {out.shape}, expected {Z.shape}, the shape of Z {where_}", "bn.out_shape")
        fresh = {k: (np.array(v) if isinstance(v, np.ndarray) else v) for k, v in p.items()}
        expected, expected_cache = ref.batchnorm_forward(Z.copy(), gamma, beta, fresh)
        if not same(out, expected):
            found = first_mistake(out, _out_mistakes(Z, gamma, beta, p))
            if found:
                fail(NAME, f"{found[1]} {where_}", found[0])
            fail(NAME, f"out: {worst(out, expected)} {where_}: out = gamma * (Z - mu) / sqrt(var + eps) + beta",
                 "bn.wrong_value")
        after = (answer.get("args_after") or [None] * 4)[3]
        _judge_running(p, after, expected_cache[2], expected_cache[3], m, where_)
        if p["mode"] == "train":
            _judge_cache(value[1], expected_cache, where_)


check_batchnorm_forward = Check(NAME, prefix="bn", cases=_cases, judge=_judge)
