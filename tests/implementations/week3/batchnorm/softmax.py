"""Student-style softmax, one_hot, softmax_cost and softmax_backward (tests/contract.py tables)."""

import numpy as np


# ---------------------------------------------------------------- softmax

def softmax_logsumexp(Z):
    shift = Z.max(axis=0)
    log_sum = shift + np.log(np.sum(np.exp(Z - shift), axis=0))
    return np.exp(Z - log_sum)


def softmax_transpose_twice(Z):
    T = Z.T - Z.T.max(axis=1, keepdims=True)
    e = np.exp(T)
    return (e / e.sum(axis=1, keepdims=True)).T


def softmax_no_keepdims(Z):
    e = np.exp(Z - np.max(Z, axis=0))
    return e / np.sum(e, axis=0)


def softmax_rows(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_unstable(Z):
    e = np.exp(Z)
    return e / np.sum(e, axis=0, keepdims=True)


def softmax_global_max(Z):
    e = np.exp(Z - np.max(Z))
    return e / np.sum(e, axis=0, keepdims=True)


def softmax_sum_all(Z):
    e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return e / np.sum(e)


# ---------------------------------------------------------------- one_hot

def one_hot_eye(labels, C):
    return np.eye(C)[np.ravel(labels)].T


def one_hot_loop(labels, C):
    labels = np.array(labels).flatten()
    Y = np.zeros((C, len(labels)), dtype=int)
    for i, k in enumerate(labels):
        Y[k, i] = 1
    return Y


def one_hot_compare(labels, C):
    return (np.arange(C).reshape(C, 1) == np.reshape(labels, (1, -1))).astype(float)


def one_hot_transposed(labels, C):
    return np.eye(C)[np.ravel(labels)]


def one_hot_from_labels(labels, C):
    labels = np.ravel(labels)
    return np.eye(labels.max() + 1)[labels].T


def one_hot_shifted(labels, C):
    labels = np.ravel(labels)
    Y = np.zeros((C, labels.size))
    Y[labels - 1, np.arange(labels.size)] = 1
    return Y


def one_hot_extra_row(labels, C):
    labels = np.ravel(labels)
    Y = np.zeros((C + 1, labels.size))
    Y[labels + 1, np.arange(labels.size)] = 1
    return Y


def one_hot_unflattened(labels, C):
    return np.eye(C)[labels].T


# ---------------------------------------------------------------- softmax_cost

def cost_picked(A, Y):
    m = A.shape[1]
    return float(-np.mean(np.log(A[np.argmax(Y, axis=0), np.arange(m)])))


def cost_einsum(A, Y):
    return -np.einsum("cm,cm->", Y, np.log(A)) / Y.shape[1]


def cost_numpy_scalar(A, Y):
    return np.squeeze(-np.sum(np.sum(Y * np.log(A), axis=0, keepdims=True), axis=1) / A.shape[1])


def cost_clipped_log(A, Y):
    """A small epsilon against log(0), as many students write it."""
    return float(-np.sum(Y * np.log(np.clip(A, 1e-12, 1.0))) / Y.shape[1])


def cost_sum(A, Y):
    return -np.sum(Y * np.log(A))


def cost_mean_all(A, Y):
    return -np.mean(Y * np.log(A))


def cost_binary(A, Y):
    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1]


def cost_weighted_by_a(A, Y):
    return -np.sum(A * np.log(A)) / Y.shape[1]


def cost_positive(A, Y):
    return np.sum(Y * np.log(A)) / Y.shape[1]


# ---------------------------------------------------------------- softmax_backward

def backward_subtract(A, Y):
    return np.subtract(A, Y)


def backward_copy(A, Y):
    dZ = A.copy()
    dZ[Y == 1] -= 1
    return dZ


def backward_over_m(A, Y):
    return (A - Y) / Y.shape[1]


def backward_sign(A, Y):
    return Y - A


def backward_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)


CORRECT = {
    "softmax": [softmax_logsumexp, softmax_transpose_twice, softmax_no_keepdims],
    "one_hot": [one_hot_eye, one_hot_loop, one_hot_compare],
    "softmax_cost": [cost_picked, cost_einsum, cost_numpy_scalar, cost_clipped_log],
    "softmax_backward": [backward_subtract, backward_copy],
}

WRONG = {
    "softmax": [
        (softmax_rows, "along the rows", "softmax.axis"),
        (softmax_unstable, "overflows", "softmax.overflow"),
        (softmax_global_max, "whole matrix", "softmax.global_max"),
        (softmax_sum_all, "sum over the whole matrix", "softmax.sum_over_all"),
    ],
    "one_hot": [
        (one_hot_transposed, "transposed", "one_hot.transposed"),
        (one_hot_from_labels, "take the number of rows from C", "one_hot.c_from_labels"),
        (one_hot_shifted, "one row above", "one_hot.off_by_one"),
        (one_hot_extra_row, "off-by-one", "one_hot.off_by_one"),
        (one_hot_unflattened, "Flatten the labels", "one_hot.shape"),
    ],
    "softmax_cost": [
        (cost_sum, "summed, not averaged", "softmax_cost.sum_not_mean"),
        (cost_mean_all, "C * m", "softmax_cost.mean_over_classes"),
        (cost_binary, "binary cross-entropy", "softmax_cost.binary_formula"),
        (cost_weighted_by_a, "weighted by A", "softmax_cost.weighted_by_a"),
        (cost_positive, "sign is wrong", "softmax_cost.sign"),
    ],
    "softmax_backward": [
        (backward_over_m, "divided by m", "softmax_backward.divided_by_m"),
        (backward_sign, "sign is wrong", "softmax_backward.sign"),
        (backward_sigmoid, "A(1 - A)", "softmax_backward.sigmoid_derivative"),
    ],
}
