"""The provided training loop of week 3: mini-batches, Adam and `jax.jit`, around the student's functions.

    result = train(forward_propagation, compute_cost, X_train, one_hot(Y_train), learning_rate=0.003)
    accuracy(forward_propagation, X_dev, Y_dev, result.parameters)

The student writes `forward_propagation(X, parameters)` (logits (C, m)) and
`compute_cost(logits, Y)` in jax.numpy; this module never differentiates by hand:
`jax.value_and_grad` gives the cost and the gradients of one mini-batch, Adam
updates every parameter (jax.tree_util.tree_map over the dict), and `jax.jit`
compiles the whole step once, on the first mini-batch (once more for a smaller
last batch); runs with other learning rates reuse the compiled step.

Shapes: X (n0, m) one example per column, Y one-hot (C, m), labels (1, m).
"""

import functools
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np

from course.softmax_net import initialize_parameters

LAYERS_DIMS = (64, 32, 16, 10)


def one_hot(labels, C=10):
    """Labels (1, m) of 0 .. C-1 -> one-hot float32 array (C, m): column j has a 1 in row labels[0, j]."""
    labels = np.asarray(labels).reshape(-1).astype(int)
    Y = np.zeros((C, labels.size), dtype=np.float32)
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


@dataclass
class Result:
    parameters: dict                           # NumPy arrays W1, b1, ..., W3, b3
    costs: list = field(default_factory=list)  # mean cost over each epoch's mini-batches
    seconds: float = 0.0                       # training time, first compilation included


@functools.lru_cache(maxsize=8)
def _adam_step(forward_propagation, compute_cost):
    """The jitted step: (params, v, s, t, Xb, Yb, learning_rate, beta1, beta2, epsilon) -> (params, v, s, cost)."""
    def cost_of(params, Xb, Yb):
        return compute_cost(forward_propagation(Xb, params), Yb)

    def step(params, v, s, t, Xb, Yb, learning_rate, beta1, beta2, epsilon):
        cost, grads = jax.value_and_grad(cost_of)(params, Xb, Yb)
        v = jax.tree_util.tree_map(lambda v_, g: beta1 * v_ + (1 - beta1) * g, v, grads)
        s = jax.tree_util.tree_map(lambda s_, g: beta2 * s_ + (1 - beta2) * g * g, s, grads)
        v_hat_scale, s_hat_scale = 1 / (1 - beta1 ** t), 1 / (1 - beta2 ** t)
        params = jax.tree_util.tree_map(
            lambda p, v_, s_: p - learning_rate * (v_ * v_hat_scale) / (jnp.sqrt(s_ * s_hat_scale) + epsilon),
            params, v, s)
        return params, v, s, cost

    return jax.jit(step)


def train(forward_propagation, compute_cost, X, Y, layers_dims=LAYERS_DIMS, learning_rate=0.003, num_epochs=60,
          mini_batch_size=64, seed=0, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Train the 3-layer net with Adam on shuffled mini-batches.

    Inputs:
    - forward_propagation(X, parameters) -> logits (C, m); compute_cost(logits, Y) -> scalar: the student's
    - X: (n0, m) data; Y: (C, m) one-hot labels
    - layers_dims: [n0, n1, n2, C]; parameters He-initialized from RandomState(seed)
    - learning_rate, beta1, beta2, epsilon: Adam's; num_epochs, mini_batch_size: the passes and batches
    - seed: also seeds the shuffles (RandomState(seed + 1), a new permutation every epoch)
    Returns:
    - Result(parameters, costs, seconds)
    """
    import time

    start = time.perf_counter()
    X, Y = np.asarray(X, dtype=np.float32), np.asarray(Y, dtype=np.float32)
    m = X.shape[1]
    params = {k: jnp.asarray(v) for k, v in initialize_parameters(list(layers_dims), seed).items()}
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    s = jax.tree_util.tree_map(jnp.zeros_like, params)
    step = _adam_step(forward_propagation, compute_cost)
    hyper = tuple(np.float32(h) for h in (learning_rate, beta1, beta2, epsilon))
    rng = np.random.RandomState(seed + 1)
    costs, t = [], 0
    for _ in range(num_epochs):
        order = rng.permutation(m)
        batch_costs = []
        for k in range(0, m, mini_batch_size):
            idx = order[k:k + mini_batch_size]
            t += 1
            params, v, s, cost = step(params, v, s, np.float32(t), X[:, idx], Y[:, idx], *hyper)
            batch_costs.append((cost, idx.size))
        costs.append(sum(float(c) * n for c, n in batch_costs) / m)
    parameters = {k: np.asarray(p) for k, p in params.items()}
    return Result(parameters, costs, time.perf_counter() - start)


def predict(forward_propagation, X, parameters):
    """Predicted labels (1, m): the class of the largest logit of each column."""
    logits = np.asarray(forward_propagation(jnp.asarray(X, dtype=jnp.float32),
                                            {k: jnp.asarray(p) for k, p in parameters.items()}))
    return logits.argmax(axis=0).reshape(1, -1)


def accuracy(forward_propagation, X, labels, parameters):
    """Fraction of the columns of X whose predicted label is labels (1, m)."""
    return float(np.mean(predict(forward_propagation, X, parameters) == np.asarray(labels).reshape(1, -1)))
