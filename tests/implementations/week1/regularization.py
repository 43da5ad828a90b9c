"""Student-like implementations of the regularization notebook's graded functions.

CORRECT[name] holds implementations written differently from the reference that
must pass the hidden checks; WRONG[name] holds (implementation, substring the
diagnosis must contain) pairs, each a mistake students really make. The
functions use the provided helpers as notebook globals, as a student's cell does.
"""

import numpy as np

from course.nn import compute_cost, relu, sigmoid

# ================================================================ normalize_inputs


def normalize_std(X_train, X_test):
    mu = X_train.mean(axis=1).reshape(-1, 1)
    sigma = X_train.std(axis=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_lecture_inplace(X_train, X_test):
    m = X_train.shape[1]
    mu = np.sum(X_train, axis=1, keepdims=True) / m
    X_train -= mu
    sigma2 = np.sum(X_train ** 2, axis=1, keepdims=True) / m
    sigma = np.sqrt(sigma2)
    X_train /= sigma
    return X_train, (X_test - mu) / sigma, mu, sigma


def normalize_loop(X_train, X_test):
    n = X_train.shape[0]
    mu = np.zeros((n, 1))
    sigma = np.zeros((n, 1))
    for i in range(n):
        mu[i, 0] = np.mean(X_train[i])
        sigma[i, 0] = np.sqrt(np.mean((X_train[i] - mu[i, 0]) ** 2))
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_sample_std(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.std(X_train, axis=1, ddof=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_test_own_stats(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.std(X_train, axis=1, keepdims=True)
    return ((X_train - mu) / sigma,
            (X_test - X_test.mean(axis=1, keepdims=True)) / X_test.std(axis=1, keepdims=True), mu, sigma)


def normalize_variance(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.var(X_train, axis=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_no_keepdims(X_train, X_test):
    mu = np.mean(X_train, axis=1)
    sigma = np.std(X_train, axis=1)
    return (X_train - mu[:, None]) / sigma[:, None], (X_test - mu[:, None]) / sigma[:, None], mu, sigma


def normalize_axis0(X_train, X_test):
    mu = np.mean(X_train, axis=0, keepdims=True)
    sigma = np.std(X_train, axis=0, keepdims=True)
    return (X_train - mu) / sigma, X_test, mu, sigma


def normalize_uncentered_sigma(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.sqrt(np.mean(X_train ** 2, axis=1, keepdims=True))
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_not_centered(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.std(X_train, axis=1, keepdims=True)
    return X_train / sigma, X_test / sigma, mu, sigma


# ================================================================ diagnose


def diagnose_numpy_bools(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    errors = np.array([train_error, dev_error, bayes_error])
    return (errors[0] - errors[2]) > tolerance, (errors[1] - errors[0]) > tolerance


def diagnose_if_else(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    avoidable_bias = train_error - bayes_error
    variance = dev_error - train_error
    if avoidable_bias > tolerance:
        high_bias = True
    else:
        high_bias = False
    if variance > tolerance:
        high_variance = True
    else:
        high_variance = False
    return [high_bias, high_variance]


def diagnose_ignores_bayes(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error > tolerance, dev_error - train_error > tolerance


def diagnose_variance_from_bayes(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error - bayes_error > tolerance, dev_error - bayes_error > tolerance


def diagnose_swapped(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return dev_error - train_error > tolerance, train_error - bayes_error > tolerance


def diagnose_hardcoded_tolerance(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error - bayes_error > 0.02, dev_error - train_error > 0.02


def diagnose_returns_gaps(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error - bayes_error, dev_error - train_error


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


# ================================================================ forward_propagation_with_dropout


def _layers(parameters):
    return [(parameters["W" + str(l)], parameters["b" + str(l)]) for l in (1, 2, 3)]


def forward_dropout_bool_masks(X, parameters, keep_prob=0.5):
    (W1, b1), (W2, b2), (W3, b3) = _layers(parameters)
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = np.random.rand(*A1.shape) < keep_prob
    A1 = np.multiply(A1, D1) / keep_prob
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = np.random.rand(*A2.shape) < keep_prob
    A2 = np.multiply(A2, D2) / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def forward_dropout_binomial(X, parameters, keep_prob=0.5):
    (W1, b1), (W2, b2), (W3, b3) = _layers(parameters)
    Z1 = W1 @ X + b1
    D1 = np.random.binomial(1, keep_prob, size=Z1.shape)
    A1 = relu(Z1) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    D2 = np.random.binomial(1, keep_prob, size=Z2.shape)
    A2 = relu(Z2) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def forward_dropout_masks_first(X, parameters, keep_prob=0.5):
    """Draws both masks up front, uniform via np.random.uniform, float masks, mask before the ReLU."""
    (W1, b1), (W2, b2), (W3, b3) = _layers(parameters)
    m = X.shape[1]
    D2 = (np.random.uniform(size=(W2.shape[0], m)) < keep_prob).astype(float)
    D1 = (np.random.uniform(size=(W1.shape[0], m)) < keep_prob).astype(float)
    Z1 = W1 @ X + b1
    A1 = relu(Z1 * D1) / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2 * D2) / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def forward_dropout_seed_inside(X, parameters, keep_prob=0.5):
    """As in the published solutions of the original course: np.random.seed(1) inside."""
    np.random.seed(1)
    (W1, b1), (W2, b2), (W3, b3) = _layers(parameters)
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = np.random.rand(A1.shape[0], A1.shape[1])
    D1 = (D1 < keep_prob).astype(int)
    A1 = A1 * D1
    A1 = A1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = np.random.rand(A2.shape[0], A2.shape[1])
    D2 = (D2 < keep_prob).astype(int)
    A2 = A2 * D2
    A2 = A2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def forward_dropout_where(X, parameters, keep_prob=0.5):
    (W1, b1), (W2, b2), (W3, b3) = _layers(parameters)
    Z1 = W1 @ X + b1
    D1 = np.random.random_sample(Z1.shape) <= keep_prob
    A1 = np.where(D1, relu(Z1) / keep_prob, 0.0)
    Z2 = W2 @ A1 + b2
    D2 = np.random.random_sample(Z2.shape) <= keep_prob
    A2 = np.where(D2, relu(Z2) / keep_prob, 0.0)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, [Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3]


def _forward_dropout_variant(X, parameters, keep_prob, *, draw=None, apply=None, drop_input=False,
                             drop_output=False, next_from_relu=False, store_raw=False):
    (W1, b1), (W2, b2), (W3, b3) = _layers(parameters)
    draw = draw or (lambda shape: np.random.rand(*shape) < keep_prob)
    apply = apply or (lambda A, D: A * D / keep_prob)
    if drop_input:
        X = X * (np.random.rand(*X.shape) < keep_prob) / keep_prob
    Z1 = W1 @ X + b1
    if store_raw:  # keeps the uniform numbers in the cache instead of the 0/1 mask
        D1 = np.random.rand(*Z1.shape)
        A1 = apply(relu(Z1), D1 < keep_prob)
    else:
        D1 = draw(Z1.shape).astype(int)
        A1 = apply(relu(Z1), D1)
    Z2 = W2 @ (relu(Z1) if next_from_relu else A1) + b2
    D2 = draw(Z2.shape).astype(int)
    A2 = apply(relu(Z2), D2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    if drop_output:
        A3 = A3 * (np.random.rand(*A3.shape) < keep_prob) / keep_prob
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def forward_dropout_no_division(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob, apply=lambda A, D: A * D)


def forward_dropout_times_keep_prob(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob, apply=lambda A, D: A * D * keep_prob)


def forward_dropout_mask_not_applied(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob, apply=lambda A, D: A / keep_prob)


def forward_dropout_inverted_mask(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob,
                                    draw=lambda shape: np.random.rand(*shape) > keep_prob)


def forward_dropout_randn_mask(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob,
                                    draw=lambda shape: np.random.randn(*shape) < keep_prob)


def forward_dropout_on_output(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob, drop_output=True)


def forward_dropout_on_input(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob, drop_input=True)


def forward_dropout_next_layer_from_relu(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob, next_from_relu=True)


def forward_dropout_raw_random_in_cache(X, parameters, keep_prob=0.5):
    return _forward_dropout_variant(X, parameters, keep_prob, store_raw=True)


def forward_dropout_column_mask(X, parameters, keep_prob=0.5):
    """One mask per unit, broadcast over the examples."""
    return _forward_dropout_variant(X, parameters, keep_prob,
                                    draw=lambda shape: np.random.rand(shape[0], 1) < keep_prob)


# ================================================================ backward_propagation_with_dropout


def backward_dropout_mask_on_dZ(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * np.int64(Z2 > 0) * D2 / keep_prob
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * np.int64(Z1 > 0) * D1 / keep_prob
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def backward_dropout_A_positive(X, Y, cache, keep_prob):
    """relu'(Z) taken as (A > 0): A_l > 0 already implies D_l = 1, so only the scaling is needed."""
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0) / keep_prob
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0) / keep_prob
    return {"dW3": dZ3 @ A2.T / m, "db3": dZ3.mean(axis=1, keepdims=True),
            "dW2": dZ2 @ A1.T / m, "db2": dZ2.mean(axis=1, keepdims=True),
            "dW1": dZ1 @ X.T / m, "db1": dZ1.mean(axis=1, keepdims=True)}


def backward_dropout_needs_bool_masks(X, Y, cache, keep_prob):
    """Written for a forward pass that stores boolean masks (uses ~D)."""
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dA2 = W3.T @ dZ3
    dA2[~D2] = 0
    dA2 = dA2 / keep_prob
    dZ2 = dA2 * (Z2 > 0)
    dA1 = W2.T @ dZ2
    dA1[~D1] = 0
    dA1 = dA1 / keep_prob
    dZ1 = dA1 * (Z1 > 0)
    return {"dW3": dZ3 @ A2.T / m, "db3": np.sum(dZ3, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
            "dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m}


def _backward_dropout_variant(X, Y, cache, keep_prob, *, mask=True, scale="div", swap=False):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    if swap:
        D1, D2 = D2, D1

    def treat(dA, D):
        if mask:
            dA = dA * D
        if scale == "div":
            dA = dA / keep_prob
        elif scale == "mult":
            dA = dA * keep_prob
        return dA

    dZ3 = A3 - Y
    dA2 = treat(W3.T @ dZ3, D2)
    dZ2 = dA2 * (Z2 > 0)
    dA1 = treat(W2.T @ dZ2, D1)
    dZ1 = dA1 * (Z1 > 0)
    return {"dW3": dZ3 @ A2.T / m, "db3": np.sum(dZ3, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
            "dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m}


def backward_dropout_no_division(X, Y, cache, keep_prob):
    return _backward_dropout_variant(X, Y, cache, keep_prob, scale=None)


def backward_dropout_no_mask(X, Y, cache, keep_prob):
    return _backward_dropout_variant(X, Y, cache, keep_prob, mask=False)


def backward_dropout_swapped_masks(X, Y, cache, keep_prob):
    return _backward_dropout_variant(X, Y, cache, keep_prob, swap=True)


def backward_dropout_times_keep_prob(X, Y, cache, keep_prob):
    return _backward_dropout_variant(X, Y, cache, keep_prob, scale="mult")


def backward_dropout_plain(X, Y, cache, keep_prob):
    return _backward_dropout_variant(X, Y, cache, keep_prob, mask=False, scale=None)


def backward_dropout_only_layer2(X, Y, cache, keep_prob):
    """Masks and scales dA2 but forgets dA1."""
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dZ2 = W3.T @ dZ3 * D2 / keep_prob * (Z2 > 0)
    dZ1 = W2.T @ dZ2 * (Z1 > 0)
    return {"dW3": dZ3 @ A2.T / m, "db3": np.sum(dZ3, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
            "dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m}


# ================================================================ tables

CORRECT = {
    "normalize_inputs": [normalize_std, normalize_lecture_inplace, normalize_loop],
    "diagnose": [diagnose_numpy_bools, diagnose_if_else],
    "compute_cost_with_regularization": [cost_norm_squared, cost_loop_float, cost_own_cross_entropy],
    "backward_propagation_with_regularization": [backward_l2_np_dot, backward_l2_loop],
    "forward_propagation_with_dropout": [forward_dropout_bool_masks, forward_dropout_binomial,
                                         forward_dropout_masks_first, forward_dropout_seed_inside,
                                         forward_dropout_where],
    "backward_propagation_with_dropout": [backward_dropout_mask_on_dZ, backward_dropout_A_positive,
                                          backward_dropout_needs_bool_masks],
}

WRONG = {
    "normalize_inputs": [
        (normalize_sample_std, "m - 1"),
        (normalize_test_own_stats, "test set's own mean and std"),
        (normalize_variance, "square root"),
        (normalize_no_keepdims, "keepdims=True"),
        (normalize_axis0, "axis=0"),
        (normalize_uncentered_sigma, "before subtracting the mean"),
        (normalize_not_centered, "mu was not subtracted"),
    ],
    "diagnose": [
        (diagnose_ignores_bayes, "ignores bayes_error"),
        (diagnose_variance_from_bayes, "dev_error - bayes_error"),
        (diagnose_swapped, "swapped"),
        (diagnose_hardcoded_tolerance, "ignores the tolerance argument"),
        (diagnose_returns_gaps, "should be True or False"),
    ],
    "compute_cost_with_regularization": [
        (cost_over_m, "lambd / m"),
        (cost_with_biases, "biases"),
        (cost_missing_W3, "W3 is missing"),
        (cost_sum_not_squares, "sums the weights"),
        (cost_norm_not_squared, "use its square"),
        (cost_only_l2, "cross-entropy part is missing"),
    ],
    "backward_propagation_with_regularization": [
        (backward_l2_half, "lambd / (2 m)"),
        (backward_l2_regularized_db, "biases are not in the L2 term"),
        (backward_l2_no_m, "divide by m"),
        (backward_l2_forgot_layer1, "dW1 has no regularization term"),
    ],
    "forward_propagation_with_dropout": [
        (forward_dropout_no_division, "not divided by keep_prob"),
        (forward_dropout_times_keep_prob, "multiplied by keep_prob"),
        (forward_dropout_mask_not_applied, "mask D1 is not applied"),
        (forward_dropout_inverted_mask, "1 - keep_prob"),
        (forward_dropout_randn_mask, "randn"),
        (forward_dropout_on_output, "output layer"),
        (forward_dropout_on_input, "input layer"),
        (forward_dropout_next_layer_from_relu, "use the dropped-out A1"),
        (forward_dropout_raw_random_in_cache, "random numbers themselves"),
        (forward_dropout_column_mask, "same units for every example"),
    ],
    "backward_propagation_with_dropout": [
        (backward_dropout_no_division, "not divided by keep_prob"),
        (backward_dropout_no_mask, "not multiplied by the mask"),
        (backward_dropout_swapped_masks, "swapped"),
        (backward_dropout_times_keep_prob, "multiplied by keep_prob"),
        (backward_dropout_plain, "ignores dropout"),
        (backward_dropout_only_layer2, "dA1 ignores dropout"),
    ],
}
