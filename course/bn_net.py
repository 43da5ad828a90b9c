"""The week-3 network: an L-layer ReLU net with a softmax output and optional batch norm.

Provided code (students do not write it). It calls the student's functions, passed in a
dict `fns` with the keys "softmax", "softmax_cost", "softmax_backward" and, for nets with
batch norm, "batchnorm_forward" and "batchnorm_backward".

Layer widths layer_dims = [n_0, n_1, ..., n_L]; X is (n_0, m), labels Y one-hot (n_L, m).
Parameters: W_l (n_l, n_{l-1}) for every layer; a plain layer has b_l (n_l, 1); a batch-norm
layer (the hidden layers, when batchnorm=True) has gamma_l and beta_l (n_l, 1) and no b_l:
BN subtracts the mean of Z anyway, so beta takes the place of b. The output layer is plain.

    Z_l = W_l A_{l-1} (+ b_l),   Z~_l = batchnorm_forward(Z_l) (BN layers),   A_l = relu(Z~_l),
    A_L = softmax(W_L A_{L-1} + b_L).

Gradients: softmax_backward gives dZ_L = A_L - Y, the gradient of the summed loss; every
gradient flowing back is of the summed loss, and the parameter gradients are divided by m
once, here (dW_l = dZ_l A_{l-1}^T / m, db_l, dgamma_l, dbeta_l likewise), so that they are
those of the mean cost.
"""

from dataclasses import dataclass, field

import numpy as np


def initialize_parameters(layer_dims, batchnorm=False, seed=0):
    """He-initialized weights; b = 0, or gamma = 1 and beta = 0 in the batch-norm layers.

    Inputs:
    - layer_dims: [n_0, ..., n_L]
    - batchnorm: if True, hidden layers 1 .. L-1 get gamma_l, beta_l instead of b_l
    - seed: seeds a private np.random.RandomState (the global generator is untouched)

    Returns:
    - parameters: dict W1, (b1 | gamma1, beta1), ..., WL, bL
    """
    rng = np.random.RandomState(seed)
    L = len(layer_dims) - 1
    parameters = {}
    for l in range(1, L + 1):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters[f"W{l}"] = rng.randn(n, n_prev) * np.sqrt(2.0 / n_prev)
        if batchnorm and l < L:
            parameters[f"gamma{l}"] = np.ones((n, 1))
            parameters[f"beta{l}"] = np.zeros((n, 1))
        else:
            parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def num_layers(parameters):
    return sum(1 for k in parameters if k.startswith("W"))


def new_bn_params(parameters, momentum=0.9, eps=1e-8):
    """{l: bn_param} for each batch-norm layer l, without running averages yet."""
    return {l: {"mode": "train", "momentum": momentum, "eps": eps}
            for l in range(1, num_layers(parameters) + 1) if f"gamma{l}" in parameters}


def forward(X, parameters, bn_params, fns, mode="train"):
    """Forward pass. Returns (A_L (n_L, m) probabilities, caches).

    bn_params: {l: bn_param} (new_bn_params); mode "train" uses (and updates) the batch
    statistics, "test" the running averages."""
    L = num_layers(parameters)
    caches = []
    A = X
    for l in range(1, L):
        Z = parameters[f"W{l}"] @ A
        if f"gamma{l}" in parameters:
            bn_params[l]["mode"] = mode
            Z, bn_cache = fns["batchnorm_forward"](Z, parameters[f"gamma{l}"], parameters[f"beta{l}"], bn_params[l])
        else:
            Z, bn_cache = Z + parameters[f"b{l}"], None
        caches.append((A, Z, bn_cache))
        A = np.maximum(Z, 0)
    caches.append((A, None, None))
    AL = fns["softmax"](parameters[f"W{L}"] @ A + parameters[f"b{L}"])
    return AL, caches


def backward(AL, Y, caches, parameters, fns):
    """Backward pass from the softmax output; returns grads keyed "d" + parameter name."""
    L = num_layers(parameters)
    m = Y.shape[1]
    grads = {}
    dZ = fns["softmax_backward"](AL, Y)
    for l in range(L, 0, -1):
        A_prev, _, _ = caches[l - 1]
        if l < L:
            _, Z, bn_cache = caches[l - 1]
            dZ = dA * (Z > 0)
            if bn_cache is not None:
                dZ, dgamma, dbeta = fns["batchnorm_backward"](dZ, bn_cache)
                grads[f"dgamma{l}"], grads[f"dbeta{l}"] = dgamma / m, dbeta / m
        if f"b{l}" in parameters:
            grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        dA = parameters[f"W{l}"].T @ dZ
    return grads


def cost(X, Y, parameters, bn_params, fns, mode="train"):
    """The student's softmax_cost of a forward pass (for gradient checks of the whole net)."""
    return fns["softmax_cost"](forward(X, parameters, bn_params, fns, mode)[0], Y)


@dataclass
class Result:
    parameters: dict
    bn_params: dict
    costs: list = field(default_factory=list)        # mean mini-batch cost of each epoch
    step_costs: list = field(default_factory=list)   # cost of every mini-batch, before its step


def train(X, Y, layer_dims, fns, batchnorm=False, learning_rate=0.1, num_epochs=20, mini_batch_size=64, seed=0,
          momentum=0.9):
    """Mini-batch gradient descent on (X, Y one-hot). Returns a Result.

    The initialization and the mini-batch order depend only on seed, so two runs that
    differ only in batchnorm see the same weights W and the same batches."""
    parameters = initialize_parameters(layer_dims, batchnorm, seed)
    bn_params = new_bn_params(parameters, momentum)
    result = Result(parameters, bn_params)
    rng = np.random.RandomState(seed + 1)
    m = X.shape[1]
    for _ in range(num_epochs):
        order = rng.permutation(m)
        total = 0.0
        for start in range(0, m, mini_batch_size):
            idx = order[start:start + mini_batch_size]
            Xb, Yb = X[:, idx], Y[:, idx]
            AL, caches = forward(Xb, parameters, bn_params, fns, "train")
            c = float(fns["softmax_cost"](AL, Yb))
            result.step_costs.append(c)
            total += c * idx.size
            grads = backward(AL, Yb, caches, parameters, fns)
            for key in parameters:
                parameters[key] = parameters[key] - learning_rate * grads["d" + key]
        result.costs.append(total / m)
    return result


def predict(X, parameters, bn_params, fns, mode="test"):
    """Predicted labels (1, m): the most probable class of each column."""
    AL, _ = forward(X, parameters, bn_params, fns, mode)
    return np.argmax(AL, axis=0).reshape(1, -1)


def accuracy(X, labels, parameters, bn_params, fns, mode="test"):
    """Fraction of the labels (1, m) predicted right."""
    return float(np.mean(predict(X, parameters, bn_params, fns, mode) == np.asarray(labels).reshape(1, -1)))
