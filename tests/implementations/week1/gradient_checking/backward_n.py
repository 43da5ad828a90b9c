"""Student-like backward_propagation_n (the fix of the planted bugs) and backward_propagation_with_regularization.

Like a student's notebook before the fix, this module's global backward_propagation_n
is the released one, with both planted bugs: the checks of the L2 twin rebind it to a
correct backward pass for their calls, so a twin that calls it still passes.
"""

import numpy as np


def _backward(X, Y, cache, dW2_scale=1.0, db1_scale=1.0, dW1_m=True, relu_mask_1=True, dZ3_sign=1.0):
    """The backward pass, with the mistakes of the wrong versions below as options."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = dZ3_sign * (A3 - Y)
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = dW2_scale / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0)) if relu_mask_1 else dA1
    dW1 = (1. / m if dW1_m else 1.0) * np.dot(dZ1, X.T)
    db1 = db1_scale / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


# ============================================================ correct variants: backward_propagation_n

def backward_n_matmul(X, Y, cache):
    """@ and inverse m, only the six parameter gradients returned."""
    inv_m = 1.0 / X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    dZ3 = A3 - Y
    dZ2 = (W3.T @ dZ3) * (Z2 > 0)
    dZ1 = (W2.T @ dZ2) * (Z1 > 0)
    return {"dW3": dZ3 @ A2.T * inv_m, "db3": dZ3.sum(axis=1, keepdims=True) * inv_m,
            "dW2": dZ2 @ A1.T * inv_m, "db2": dZ2.sum(axis=1, keepdims=True) * inv_m,
            "dW1": dZ1 @ X.T * inv_m, "db1": dZ1.sum(axis=1, keepdims=True) * inv_m}


def backward_n_fixed_by_dividing(X, Y, cache):
    """Keeps the released lines and divides the two planted factors back out."""
    gradients = _backward(X, Y, cache, dW2_scale=2.0, db1_scale=4.0)
    gradients["dW2"] = gradients["dW2"] / 2
    gradients["db1"] = gradients["db1"] / 4
    return gradients


# ============================================================ wrong versions: backward_propagation_n

def backward_n_release(X, Y, cache):
    """As released: both planted bugs still in."""
    return _backward(X, Y, cache, dW2_scale=2.0, db1_scale=4.0)


def backward_n_dw2_bug_left(X, Y, cache):
    return _backward(X, Y, cache, dW2_scale=2.0)


def backward_n_db1_bug_left(X, Y, cache):
    return _backward(X, Y, cache, db1_scale=4.0)


def backward_n_no_1_over_m(X, Y, cache):
    """Fixed the two bugs, but dropped the 1 / m of dW1 on the way."""
    return _backward(X, Y, cache, dW1_m=False)


def backward_n_no_relu_mask(X, Y, cache):
    """dZ1 = dA1: the ReLU derivative of the first layer is missing."""
    return _backward(X, Y, cache, relu_mask_1=False)


def backward_n_dz3_sign(X, Y, cache):
    """dZ3 = Y - A3: every gradient has the wrong sign."""
    return _backward(X, Y, cache, dZ3_sign=-1.0)


def backward_n_transposed(X, Y, cache):
    gradients = _backward(X, Y, cache)
    gradients["dW1"] = gradients["dW1"].T
    return gradients


backward_propagation_n = backward_n_release   # the notebook's global, before the fix


# ============================================================ correct variants: backward_propagation_with_regularization

def l2_calls_backward_n(X, Y, cache, lambd):
    """Calls the notebook's backward_propagation_n (rebound by the checks), adds the term in a loop."""
    m = X.shape[1]
    gradients = dict(backward_propagation_n(X, Y, cache))
    for l, W in ((1, cache[2]), (2, cache[6]), (3, cache[10])):
        gradients[f"dW{l}"] = gradients[f"dW{l}"] + (lambd / m) * W
    return gradients


def l2_pasted(X, Y, cache, lambd):
    """The regularization notebook's function pasted as it was: its own backprop, no call."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T) + lambd / m * W3
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) + lambd / m * W2
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T) + lambd / m * W1
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


# ============================================================ wrong versions: backward_propagation_with_regularization

def _l2(X, Y, cache, lambd, scale=1.0, keep_plain=True, biases=False):
    m = X.shape[1]
    gradients = dict(backward_propagation_n(X, Y, cache))
    params = {"W1": cache[2], "b1": cache[3], "W2": cache[6], "b2": cache[7], "W3": cache[10], "b3": cache[11]}
    for l in (1, 2, 3):
        for p in ("W", "b") if biases else ("W",):
            term = scale * lambd / m * params[f"{p}{l}"]
            gradients[f"d{p}{l}"] = gradients[f"d{p}{l}"] + term if keep_plain else term
    return gradients


def l2_no_term(X, Y, cache, lambd):
    return dict(backward_propagation_n(X, Y, cache))


def l2_half(X, Y, cache, lambd):
    return _l2(X, Y, cache, lambd, scale=0.5)


def l2_no_m(X, Y, cache, lambd):
    return _l2(X, Y, cache, lambd, scale=X.shape[1])


def l2_biases_too(X, Y, cache, lambd):
    return _l2(X, Y, cache, lambd, biases=True)


def l2_only_the_term(X, Y, cache, lambd):
    return _l2(X, Y, cache, lambd, keep_plain=False)
