"""The 3-layer softmax net of week 3 in plain NumPy, backward pass by hand (week 1's way).

LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SOFTMAX, any widths, mean softmax
cross-entropy over the m examples. The frameworks notebook checks the gradients
`jax.grad` finds for the student's JAX functions against `backward_propagation`.

Shapes: X (n0, m); W1 (n1, n0), b1 (n1, 1); W2 (n2, n1), b2 (n2, 1); W3 (C, n2), b3 (C, 1);
logits Z3 (C, m); Y one-hot (C, m).
"""

import numpy as np


def initialize_parameters(layers_dims, seed=0):
    """He-initialized weights (normal, std sqrt(2 / n_prev)) and zero biases, from RandomState(seed).

    Inputs:
    - layers_dims: [n0, n1, n2, C]
    Returns:
    - parameters: dict W1, b1, W2, b2, W3, b3 of float32 arrays
    """
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters[f"W{l}"] = (rng.randn(n, n_prev) * np.sqrt(2.0 / n_prev)).astype(np.float32)
        parameters[f"b{l}"] = np.zeros((n, 1), dtype=np.float32)
    return parameters


def forward_propagation(X, parameters):
    """Returns (Z3, cache): the logits (C, m) and what the backward pass needs."""
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = np.maximum(0, Z2)
    Z3 = parameters["W3"] @ A2 + parameters["b3"]
    return Z3, (X, Z1, A1, Z2, A2, parameters)


def log_softmax(Z):
    """log of the softmax of each column of Z (C, m), with the max subtracted first (no overflow)."""
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def compute_cost(Z3, Y):
    """Mean over the m examples of the softmax cross-entropy: a float."""
    return float(-np.sum(Y * log_softmax(Z3)) / Y.shape[1])


def backward_from_logits(dZ3, cache):
    """Gradients of a scalar J w.r.t. the parameters, given dZ3 = dJ/dZ3 (C, m).

    Returns:
    - grads: dict dW1, db1, dW2, db2, dW3, db3, each shaped like its parameter
    """
    X, Z1, A1, Z2, A2, p = cache
    dW3 = dZ3 @ A2.T
    db3 = dZ3.sum(axis=1, keepdims=True)
    dZ2 = (p["W3"].T @ dZ3) * (Z2 > 0)
    dW2 = dZ2 @ A1.T
    db2 = dZ2.sum(axis=1, keepdims=True)
    dZ1 = (p["W2"].T @ dZ2) * (Z1 > 0)
    dW1 = dZ1 @ X.T
    db1 = dZ1.sum(axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def backward_propagation(X, Y, cache):
    """Gradients of compute_cost(Z3, Y): dJ/dZ3 = (softmax(Z3) - Y) / m, then backward_from_logits."""
    Z3 = cache[5]["W3"] @ cache[4] + cache[5]["b3"]
    return backward_from_logits((np.exp(log_softmax(Z3)) - Y) / Y.shape[1], cache)
