"""Reference solution of week 2, notebook `optimization` (instructors only).

The source notebook's solution cells hold the same code, statement for statement
(tests/test_solutions.py compares the ASTs). Conventions: parameters
{"W1": (n1, n0), "b1": (n1, 1), ...}, gradients {"dW1", "db1", ...}, optimizer
state v and s keyed like the gradients.
"""

import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of gradient descent: W := W - learning_rate * dW for every layer."""
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the columns of X and Y with one permutation, then cut them into mini-batches."""
    np.random.seed(seed)
    m = X.shape[1]
    mini_batches = []
    permutation = np.random.permutation(m)
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation]
    for start in range(0, m, mini_batch_size):
        mini_batch_X = shuffled_X[:, start:start + mini_batch_size]
        mini_batch_Y = shuffled_Y[:, start:start + mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches


def exponentially_weighted_averages(values, beta, bias_correction=True):
    """v_t = beta * v_{t-1} + (1 - beta) * theta_t from v_0 = 0, divided by 1 - beta^t when corrected."""
    averages = np.zeros(len(values))
    v = 0.0
    for t in range(1, len(values) + 1):
        v = beta * v + (1 - beta) * values[t - 1]
        if bias_correction:
            averages[t - 1] = v / (1 - beta ** t)
        else:
            averages[t - 1] = v
    return averages


def initialize_velocity(parameters):
    """v["dWl"], v["dbl"]: zeros shaped like Wl and bl."""
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """v := beta * v + (1 - beta) * dW, then W := W - learning_rate * v, for every layer."""
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, dkey = p + str(l), "d" + p + str(l)
            v[dkey] = beta * v[dkey] + (1 - beta) * grads[dkey]
            parameters[key] = parameters[key] - learning_rate * v[dkey]
    return parameters, v


def initialize_rmsprop(parameters):
    """s["dWl"], s["dbl"]: zeros shaped like Wl and bl."""
    L = len(parameters) // 2
    s = {}
    for l in range(1, L + 1):
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return s


def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    """s := beta2 * s + (1 - beta2) * dW**2, then W := W - learning_rate * dW / (sqrt(s) + epsilon)."""
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, dkey = p + str(l), "d" + p + str(l)
            s[dkey] = beta2 * s[dkey] + (1 - beta2) * np.square(grads[dkey])
            parameters[key] = parameters[key] - learning_rate * grads[dkey] / (np.sqrt(s[dkey]) + epsilon)
    return parameters, s


def initialize_adam(parameters):
    """v and s: dicts of zeros shaped like the parameters, keyed like the gradients."""
    L = len(parameters) // 2
    v = {}
    s = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = np.zeros(parameters[p + str(l)].shape)
            s["d" + p + str(l)] = np.zeros(parameters[p + str(l)].shape)
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    """One Adam step: momentum and RMSprop averages, bias-corrected by 1 - beta^t, then the update."""
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, dkey = p + str(l), "d" + p + str(l)
            v[dkey] = beta1 * v[dkey] + (1 - beta1) * grads[dkey]
            v_corrected[dkey] = v[dkey] / (1 - beta1 ** t)
            s[dkey] = beta2 * s[dkey] + (1 - beta2) * np.square(grads[dkey])
            s_corrected[dkey] = s[dkey] / (1 - beta2 ** t)
            step = v_corrected[dkey] / (np.sqrt(s_corrected[dkey]) + epsilon)
            parameters[key] = parameters[key] - learning_rate * step
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    """learning_rate0 / (1 + decay_rate * epoch_num)."""
    learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)
    return learning_rate


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))."""
    learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
    return learning_rate
