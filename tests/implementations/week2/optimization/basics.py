"""Student-style gradient descent and mini-batches (tests/contract.py tables)."""

import numpy as np

from autograder.commands.samples import MINI_BATCHES_ORIGINAL_STYLE


# ---------------------------------------------------------------- update_parameters_with_gd: correct

def gd_original_course(parameters, grads, learning_rate):
    """As the original course writes it: layers counted from 0, keys built with str(l + 1)."""
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


def gd_over_keys_in_place(parameters, grads, learning_rate):
    for key in parameters:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters


def gd_new_dict(parameters, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


# ---------------------------------------------------------------- update_parameters_with_gd: wrong

def gd_plus(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters[f"W{l}"] = parameters[f"W{l}"] + learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] = parameters[f"b{l}"] + learning_rate * grads[f"db{l}"]
    return parameters


def gd_weights_only(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
    return parameters


def gd_stops_early(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L):
        parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return parameters


def gd_no_learning_rate(parameters, grads, learning_rate):
    return {key: value - grads["d" + key] for key, value in parameters.items()}


# ---------------------------------------------------------------- random_mini_batches: correct

def _sample(source, name):
    namespace = {"np": np}
    exec(source, namespace)
    return namespace[name]


# The original course's solution (list(np.random.permutation(m)), .reshape((1, m)), math.floor), as the
# demo's "original-course-style" student hands it in.
mb_original_course = _sample(MINI_BATCHES_ORIGINAL_STYLE, "random_mini_batches")


def mb_generator(X, Y, mini_batch_size=64, seed=0):
    """A Generator made from the seed; np.floor for the count; batches as lists."""
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    order = rng.permutation(m)
    Xs, Ys = X[:, order], Y[:, order]
    n_full = int(np.floor(m / mini_batch_size))
    size = mini_batch_size
    batches = [[Xs[:, k * size:(k + 1) * size], Ys[:, k * size:(k + 1) * size]] for k in range(n_full)]
    if n_full * mini_batch_size < m:
        batches.append([Xs[:, n_full * mini_batch_size:], Ys[:, n_full * mini_batch_size:]])
    return batches


def mb_shuffled_indices_split(X, Y, mini_batch_size=64, seed=0):
    """np.random.shuffle of an index array, then np.split at the multiples of the batch size."""
    np.random.seed(seed)
    m = X.shape[1]
    idx = np.arange(m)
    np.random.shuffle(idx)
    cuts = list(range(mini_batch_size, m, mini_batch_size))
    return list(zip(np.split(X[:, idx], cuts, axis=1), np.split(Y[:, idx], cuts, axis=1)))


def mb_stacked_then_split(X, Y, mini_batch_size=64, seed=0):
    """Shuffles X and Y stacked together (one permutation for both), with a RandomState."""
    m = X.shape[1]
    both = np.vstack([X, Y])[:, np.random.RandomState(seed).permutation(m)]
    return [(both[:-1, k:k + mini_batch_size], both[-1:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


# ---------------------------------------------------------------- random_mini_batches: wrong

def mb_y_not_shuffled(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X = X[:, permutation]
    return [(shuffled_X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def mb_two_permutations(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    shuffled_X = X[:, np.random.permutation(m)]
    shuffled_Y = Y[:, np.random.permutation(m)]
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]


def mb_drops_last(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    return [(shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]) for k in range(m // mini_batch_size)]


def mb_always_adds_last(X, Y, mini_batch_size=64, seed=0):
    """Adds the 'partial' batch even when m is a multiple of the batch size: an empty last batch."""
    np.random.seed(seed)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    n = m // mini_batch_size
    batches = [(shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]) for k in range(n)]
    batches.append((shuffled_X[:, n * mini_batch_size:], shuffled_Y[:, n * mini_batch_size:]))
    return batches


def mb_no_seed(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]


def mb_not_shuffled(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def mb_overlapping_slices(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    batches = []
    for k in range(m // mini_batch_size):
        start = k * (mini_batch_size - 1)
        batches.append((shuffled_X[:, start:start + mini_batch_size], shuffled_Y[:, start:start + mini_batch_size]))
    if m % mini_batch_size:
        batches.append((shuffled_X[:, m - m % mini_batch_size:], shuffled_Y[:, m - m % mini_batch_size:]))
    return batches


def mb_shuffles_in_place(X, Y, mini_batch_size=64, seed=0):
    """Shuffles the caller's X and Y in place (consistently)."""
    m = X.shape[1]
    np.random.seed(seed)
    np.random.shuffle(X.T)
    np.random.seed(seed)
    np.random.shuffle(Y.T)
    return [(X[:, k:k + mini_batch_size].copy(), Y[:, k:k + mini_batch_size].copy())
            for k in range(0, m, mini_batch_size)]


def mb_flat_y(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape(m)
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]


CORRECT = {
    "update_parameters_with_gd": [gd_original_course, gd_over_keys_in_place, gd_new_dict],
    "random_mini_batches": [mb_original_course, mb_generator, mb_shuffled_indices_split, mb_stacked_then_split],
}
WRONG = {
    "update_parameters_with_gd": [
        (gd_plus, "W - learning_rate * dW", "gd.plus_instead_of_minus"),
        (gd_weights_only, "not the biases", "gd.b_not_updated"),
        (gd_stops_early, "last layer", "gd.last_layer_skipped"),
        (gd_no_learning_rate, "multiply it by learning_rate", "gd.no_learning_rate"),
    ],
    "random_mini_batches": [
        (mb_y_not_shuffled, "Y was not shuffled with X", "minibatch.y_not_shuffled_with_x"),
        (mb_two_permutations, "another permutation", "minibatch.y_different_permutation"),
        (mb_drops_last, "last, smaller mini-batch is missing", "minibatch.last_batch_dropped"),
        (mb_always_adds_last, "the last mini-batch is empty", "minibatch.empty_batch"),
        (mb_no_seed, "same seed gave different mini-batches", "minibatch.no_seed"),
        (mb_not_shuffled, "original order", "minibatch.not_shuffled"),
        (mb_overlapping_slices, "in two mini-batches", "minibatch.overlap"),
        (mb_shuffles_in_place, "shuffled in place", "minibatch.shuffled_in_place"),
        (mb_flat_y, "expected (1, ", "minibatch.y_shape"),
    ],
}
