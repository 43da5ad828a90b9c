"""Inverted dropout, forward and backward, written as students write it: CORRECT variants and WRONG versions.

They use the provided relu and sigmoid as globals, as a student's notebook cell does.
"""

import numpy as np

from course.nn import relu, sigmoid

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
    """As in the published solutions of the original course, whose template had np.random.seed(1) inside:
    every call draws the same masks (a frozen mask)."""
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


CORRECT = {
    "forward_propagation_with_dropout": [forward_dropout_bool_masks, forward_dropout_binomial,
                                         forward_dropout_masks_first, forward_dropout_where],
    "backward_propagation_with_dropout": [backward_dropout_mask_on_dZ, backward_dropout_A_positive,
                                          backward_dropout_needs_bool_masks],
}

WRONG = {
    "forward_propagation_with_dropout": [
        (forward_dropout_no_division, "not divided by keep_prob", "dropout.no_rescale"),
        (forward_dropout_times_keep_prob, "multiplied by keep_prob", "dropout.times_keep_prob"),
        (forward_dropout_mask_not_applied, "mask D1 is not applied", "dropout.mask_not_applied"),
        (forward_dropout_inverted_mask, "1 - keep_prob", "dropout.keeps_1_minus_keep_prob"),
        (forward_dropout_randn_mask, "randn", "dropout.randn_mask"),
        (forward_dropout_on_output, "output layer", "dropout.on_output"),
        (forward_dropout_on_input, "input layer", "dropout.on_input"),
        (forward_dropout_next_layer_from_relu, "use the dropped-out A1", "dropout.next_layer_from_relu"),
        (forward_dropout_raw_random_in_cache, "random numbers themselves", "dropout.mask_raw_random"),
        (forward_dropout_column_mask, "same units for every example", "dropout.mask_per_unit"),
        (forward_dropout_seed_inside, "np.random.seed", "dropout.frozen_mask"),
    ],
    "backward_propagation_with_dropout": [
        (backward_dropout_no_division, "not divided by keep_prob", "dropoutbackward.no_rescale"),
        (backward_dropout_no_mask, "not multiplied by the mask", "dropoutbackward.mask_not_applied"),
        (backward_dropout_swapped_masks, "swapped", "dropoutbackward.swapped_masks"),
        (backward_dropout_times_keep_prob, "multiplied by keep_prob", "dropoutbackward.times_keep_prob"),
        (backward_dropout_plain, "ignores dropout", "dropoutbackward.ignores_dropout"),
        (backward_dropout_only_layer2, "dA1 ignores dropout", "dropoutbackward.da1_ignores_dropout"),
    ],
}
