"""The L2 cost and backward pass written as students write them: CORRECT variants and WRONG versions.

They use the provided compute_cost as a global, as a student's notebook cell does.
"""

import numpy as np

from course.nn import compute_cost

# ================================================================ compute_cost_with_regularization


def cost_norm_squared(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = sum(np.linalg.norm(parameters["W" + str(l)], "fro") ** 2 for l in range(1, 4))
    return compute_cost(A3, Y) + lambd / (2 * m) * l2


def cost_loop_float(A3, Y, parameters, lambd):
    m = A3.shape[1]
    total = 0.0
    for key in ("W1", "W2", "W3"):
        W = parameters[key]
        total += float(np.sum(W * W))
    return float(compute_cost(A3, Y) + lambd * total / (2 * m))


def cost_own_cross_entropy(A3, Y, parameters, lambd):
    m = Y.shape[1]
    ce = -np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m
    l2 = np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2) + np.sum(parameters["W3"] ** 2)
    return np.array(ce + lambd * l2 / (2 * m))


def cost_over_m(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
    return compute_cost(A3, Y) + lambd / m * l2


def cost_with_biases(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = sum(np.sum(np.square(v)) for v in parameters.values())
    return compute_cost(A3, Y) + lambd / (2 * m) * l2


def cost_missing_W3(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = np.sum(np.square(parameters["W1"])) + np.sum(np.square(parameters["W2"]))
    return compute_cost(A3, Y) + lambd / (2 * m) * l2


def cost_sum_not_squares(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = np.sum(parameters["W1"]) + np.sum(parameters["W2"]) + np.sum(parameters["W3"])
    return compute_cost(A3, Y) + lambd / (2 * m) * l2


def cost_norm_not_squared(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = sum(np.linalg.norm(parameters[k]) for k in ("W1", "W2", "W3"))
    return compute_cost(A3, Y) + lambd / (2 * m) * l2


def cost_only_l2(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return lambd / (2 * m) * sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))


# ================================================================ backward_propagation_with_regularization


def _plain_backward(X, Y, cache):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def backward_l2_np_dot(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    g = _plain_backward(X, Y, cache)
    g["dW3"] = g["dW3"] + (lambd * W3) / m
    g["dW2"] = g["dW2"] + (lambd * W2) / m
    g["dW1"] = g["dW1"] + (lambd * W1) / m
    return g


def backward_l2_loop(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    Ws, As, Zs = {1: W1, 2: W2, 3: W3}, {0: X, 1: A1, 2: A2}, {1: Z1, 2: Z2}
    grads = {}
    dZ = A3 - Y
    for l in (3, 2, 1):
        grads["dZ" + str(l)] = dZ
        grads["dW" + str(l)] = (dZ @ As[l - 1].T + lambd * Ws[l]) / m
        grads["db" + str(l)] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            dA = Ws[l].T @ dZ
            grads["dA" + str(l - 1)] = dA
            dZ = dA * (Zs[l - 1] > 0)
    return grads


def backward_l2_half(X, Y, cache, lambd):
    m = X.shape[1]
    g = _plain_backward(X, Y, cache)
    for l, W in ((1, cache[2]), (2, cache[6]), (3, cache[10])):
        g["dW" + str(l)] = g["dW" + str(l)] + lambd / (2 * m) * W
    return g


def backward_l2_regularized_db(X, Y, cache, lambd):
    m = X.shape[1]
    g = _plain_backward(X, Y, cache)
    for l, W, b in ((1, cache[2], cache[3]), (2, cache[6], cache[7]), (3, cache[10], cache[11])):
        g["dW" + str(l)] = g["dW" + str(l)] + lambd / m * W
        g["db" + str(l)] = g["db" + str(l)] + lambd / m * b
    return g


def backward_l2_no_m(X, Y, cache, lambd):
    g = _plain_backward(X, Y, cache)
    for l, W in ((1, cache[2]), (2, cache[6]), (3, cache[10])):
        g["dW" + str(l)] = g["dW" + str(l)] + lambd * W
    return g


def backward_l2_forgot_layer1(X, Y, cache, lambd):
    m = X.shape[1]
    g = _plain_backward(X, Y, cache)
    for l, W in ((2, cache[6]), (3, cache[10])):
        g["dW" + str(l)] = g["dW" + str(l)] + lambd / m * W
    return g


CORRECT = {
    "compute_cost_with_regularization": [cost_norm_squared, cost_loop_float, cost_own_cross_entropy],
    "backward_propagation_with_regularization": [backward_l2_np_dot, backward_l2_loop],
}

WRONG = {
    "compute_cost_with_regularization": [
        (cost_over_m, "lambd / m", "l2cost.over_m"),
        (cost_with_biases, "biases", "l2cost.biases"),
        (cost_missing_W3, "W3 is missing", "l2cost.missing_w3"),
        (cost_sum_not_squares, "sums the weights", "l2cost.sum_not_squares"),
        (cost_norm_not_squared, "use its square", "l2cost.norm_not_squared"),
        (cost_only_l2, "cross-entropy part is missing", "l2cost.no_cross_entropy"),
    ],
    "backward_propagation_with_regularization": [
        (backward_l2_half, "lambd / (2 m)", "l2backward.half"),
        (backward_l2_regularized_db, "biases are not in the L2 term", "l2backward.db_regularized"),
        (backward_l2_no_m, "divide by m", "l2backward.no_m"),
        (backward_l2_forgot_layer1, "dW1 has no regularization term", "l2backward.no_reg_term"),
    ],
}
