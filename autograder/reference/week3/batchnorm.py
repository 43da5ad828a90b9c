"""Reference solution of week 3, notebook `batchnorm` (instructors only).

The source notebook's solution cells hold the same code, statement for statement
(tests/test_solutions.py compares the ASTs). Conventions: Z of shape (n_units, m),
one example per column, so batch statistics are over axis 1; labels (1, m) or one-hot
(C, m); gamma and beta of shape (n_units, 1).
"""

import numpy as np


def sample_learning_rates(n, low=1e-4, high=1.0):
    """n learning rates, uniform in log10 between low and high: array (n,)."""
    r = np.random.uniform(np.log10(low), np.log10(high), size=n)
    learning_rates = 10 ** r
    return learning_rates


def sample_betas(n, low=0.9, high=0.999):
    """n betas between low and high, with 1 - beta uniform in log10: array (n,)."""
    r = np.random.uniform(np.log10(1 - high), np.log10(1 - low), size=n)
    betas = 1 - 10 ** r
    return betas


def softmax(Z):
    """Column-wise softmax of Z (C, m), shifted by each column's maximum."""
    Z_shifted = Z - np.max(Z, axis=0, keepdims=True)
    exps = np.exp(Z_shifted)
    A = exps / np.sum(exps, axis=0, keepdims=True)
    return A


def one_hot(labels, C):
    """One-hot matrix (C, m) of labels in 0 .. C-1, given as (1, m) or (m,)."""
    labels = np.asarray(labels).reshape(-1)
    m = labels.shape[0]
    Y = np.zeros((C, m))
    Y[labels, np.arange(m)] = 1
    return Y


def softmax_cost(A, Y):
    """Mean cross-entropy over the m examples: -(1/m) sum(Y * log(A)), a float."""
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(A)) / m
    return float(cost)


def softmax_backward(A, Y):
    """dZ = A - Y for a softmax output with the cross-entropy loss (not divided by m)."""
    dZ = A - Y
    return dZ


def batchnorm_forward(Z, gamma, beta, bn_param):
    """Batch normalization of Z (n_units, m) over the examples (axis 1); returns (out, cache)."""
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-8)
    momentum = bn_param.get("momentum", 0.9)
    n = Z.shape[0]
    running_mean = bn_param.get("running_mean", np.zeros((n, 1)))
    running_var = bn_param.get("running_var", np.zeros((n, 1)))
    if mode == "train":
        mu = np.mean(Z, axis=1, keepdims=True)
        var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)
        Z_norm = (Z - mu) / np.sqrt(var + eps)
        out = gamma * Z_norm + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        mu, var = running_mean, running_var
        Z_norm = (Z - mu) / np.sqrt(var + eps)
        out = gamma * Z_norm + beta
    else:
        raise ValueError(f'bn_param["mode"] must be "train" or "test", not {mode!r}')
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    cache = (Z, Z_norm, mu, var, gamma, beta, eps)
    return out, cache


def batchnorm_backward(dout, cache):
    """Gradients of batch normalization (train mode): returns (dZ, dgamma, dbeta)."""
    Z, Z_norm, mu, var, gamma, beta, eps = cache
    m = Z.shape[1]
    dbeta = np.sum(dout, axis=1, keepdims=True)
    dgamma = np.sum(dout * Z_norm, axis=1, keepdims=True)
    dZ_norm = dout * gamma
    dZ = (dZ_norm - np.mean(dZ_norm, axis=1, keepdims=True)
          - Z_norm * np.mean(dZ_norm * Z_norm, axis=1, keepdims=True)) / np.sqrt(var + eps)
    return dZ, dgamma, dbeta
