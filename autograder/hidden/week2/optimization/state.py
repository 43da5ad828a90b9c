"""Hidden checks of the optimizers' initial states: initialize_velocity, initialize_rmsprop, initialize_adam.

Each returns, for nets of several depths, dicts keyed like the gradients (dW1, db1, ...)
holding zeros shaped like the parameters; Adam returns two of them (v, s).
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import fail, returned
from autograder.hidden.week2.optimization.shared import DIMS, as_dict, as_tuple, net, where, zeros_like


def _cases():
    rng = np.random.RandomState(24)
    return [case(net(rng, dims), meta={"dims": dims}) for dims in DIMS]


def _check_state(name, prefix, value, what, params, dims):
    """value must be {dW1: zeros like W1, db1: zeros like b1, ...}."""
    where_ = where(dims)
    if isinstance(value, dict) and all(k in value for k in params) and not any(k in value for k in zeros_like(params)):
        fail(name, f"{what} is keyed like the parameters ('W1', 'b1', ...); key it like the gradients: "
                   f"'dW1', 'db1', ... {where_}", f"{prefix}.keys")
    state = as_dict(name, prefix, value, what, zeros_like(params), where_)
    for k, a in state.items():
        if np.any(a != 0):
            copied = np.allclose(a, params[k[1:]])
            fail(name, f"{what}[{k!r}] is not all zeros {where_}: "
                       + ("it holds the parameter's values; make np.zeros with its shape"
                          if copied else "the state starts at zero, np.zeros(parameters[...].shape)"),
                 f"{prefix}.{'copied_parameters' if copied else 'not_zero'}")


def _judge(name, prefix, what):
    def judge(cases, answers):
        for c, answer in zip(cases, answers):
            params, dims = c["args"][0], c["meta"]["dims"]
            _check_state(name, prefix, returned(name, prefix, c, answer), what, params, dims)
    return judge


VELOCITY = "initialize_velocity"
check_initialize_velocity = Check(VELOCITY, prefix="velocity", cases=_cases, judge=_judge(VELOCITY, "velocity", "v"))

RMSPROP = "initialize_rmsprop"
check_initialize_rmsprop = Check(RMSPROP, prefix="rmsprop_init", cases=_cases,
                                 judge=_judge(RMSPROP, "rmsprop_init", "s"))

ADAM = "initialize_adam"


def _adam_judge(cases, answers):
    for c, answer in zip(cases, answers):
        params, dims = c["args"][0], c["meta"]["dims"]
        v, s = as_tuple(ADAM, "adam_init", returned(ADAM, "adam_init", c, answer), 2, "a tuple (v, s)", where(dims))
        _check_state(ADAM, "adam_init", v, "v", params, dims)
        _check_state(ADAM, "adam_init", s, "s", params, dims)


check_initialize_adam = Check(ADAM, prefix="adam_init", cases=_cases, judge=_adam_judge)
