"""The small fully connected nets the notebooks train.

Provided code, not graded. Conventions (as in the lectures):

- ``X`` has shape ``(n_x, m)``: one example per column.
- ``Y`` has shape ``(1, m)`` with labels in {0, 1}.
- ``parameters`` is a dict ``{"W1": (n1, n0), "b1": (n1, 1), ...}``.
- ``grads`` is keyed like the parameters with a ``d`` in front: ``dW1``, ``db1``...

The 3-layer net is LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID and
works for any layer widths.
"""

import numpy as np


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise.

    For x below about -709, exp(-x) overflows to inf and the result is exactly 0
    (no warning is printed).
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def relu(x):
    """max(0, x), elementwise."""
    return np.maximum(x, 0)


def compute_cost(A3, Y):
    """Cross-entropy cost of a sigmoid output.

    Inputs:
    - A3: predicted probabilities, shape (1, m)
    - Y: true labels in {0, 1}, shape (1, m)

    Returns:
    - cost: a Python float, -1/m * sum(Y log A3 + (1 - Y) log(1 - A3))
    """
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    return float(np.nansum(logprobs) / m)


def forward_propagation(X, parameters):
    """Forward pass of the 3-layer net.

    Inputs:
    - X: data, shape (n0, m)
    - parameters: dict with W1 (n1, n0), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1),
      W3 (1, n2), b3 (1, 1)

    Returns a tuple of:
    - A3: output probabilities, shape (1, m)
    - cache: (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation(X, Y, cache):
    """Backward pass of the 3-layer net for the cross-entropy cost.

    Inputs:
    - X: data, shape (n0, m)
    - Y: labels, shape (1, m)
    - cache: the cache returned by forward_propagation

    Returns:
    - gradients: dict with dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1,
      each the shape of the quantity it differentiates.
    """
    inv_m = 1.0 / X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = (dZ3 @ A2.T) * inv_m
    db3 = dZ3.sum(axis=1, keepdims=True) * inv_m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0)
    dW2 = (dZ2 @ A1.T) * inv_m
    db2 = dZ2.sum(axis=1, keepdims=True) * inv_m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0)
    dW1 = (dZ1 @ X.T) * inv_m
    db1 = dZ1.sum(axis=1, keepdims=True) * inv_m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3,
            "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: W := W - learning_rate * dW, for every parameter.

    Returns a new dict; the input dict is left unchanged.
    """
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def predict(X, y, parameters):
    """Predict labels 0/1 with the 3-layer net (threshold 0.5).

    Inputs:
    - X: data, shape (n0, m)
    - y: labels, shape (1, m); unused, kept for the original course's signature
    - parameters: the trained parameters

    Returns:
    - p: predictions, integer array of shape (1, m)
    """
    A3, _ = forward_propagation(X, parameters)
    return (A3 > 0.5).astype(int).reshape(1, -1)


def accuracy(X, Y, parameters):
    """Fraction of the examples in X that the net labels correctly, in [0, 1]."""
    return float(np.mean(predict(X, Y, parameters) == Y))


def train(X, Y, parameters, *, forward=forward_propagation, backward=backward_propagation,
          cost=None, learning_rate=0.01, num_iterations=15000, record_every=1000,
          print_cost=False, dev=None):
    """Batch gradient descent with pluggable forward, backward and cost functions.

    Inputs:
    - X: data, shape (n0, m); Y: labels, shape (1, m)
    - parameters: initial parameters (not modified)
    - forward(X, parameters) -> (A3, cache)
    - backward(X, Y, cache) -> grads with dW1, db1, ...
    - cost(A3, Y, parameters) -> float; default: cross-entropy compute_cost(A3, Y)
    - record_every: the cost is evaluated only every this many iterations (it is
      not needed for the update, so skipping it keeps training fast)
    - dev: optional (X_dev, Y_dev); if given, the dev cost is recorded too, at the
      same iterations: the cross-entropy compute_cost of the plain
      forward_propagation on the dev set (no dropout, no penalty), for early stopping

    Returns a tuple of:
    - parameters: the trained parameters
    - costs: list of the costs at iterations 0, record_every, 2 * record_every, ...
      (the cost at iteration i is that of the parameters after i updates)
    - dev_costs: only if dev is given, the list of dev costs at the same iterations
    """
    if cost is None and forward is forward_propagation and backward is backward_propagation:
        return _train_plain(X, Y, parameters, learning_rate, num_iterations, record_every, print_cost, dev)
    if cost is None:
        def cost(A3, Y, parameters):
            return compute_cost(A3, Y)
    params = {k: np.array(v, dtype=float) for k, v in parameters.items()}
    pairs = [(params[k], "d" + k) for k in params]
    costs, dev_costs = [], []
    for i in range(num_iterations):
        A3, cache = forward(X, params)
        if i % record_every == 0:
            c = float(cost(A3, Y, params))
            costs.append(c)
            if dev is not None:
                dev_costs.append(compute_cost(forward_propagation(dev[0], params)[0], dev[1]))
            if print_cost:
                print(f"Cost after iteration {i}: {c:.6f}")
        grads = backward(X, Y, cache)
        for p, dk in pairs:
            p -= learning_rate * grads[dk]  # in place: params[k] is p
    if dev is not None:
        return params, costs, dev_costs
    return params, costs


def _train_plain(X, Y, parameters, learning_rate, num_iterations, record_every, print_cost, dev):
    """`train` with the plain forward and backward passes and the cross-entropy, in preallocated arrays.

    The same steps as forward_propagation, backward_propagation and W -= learning_rate * dW,
    with each layer's bias as the last column of an augmented weight matrix [W b] (n_l, n_{l-1} + 1)
    against activations with a row of ones appended, (n_{l-1} + 1, m): a third fewer NumPy calls per step.
    """
    m = X.shape[1]
    Wa = [np.hstack([np.array(parameters[f"W{l}"], dtype=float), np.array(parameters[f"b{l}"], dtype=float)])
          for l in (1, 2, 3)]
    n1, n2 = Wa[0].shape[0], Wa[1].shape[0]
    Xa = np.vstack([X, np.ones((1, m))])
    XaT = Xa.T.copy()
    A1, A2 = np.ones((n1 + 1, m)), np.ones((n2 + 1, m))   # relu outputs above a row of ones
    Z1, Z2, Z3 = np.empty((n1, m)), np.empty((n2, m)), np.empty((1, m))
    dZ1, dZ2 = np.empty((n1, m)), np.empty((n2, m))
    dW = [np.empty_like(W) for W in Wa]
    step = learning_rate / m

    def params():
        return {k: v for l, W in enumerate(Wa, 1) for k, v in ((f"W{l}", W[:, :-1].copy()), (f"b{l}", W[:, -1:].copy()))}

    costs, dev_costs = [], []
    for i in range(num_iterations):
        np.matmul(Wa[0], Xa, out=Z1)
        np.maximum(Z1, 0, out=A1[:n1])
        np.matmul(Wa[1], A1, out=Z2)
        np.maximum(Z2, 0, out=A2[:n2])
        np.matmul(Wa[2], A2, out=Z3)
        dZ3 = sigmoid(Z3)
        if i % record_every == 0:
            costs.append(compute_cost(dZ3, Y))
            if dev is not None:
                dev_costs.append(compute_cost(forward_propagation(dev[0], params())[0], dev[1]))
            if print_cost:
                print(f"Cost after iteration {i}: {costs[-1]:.6f}")
        dZ3 -= Y
        np.matmul(dZ3, A2.T, out=dW[2])
        np.matmul(Wa[2][:, :n2].T, dZ3, out=dZ2)
        dZ2 *= Z2 > 0
        np.matmul(dZ2, A1.T, out=dW[1])
        np.matmul(Wa[1][:, :n1].T, dZ2, out=dZ1)
        dZ1 *= Z1 > 0
        np.matmul(dZ1, XaT, out=dW[0])
        for W, g in zip(Wa, dW):
            g *= step
            W -= g
    if dev is not None:
        return params(), costs, dev_costs
    return params(), costs
