"""best_iteration written as students write it: CORRECT variants and WRONG versions."""

import numpy as np


def best_iteration_index_of_min(dev_costs, record_every):
    return dev_costs.index(min(dev_costs)) * record_every if isinstance(dev_costs, list) \
        else int(np.argmin(dev_costs)) * record_every


def best_iteration_loop(dev_costs, record_every):
    best, best_cost = 0, float("inf")
    for k, c in enumerate(dev_costs):
        if c < best_cost:
            best, best_cost = k, c
    return best * record_every


def best_iteration_numpy_int(dev_costs, record_every):
    """Returns a NumPy integer (np.argmin times an int)."""
    return np.argmin(np.asarray(dev_costs)) * record_every


def best_iteration_last(dev_costs, record_every):
    return (len(dev_costs) - 1) * record_every


def best_iteration_off_by_one_record(dev_costs, record_every):
    return (int(np.argmin(dev_costs)) + 1) * record_every


def best_iteration_argmax(dev_costs, record_every):
    return int(np.argmax(dev_costs)) * record_every


def best_iteration_index(dev_costs, record_every):
    return int(np.argmin(dev_costs))


def best_iteration_cost(dev_costs, record_every):
    return min(dev_costs)


def best_iteration_latest_tie(dev_costs, record_every):
    best, best_cost = 0, float("inf")
    for k, c in enumerate(dev_costs):
        if c <= best_cost:
            best, best_cost = k, c
    return best * record_every


def best_iteration_float(dev_costs, record_every):
    return float(np.argmin(dev_costs) * record_every)


CORRECT = {
    "best_iteration": [best_iteration_index_of_min, best_iteration_loop, best_iteration_numpy_int],
}

WRONG = {
    "best_iteration": [
        (best_iteration_last, "returns the last recorded iteration rather than the best", "earlystop.last_not_best"),
        (best_iteration_off_by_one_record, "off by record_every", "earlystop.off_by_record_every"),
        (best_iteration_argmax, "argmax", "earlystop.argmax"),
        (best_iteration_index, "multiply it by record_every", "earlystop.index_not_iteration"),
        (best_iteration_cost, "the lowest dev cost itself", "earlystop.returned_cost"),
        (best_iteration_latest_tie, "the earliest", "earlystop.latest_tie"),
        (best_iteration_float, "return an int", "earlystop.not_int"),
    ],
}
