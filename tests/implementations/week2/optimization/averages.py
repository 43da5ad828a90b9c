"""Student-style averages and learning-rate decays (tests/contract.py tables)."""

import math

import numpy as np


# ---------------------------------------------------------------- exponentially_weighted_averages

def ewa_list(values, beta, bias_correction=True):
    v, out = 0, []
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        out.append(v / (1 - beta ** t) if bias_correction else v)
    return np.array(out)


def ewa_two_arrays(values, beta, bias_correction=True):
    """The uncorrected averages first, then the whole correction at once."""
    v = np.zeros(len(values))
    prev = 0.0
    for i in range(len(values)):
        prev = beta * prev + (1 - beta) * values[i]
        v[i] = prev
    if bias_correction:
        v = v / (1 - np.power(beta, np.arange(1, len(values) + 1)))
    return v


def ewa_swapped(values, beta, bias_correction=True):
    v, out = 0.0, np.zeros(len(values))
    for t in range(1, len(values) + 1):
        v = (1 - beta) * v + beta * values[t - 1]
        out[t - 1] = v / (1 - beta ** t) if bias_correction else v
    return out


def ewa_never_corrected(values, beta, bias_correction=True):
    v, out = 0.0, np.zeros(len(values))
    for t in range(1, len(values) + 1):
        v = beta * v + (1 - beta) * values[t - 1]
        out[t - 1] = v
    return out


def ewa_t_from_zero(values, beta, bias_correction=True):
    v, out = 0.0, np.zeros(len(values))
    for t in range(len(values)):
        v = beta * v + (1 - beta) * values[t]
        out[t] = v / (1 - beta ** (t + 2)) if bias_correction else v
    return out


def ewa_feeds_back(values, beta, bias_correction=True):
    v, out = 0.0, np.zeros(len(values))
    for t in range(1, len(values) + 1):
        v = beta * v + (1 - beta) * values[t - 1]
        if bias_correction:
            v = v / (1 - beta ** t)
        out[t - 1] = v
    return out


def ewa_with_v0(values, beta, bias_correction=True):
    out = [0.0]
    for t in range(1, len(values) + 1):
        out.append(beta * out[-1] + (1 - beta) * values[t - 1])
    out = np.array(out)
    if bias_correction:
        out[1:] = out[1:] / (1 - beta ** np.arange(1, len(values) + 1))
    return out


def ewa_starts_at_first_value(values, beta, bias_correction=True):
    v, out = values[0], np.zeros(len(values))
    for t in range(1, len(values) + 1):
        v = beta * v + (1 - beta) * values[t - 1]
        out[t - 1] = v / (1 - beta ** t) if bias_correction else v
    return out


# ---------------------------------------------------------------- update_lr

def lr_float(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * 1.0 / (1.0 + decay_rate * epoch_num)


def lr_numpy(learning_rate0, epoch_num, decay_rate):
    return np.divide(learning_rate0, np.add(1, np.multiply(decay_rate, epoch_num)))


def lr_no_one(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (decay_rate * epoch_num)


def lr_multiplied(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * (1 + decay_rate * epoch_num)


def lr_precedence(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / 1 + decay_rate * epoch_num


def lr_exponential(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * decay_rate ** epoch_num


# ---------------------------------------------------------------- schedule_lr_decay

def schedule_floor_division(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))


def schedule_math_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))


def schedule_int(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    steps = int(epoch_num / time_interval)
    return learning_rate0 / (1 + decay_rate * steps)


def schedule_no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)


def schedule_round(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * round(epoch_num / time_interval))


def schedule_ceil(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.ceil(epoch_num / time_interval))


def schedule_fixed_interval(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / 1000))


def schedule_times_interval(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num * time_interval))


CORRECT = {
    "exponentially_weighted_averages": [ewa_list, ewa_two_arrays],
    "update_lr": [lr_float, lr_numpy],
    "schedule_lr_decay": [schedule_floor_division, schedule_math_floor, schedule_int],
}
WRONG = {
    "exponentially_weighted_averages": [
        (ewa_swapped, "beta and 1 - beta are swapped", "ewa.beta_for_one_minus_beta"),
        (ewa_never_corrected, "no bias correction", "ewa.no_bias_correction"),
        (ewa_t_from_zero, "wrong t", "ewa.correction_wrong_t"),
        (ewa_feeds_back, "fed back", "ewa.corrected_fed_back"),
        (ewa_with_v0, "Do not include v_0", "ewa.shape"),
        (ewa_starts_at_first_value, "v_0 = 0", "ewa.v0_first_value"),
    ],
    "update_lr": [
        (lr_no_one, "the 1 + is missing", "lr_decay.no_one_plus"),
        (lr_multiplied, "divide by it", "lr_decay.multiplied"),
        (lr_precedence, "parentheses", "lr_decay.precedence"),
        (lr_exponential, "exponential decay", "lr_decay.exponential"),
    ],
    "schedule_lr_decay": [
        (schedule_no_floor, "not floored", "lr_schedule.no_floor"),
        (schedule_round, "rounded", "lr_schedule.round_not_floor"),
        (schedule_ceil, "rounded up", "lr_schedule.ceil_not_floor"),
        (schedule_fixed_interval, "time_interval is not used", "lr_schedule.interval_ignored"),
        (schedule_times_interval, "multiplied by time_interval", "lr_schedule.interval_multiplied"),
    ],
}
