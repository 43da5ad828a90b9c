"""Student-style batchnorm_forward and batchnorm_backward (tests/contract.py tables)."""

import numpy as np


def _stats(bn_param, n):
    return (bn_param.get("running_mean", np.zeros((n, 1))), bn_param.get("running_var", np.zeros((n, 1))))


def make_forward(axis=1, ddof=0, eps_outside=False, test_batch=False, update=True, swap=False, store=True,
                 default_eps=1e-8, scale_shift=True):
    """A batchnorm_forward with one knob turned."""
    def batchnorm_forward(Z, gamma, beta, bn_param):
        mode = bn_param["mode"]
        eps = bn_param.get("eps", default_eps)
        momentum = bn_param.get("momentum", 0.9)
        running_mean, running_var = _stats(bn_param, Z.shape[0])
        if mode == "train" or test_batch:
            mu = np.mean(Z, axis=axis, keepdims=True)
            var = np.var(Z, axis=axis, ddof=ddof, keepdims=True)
            if mode == "train" and update:
                a, b = (1 - momentum, momentum) if swap else (momentum, 1 - momentum)
                running_mean = a * running_mean + b * mu
                running_var = a * running_var + b * var
        else:
            mu, var = running_mean, running_var
        Z_norm = (Z - mu) / (np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps))
        out = gamma * Z_norm + beta if scale_shift else Z_norm
        if store:
            bn_param["running_mean"], bn_param["running_var"] = running_mean, running_var
        return out, (Z, Z_norm, mu, var, gamma, beta, eps)
    return batchnorm_forward


def forward_cs231n(Z, gamma, beta, bn_param):
    """cs231n's layout transposed: every step spelled out, np.var and setdefault."""
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-8)
    momentum = bn_param.get("momentum", 0.9)
    n, m = Z.shape
    running_mean = bn_param.setdefault("running_mean", np.zeros((n, 1)))
    running_var = bn_param.setdefault("running_var", np.zeros((n, 1)))
    if mode == "train":
        mu = Z.sum(axis=1, keepdims=True) / m
        centered = Z - mu
        var = (centered ** 2).sum(axis=1, keepdims=True) / m
        Z_norm = centered / np.sqrt(var + eps)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
        Z_norm = (Z - mu) / np.sqrt(var + eps)
    return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)


def forward_update_in_place(Z, gamma, beta, bn_param):
    """Running averages updated in place with *= and +=, on copies the caller's arrays do not share."""
    n = Z.shape[0]
    eps, momentum = bn_param.get("eps", 1e-8), bn_param.get("momentum", 0.9)
    if "running_mean" not in bn_param:
        bn_param["running_mean"], bn_param["running_var"] = np.zeros((n, 1)), np.zeros((n, 1))
    if bn_param["mode"] == "test":
        mu, var = bn_param["running_mean"], bn_param["running_var"]
    else:
        mu, var = Z.mean(axis=1).reshape(n, 1), Z.var(axis=1).reshape(n, 1)
        rm, rv = np.array(bn_param["running_mean"], dtype=float), np.array(bn_param["running_var"], dtype=float)
        rm *= momentum
        rm += (1 - momentum) * mu
        rv *= momentum
        rv += (1 - momentum) * var
        bn_param["running_mean"], bn_param["running_var"] = rm, rv
    Z_norm = (Z - mu) * (var + eps) ** -0.5
    return Z_norm * gamma + beta, (Z, Z_norm, mu, var, gamma, beta, eps)


def forward_new_dict(Z, gamma, beta, bn_param):
    """Stores the running averages in a new dict, not the caller's."""
    out, cache = make_forward()(Z, gamma, beta, dict(bn_param))
    return out, cache


def forward_cache_order(Z, gamma, beta, bn_param):
    out, (Z_, Z_norm, mu, var, g, b, eps) = make_forward()(Z, gamma, beta, bn_param)
    return out, (Z_, mu, var, Z_norm, g, b, eps)


def forward_running_is_batch(Z, gamma, beta, bn_param):
    out, cache = make_forward(update=False)(Z, gamma, beta, bn_param)
    if bn_param["mode"] == "train":
        bn_param["running_mean"], bn_param["running_var"] = cache[2], cache[3]
    return out, cache


# ---------------------------------------------------------------- backward

def backward_staged(dout, cache):
    """The computational graph, one node at a time (cs231n's staged backward, transposed)."""
    Z, Z_norm, mu, var, gamma, beta, eps = cache
    m = Z.shape[1]
    std = np.sqrt(var + eps)
    dbeta = dout.sum(axis=1, keepdims=True)
    dgamma = (dout * Z_norm).sum(axis=1, keepdims=True)
    dZ_norm = dout * gamma
    dvar = np.sum(dZ_norm * (Z - mu), axis=1, keepdims=True) * -0.5 * std ** -3
    dmu = -np.sum(dZ_norm, axis=1, keepdims=True) / std + dvar * np.mean(-2 * (Z - mu), axis=1, keepdims=True)
    dZ = dZ_norm / std + dvar * 2 * (Z - mu) / m + dmu / m
    return dZ, dgamma, dbeta


def backward_sums(dout, cache):
    """The compact form with sums: dZ = (m dZ_norm - sum - Z_norm sum(dZ_norm Z_norm)) / (m std)."""
    Z, Z_norm, mu, var, gamma, beta, eps = cache
    m = dout.shape[1]
    dZ_norm = gamma * dout
    dZ = (m * dZ_norm - dZ_norm.sum(axis=1, keepdims=True)
          - Z_norm * (dZ_norm * Z_norm).sum(axis=1, keepdims=True)) / (m * np.sqrt(var + eps))
    return dZ, np.sum(dout * Z_norm, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)


def make_backward(mean_term=True, var_term=True, param_axis=1, param_mean=False, with_gamma=True):
    def batchnorm_backward(dout, cache):
        Z, Z_norm, mu, var, gamma, beta, eps = cache
        std = np.sqrt(var + eps)
        dZ_norm = dout * gamma if with_gamma else dout
        dZ = dZ_norm.copy()
        if mean_term:
            dZ = dZ - dZ_norm.mean(axis=1, keepdims=True)
        if var_term:
            dZ = dZ - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)
        reduce = np.mean if param_mean else np.sum
        return (dZ / std, reduce(dout * Z_norm, axis=param_axis, keepdims=True),
                reduce(dout, axis=param_axis, keepdims=True))
    return batchnorm_backward


def backward_swapped(dout, cache):
    dZ, dgamma, dbeta = backward_sums(dout, cache)
    return dZ, dbeta, dgamma


def backward_no_keepdims(dout, cache):
    dZ, dgamma, dbeta = backward_sums(dout, cache)
    return dZ, dgamma.ravel(), dbeta.ravel()


CORRECT = {
    "batchnorm_forward": [forward_cs231n, forward_update_in_place],
    "batchnorm_backward": [backward_staged, backward_sums],
}


def _named(fn, name):
    fn.__name__ = name
    return fn


WRONG = {
    "batchnorm_forward": [
        (_named(make_forward(axis=0), "forward_axis_0"), "over axis 0", "bn.wrong_axis"),
        (_named(make_forward(ddof=1), "forward_ddof_1"), "1/(m-1)", "bn.unbiased_variance"),
        (_named(make_forward(eps_outside=True), "forward_eps_outside"), "outside the square root",
         "bn.eps_outside_sqrt"),
        (_named(make_forward(test_batch=True), "forward_test_batch_stats"), "test mode normalizes with the "
                                                                            "mini-batch", "bn.test_uses_batch_stats"),
        (_named(make_forward(update=False), "forward_no_update"), "not updated", "bn.running_not_updated"),
        (_named(make_forward(swap=True), "forward_momentum_swapped"), "swapped", "bn.momentum_swapped"),
        (_named(make_forward(store=False), "forward_not_stored"), "store the running averages back",
         "bn.not_stored"),
        (forward_new_dict, "store the running averages back", "bn.not_stored"),
        (_named(make_forward(default_eps=1e-5), "forward_eps_default"), "default is 1e-8", "bn.eps_default"),
        (_named(make_forward(scale_shift=False), "forward_no_gamma_beta"), "not applied", "bn.no_scale_shift"),
        (forward_cache_order, "cache's entry Z_norm", "bn.cache"),
        (forward_running_is_batch, "replaced by the batch statistics", "bn.running_is_batch"),
    ],
    "batchnorm_backward": [
        (_named(make_backward(mean_term=False, var_term=False), "backward_constants"), "as constants",
         "bn.backward_no_mean_var_terms"),
        (_named(make_backward(var_term=False), "backward_no_var_term"), "variance's term",
         "bn.backward_no_var_term"),
        (_named(make_backward(mean_term=False), "backward_no_mean_term"), "mean's term", "bn.backward_no_mean_term"),
        (_named(make_backward(param_axis=0), "backward_axis_0"), "summed over axis 0", "bn.dgamma_axis"),
        (_named(make_backward(param_mean=True), "backward_means"), "they are sums", "bn.dgamma_mean"),
        (_named(make_backward(with_gamma=False), "backward_no_gamma"), "gamma is missing", "bn.backward_no_gamma"),
        (backward_swapped, "swapped", "bn.dgamma_dbeta_swapped"),
        (backward_no_keepdims, "keepdims=True", "bn.dgamma_shape"),
    ],
}
