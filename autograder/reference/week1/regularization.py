"""Reference solution of week 1, notebook `regularization` (instructors only).

The source notebook's solution cells hold the same code, statement for
statement; tests/ checks that they agree. forward_propagation_with_dropout draws
its masks in the canonical order, so its output matches the notebook's printed
"Expected output" exactly.
"""

import numpy as np

from course.nn import compute_cost, relu, sigmoid


def normalize_inputs(X_train, X_test):
    """Zero mean, unit variance per feature, with the training set's statistics.

    Inputs: X_train (n_x, m_train), X_test (n_x, m_test)
    Returns: X_train_norm, X_test_norm (same shapes), mu (n_x, 1), sigma (n_x, 1)
    """
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.sqrt(np.mean((X_train - mu) ** 2, axis=1, keepdims=True))
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def diagnose(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    """Returns (high_bias, high_variance) as Python bools."""
    high_bias = (train_error - bayes_error) > tolerance
    high_variance = (dev_error - train_error) > tolerance
    return bool(high_bias), bool(high_variance)


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """Cross-entropy + lambd / (2m) * sum of squared Frobenius norms of W1, W2, W3."""
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = compute_cost(A3, Y)
    L2_regularization_cost = lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2))
                                                + np.sum(np.square(W3)))
    return cross_entropy_cost + L2_regularization_cost


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Backprop of the 3-layer net with lambd / m * W added to every dW."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m + lambd / m * W3
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0)
    dW2 = dZ2 @ A1.T / m + lambd / m * W2
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0)
    dW1 = dZ1 @ X.T / m + lambd / m * W1
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2,
            "dZ2": dZ2, "dW2": dW2, "db2": db2, "dA1": dA1,
            "dZ1": dZ1, "dW1": dW1, "db1": db1}


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """Forward pass with inverted dropout on the two hidden layers.

    Each hidden unit is kept with probability keep_prob (mask D = rand < keep_prob)
    and the kept activations are divided by keep_prob.
    Returns A3 (1, m) and cache (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3).
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    D1 = (np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob).astype(int)
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    D2 = (np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob).astype(int)
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """Backprop through the dropout net: dA_l is masked by D_l and divided by keep_prob."""
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3 * D2 / keep_prob
    dZ2 = dA2 * (Z2 > 0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2 * D1 / keep_prob
    dZ1 = dA1 * (Z1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2,
            "dZ2": dZ2, "dW2": dW2, "db2": db2, "dA1": dA1,
            "dZ1": dZ1, "dW1": dW1, "db1": db1}


def best_iteration(dev_costs, record_every):
    """The iteration whose recorded dev cost is lowest (the earliest of ties): where early stopping stops."""
    k = int(np.argmin(dev_costs))
    iteration = k * record_every
    return iteration
