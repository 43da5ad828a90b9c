"""The 3-layer net of the gradient-checking notebook, with a cost-returning forward pass.

LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, any widths, cross-entropy cost.
``backward_propagation_n`` has two planted bugs for the notebook to find;
``backward_propagation_n_fixed`` is the correct version.
"""

import numpy as np

from course.nn import relu, sigmoid


def forward_propagation_n(X, Y, parameters):
    """Forward pass and cross-entropy cost.

    Inputs:
    - X: data, shape (n0, m); Y: labels, shape (1, m)
    - parameters: dict W1 (n1, n0), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1), W3 (1, n2), b3 (1, 1)

    Returns a tuple of:
    - cost: float, the cross-entropy cost
    - cache: (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    """
    m = X.shape[1]
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    # log(sigmoid(z)) = -logaddexp(0, -z): exact even when A3 rounds to 0 or 1.
    cost = float(np.sum(Y * np.logaddexp(0, -Z3) + (1 - Y) * np.logaddexp(0, Z3)) / m)
    return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def _backward(X, Y, cache, dW2_factor, db1_factor):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0)
    dW2 = dW2_factor * (dZ2 @ A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = db1_factor * np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3,
            "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def backward_propagation_n(X, Y, cache):
    """Backward pass of forward_propagation_n, WITH TWO PLANTED BUGS (find them!).

    Returns gradients dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1.
    """
    return _backward(X, Y, cache, dW2_factor=2.0, db1_factor=4.0)


def backward_propagation_n_fixed(X, Y, cache):
    """Correct backward pass of forward_propagation_n. Same return as backward_propagation_n."""
    return _backward(X, Y, cache, dW2_factor=1.0, db1_factor=1.0)
