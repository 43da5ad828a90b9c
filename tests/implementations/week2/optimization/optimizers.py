"""Student-style momentum, RMSprop and Adam: initial states and update steps (tests/contract.py tables)."""

import numpy as np


# ---------------------------------------------------------------- initial states

def velocity_original_course(parameters):
    """As the original course writes it: np.zeros((shape[0], shape[1]))."""
    L = len(parameters) // 2
    v = {}
    for l in range(L):
        v["dW" + str(l + 1)] = np.zeros((parameters["W" + str(l + 1)].shape[0], parameters["W" + str(l + 1)].shape[1]))
        v["db" + str(l + 1)] = np.zeros((parameters["b" + str(l + 1)].shape[0], parameters["b" + str(l + 1)].shape[1]))
    return v


def velocity_zeros_like(parameters):
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}


def velocity_param_keys(parameters):
    return {key: np.zeros_like(value) for key, value in parameters.items()}


def velocity_flat_b(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v[f"dW{l}"] = np.zeros(parameters[f"W{l}"].shape)
        v[f"db{l}"] = np.zeros(parameters[f"b{l}"].shape[0])
    return v


def velocity_copies(parameters):
    return {"d" + key: value.copy() for key, value in parameters.items()}


def velocity_stops_early(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L):
        v[f"dW{l}"] = np.zeros(parameters[f"W{l}"].shape)
        v[f"db{l}"] = np.zeros(parameters[f"b{l}"].shape)
    return v


def rmsprop_init_ones(parameters):
    return {"d" + key: np.ones_like(value) for key, value in parameters.items()}


def adam_init_original_course(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(L):
        for p in ("W", "b"):
            shape = parameters[p + str(l + 1)].shape
            v["d" + p + str(l + 1)] = np.zeros((shape[0], shape[1]))
            s["d" + p + str(l + 1)] = np.zeros((shape[0], shape[1]))
    return v, s


def adam_init_zeros_like(parameters):
    return velocity_zeros_like(parameters), velocity_zeros_like(parameters)


def adam_init_v_only(parameters):
    return velocity_zeros_like(parameters)


def adam_init_param_keys(parameters):
    return velocity_param_keys(parameters), velocity_param_keys(parameters)


def adam_init_s_ones(parameters):
    return velocity_zeros_like(parameters), rmsprop_init_ones(parameters)


# ---------------------------------------------------------------- momentum

def momentum_original_course(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        v["dW" + str(l + 1)] = beta * v["dW" + str(l + 1)] + (1 - beta) * grads["dW" + str(l + 1)]
        v["db" + str(l + 1)] = beta * v["db" + str(l + 1)] + (1 - beta) * grads["db" + str(l + 1)]
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * v["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * v["db" + str(l + 1)]
    return parameters, v


def momentum_in_place(parameters, grads, v, beta, learning_rate):
    for key in parameters:
        v["d" + key] *= beta
        v["d" + key] += (1 - beta) * grads["d" + key]
        parameters[key] -= learning_rate * v["d" + key]
    return parameters, v


def _momentum(vel, upd, skip_last=False):
    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        L = len(parameters) // 2
        for l in range(1, L if skip_last else L + 1):
            for p in ("W", "b"):
                k, dk = f"{p}{l}", f"d{p}{l}"
                old = v[dk]
                v[dk] = vel(v[dk], grads[dk], beta, learning_rate)
                parameters[k] = upd(parameters[k], grads[dk], old, v[dk], learning_rate)
        return parameters, v
    return update_parameters_with_momentum


def _named(fn, name):
    fn.__name__ = name
    return fn


momentum_swapped = _named(_momentum(lambda v, g, b, lr: (1 - b) * v + b * g, lambda p, g, o, v, lr: p - lr * v),
                          "momentum_swapped")
momentum_update_with_gradient = _named(_momentum(lambda v, g, b, lr: b * v + (1 - b) * g,
                                                 lambda p, g, o, v, lr: p - lr * g), "momentum_update_with_gradient")
momentum_plus = _named(_momentum(lambda v, g, b, lr: b * v + (1 - b) * g, lambda p, g, o, v, lr: p + lr * v),
                       "momentum_plus")
momentum_reset = _named(_momentum(lambda v, g, b, lr: (1 - b) * g, lambda p, g, o, v, lr: p - lr * v),
                        "momentum_reset")
momentum_stops_early = _named(_momentum(lambda v, g, b, lr: b * v + (1 - b) * g, lambda p, g, o, v, lr: p - lr * v,
                                        skip_last=True), "momentum_stops_early")
momentum_old_velocity = _named(_momentum(lambda v, g, b, lr: b * v + (1 - b) * g, lambda p, g, o, v, lr: p - lr * o),
                               "momentum_old_velocity")


# ---------------------------------------------------------------- RMSprop

def rmsprop_squares_by_multiplying(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for key in parameters:
        g = grads["d" + key]
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g * g
        parameters[key] = parameters[key] - learning_rate * g / (s["d" + key] ** 0.5 + epsilon)
    return parameters, s


def rmsprop_in_place(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            g = grads["d" + p + str(l)]
            s["d" + p + str(l)] *= beta2
            s["d" + p + str(l)] += (1 - beta2) * np.power(g, 2)
            parameters[p + str(l)] -= learning_rate * g / (np.sqrt(s["d" + p + str(l)]) + epsilon)
    return parameters, s


def _rmsprop(state, upd):
    def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
        for key in parameters:
            dk = "d" + key
            s[dk] = state(s[dk], grads[dk], beta2)
            parameters[key] = upd(parameters[key], grads[dk], s[dk], learning_rate, epsilon)
        return parameters, s
    return update_parameters_with_rmsprop


_S = lambda s, g, b: b * s + (1 - b) * g ** 2  # noqa: E731 (the right s)
rmsprop_epsilon_inside = _named(_rmsprop(_S, lambda p, g, s, lr, e: p - lr * g / np.sqrt(s + e)),
                                "rmsprop_epsilon_inside")
rmsprop_no_square = _named(_rmsprop(lambda s, g, b: b * s + (1 - b) * g,
                                    lambda p, g, s, lr, e: p - lr * g / (np.sqrt(s) + e)), "rmsprop_no_square")
rmsprop_swapped = _named(_rmsprop(lambda s, g, b: (1 - b) * s + b * g ** 2,
                                  lambda p, g, s, lr, e: p - lr * g / (np.sqrt(s) + e)), "rmsprop_swapped")
rmsprop_default_epsilon = _named(_rmsprop(_S, lambda p, g, s, lr, e: p - lr * g / (np.sqrt(s) + 1e-8)),
                                 "rmsprop_default_epsilon")
rmsprop_no_sqrt = _named(_rmsprop(_S, lambda p, g, s, lr, e: p - lr * g / (s + e)), "rmsprop_no_sqrt")


# ---------------------------------------------------------------- Adam

def adam_original_course(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """As the original course writes it, with np.power and ** 2."""
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(L):
        v["dW" + str(l + 1)] = beta1 * v["dW" + str(l + 1)] + (1 - beta1) * grads["dW" + str(l + 1)]
        v["db" + str(l + 1)] = beta1 * v["db" + str(l + 1)] + (1 - beta1) * grads["db" + str(l + 1)]
        v_corrected["dW" + str(l + 1)] = v["dW" + str(l + 1)] / (1 - np.power(beta1, t))
        v_corrected["db" + str(l + 1)] = v["db" + str(l + 1)] / (1 - np.power(beta1, t))
        s["dW" + str(l + 1)] = beta2 * s["dW" + str(l + 1)] + (1 - beta2) * np.power(grads["dW" + str(l + 1)], 2)
        s["db" + str(l + 1)] = beta2 * s["db" + str(l + 1)] + (1 - beta2) * np.power(grads["db" + str(l + 1)], 2)
        s_corrected["dW" + str(l + 1)] = s["dW" + str(l + 1)] / (1 - np.power(beta2, t))
        s_corrected["db" + str(l + 1)] = s["db" + str(l + 1)] / (1 - np.power(beta2, t))
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * v_corrected["dW" + str(l + 1)] / (
            np.sqrt(s_corrected["dW" + str(l + 1)]) + epsilon)
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * v_corrected["db" + str(l + 1)] / (
            np.sqrt(s_corrected["db" + str(l + 1)]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


def _adam(vel=None, sq=None, vcor=None, scor=None, upd=None, returns=5):
    vel = vel or (lambda v, g, b1, b2: b1 * v + (1 - b1) * g)
    sq = sq or (lambda s, g, b1, b2: b2 * s + (1 - b2) * g ** 2)
    vcor = vcor or (lambda v, b1, b2, t: v / (1 - b1 ** t))
    scor = scor or (lambda s, b1, b2, t: s / (1 - b2 ** t))
    upd = upd or (lambda p, vc, sc, lr, e: p - lr * vc / (np.sqrt(sc) + e))

    def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                    epsilon=1e-8):
        v_corrected, s_corrected = {}, {}
        for key in parameters:
            dk = "d" + key
            v[dk] = vel(v[dk], grads[dk], beta1, beta2)
            s[dk] = sq(s[dk], grads[dk], beta1, beta2)
            v_corrected[dk] = vcor(v[dk], beta1, beta2, t)
            s_corrected[dk] = scor(s[dk], beta1, beta2, t)
            parameters[key] = upd(parameters[key], v_corrected[dk], s_corrected[dk], learning_rate, epsilon)
        return (parameters, v, s, v_corrected, s_corrected)[:returns]
    return update_parameters_with_adam


adam_dict_order = _named(_adam(), "adam_dict_order")
adam_no_correction = _named(_adam(vcor=lambda v, b1, b2, t: v, scor=lambda s, b1, b2, t: s), "adam_no_correction")
adam_t_plus_one = _named(_adam(vcor=lambda v, b1, b2, t: v / (1 - b1 ** (t + 1)),
                               scor=lambda s, b1, b2, t: s / (1 - b2 ** (t + 1))), "adam_t_plus_one")
adam_t_always_one = _named(_adam(vcor=lambda v, b1, b2, t: v / (1 - b1), scor=lambda s, b1, b2, t: s / (1 - b2)),
                           "adam_t_always_one")
adam_beta1_for_s = _named(_adam(sq=lambda s, g, b1, b2: b1 * s + (1 - b1) * g ** 2), "adam_beta1_for_s")
adam_epsilon_inside = _named(_adam(upd=lambda p, vc, sc, lr, e: p - lr * vc / np.sqrt(sc + e)), "adam_epsilon_inside")
adam_power_correction = _named(_adam(vcor=lambda v, b1, b2, t: v / (1 - b1) ** t,
                                     scor=lambda s, b1, b2, t: s / (1 - b2) ** t), "adam_power_correction")
adam_returns_three = _named(_adam(returns=3), "adam_returns_three")


def adam_corrected_fed_back(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for key in parameters:
        dk = "d" + key
        v[dk] = (beta1 * v[dk] + (1 - beta1) * grads[dk]) / (1 - beta1 ** t)
        s[dk] = (beta2 * s[dk] + (1 - beta2) * grads[dk] ** 2) / (1 - beta2 ** t)
        parameters[key] = parameters[key] - learning_rate * v[dk] / (np.sqrt(s[dk]) + epsilon)
    return parameters, v, s, dict(v), dict(s)


CORRECT = {
    "initialize_velocity": [velocity_original_course, velocity_zeros_like],
    "initialize_rmsprop": [velocity_original_course, velocity_zeros_like],
    "initialize_adam": [adam_init_original_course, adam_init_zeros_like],
    "update_parameters_with_momentum": [momentum_original_course, momentum_in_place],
    "update_parameters_with_rmsprop": [rmsprop_squares_by_multiplying, rmsprop_in_place],
    "update_parameters_with_adam": [adam_original_course, adam_dict_order],
}
WRONG = {
    "initialize_velocity": [
        (velocity_param_keys, "key it like the gradients", "velocity.keys"),
        (velocity_flat_b, "has shape", "velocity.shape"),
        (velocity_copies, "holds the parameter's values", "velocity.copied_parameters"),
        (velocity_stops_early, "one layer early", "velocity.keys"),
    ],
    "initialize_rmsprop": [
        (rmsprop_init_ones, "not all zeros", "rmsprop_init.not_zero"),
        (velocity_param_keys, "key it like the gradients", "rmsprop_init.keys"),
        (velocity_flat_b, "has shape", "rmsprop_init.shape"),
    ],
    "initialize_adam": [
        (adam_init_v_only, "a tuple (v, s)", "adam_init.returns"),
        (adam_init_param_keys, "key it like the gradients", "adam_init.keys"),
        (adam_init_s_ones, "s['dW1'] is not all zeros", "adam_init.not_zero"),
    ],
    "update_parameters_with_momentum": [
        (momentum_swapped, "beta and 1 - beta are swapped", "momentum.beta_for_one_minus_beta"),
        (momentum_update_with_gradient, "updated with the gradient", "momentum.update_with_gradient"),
        (momentum_plus, "moved up the velocity", "momentum.plus_instead_of_minus"),
        (momentum_reset, "restarts from zero", "momentum.velocity_reset"),
        (momentum_stops_early, "last layer", "momentum.last_layer_skipped"),
        (momentum_old_velocity, "velocity of the previous step", "momentum.update_with_old_velocity"),
    ],
    "update_parameters_with_rmsprop": [
        (rmsprop_epsilon_inside, "epsilon is inside the square root", "rmsprop.epsilon_inside_sqrt"),
        (rmsprop_no_square, "not their squares", "rmsprop.no_square"),
        (rmsprop_swapped, "swapped", "rmsprop.beta_for_one_minus_beta"),
        (rmsprop_default_epsilon, "epsilon argument is not used", "rmsprop.epsilon_ignored"),
        (rmsprop_no_sqrt, "square root", "rmsprop.no_sqrt"),
    ],
    "update_parameters_with_adam": [
        (adam_no_correction, "correct the bias", "adam.no_bias_correction"),
        (adam_t_plus_one, "uses t + 1", "adam.correction_wrong_t"),
        (adam_t_always_one, "that of the first step", "adam.correction_wrong_t"),
        (adam_beta1_for_s, "s uses beta1", "adam.beta1_for_s"),
        (adam_epsilon_inside, "epsilon is inside the square root", "adam.epsilon_inside_sqrt"),
        (adam_power_correction, "is not 1 - beta1^t", "adam.correction_power"),
        (adam_returns_three, "5 values", "adam.returns"),
        (adam_corrected_fed_back, "the returned v is bias-corrected", "adam.corrected_fed_back"),
    ],
}
