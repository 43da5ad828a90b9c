"""Hidden checks of the update steps of momentum, RMSprop and Adam (sections 4 to 6).

Each is checked over several consecutive steps (t = 1, 2, 3, ...) of runs started from a
zero state, on nets of several depths: every case gets the parameters and state that the
reference reached after the previous steps, and gradients whose entries span four orders of
magnitude (many near 1e-3); RMSprop and Adam also run with epsilon = 0.1, where putting
epsilon inside the square root changes the step a lot, and once with their default
arguments. The outputs are judged in the order they are computed (the state, its bias
correction, then the parameters), each against the usual wrong formulas for it, computed
from right inputs, so the message names the first mistake.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import fail, quiet, returned
from autograder.hidden.week2.optimization.shared import (DIMS, as_dict, as_tuple, copy, differs, first_mistake,
                                                         layer_slips, mixed_grads, net, ref, values_text, zeros_like)


def _p(d):
    """A state or gradient dict keyed like the parameters (dW1 -> W1)."""
    return {k[1:]: v for k, v in d.items()}


def _on(fn, *dicts):
    """{key: fn(arrays of key)} over the keys of the first dict."""
    return {k: fn(*(d[k] for d in dicts)) for k in dicts[0]}


def _where(c, **hyper):
    text = ", ".join(f"{k}={v}" for k, v in hyper.items())
    return f"(step t={c['meta']['t']} of a run started from a zero state, layer widths {c['meta']['dims']}, {text})"


def _stage(name, got, expected, mistakes, fallback, where_):
    """Fail if got (param-keyed dict) differs from expected: with the matching mistake (mistakes() lists
    them, computed only then), else with fallback (tag, message)."""
    key = differs(got, expected)
    if key is None:
        return
    with quiet():
        found = first_mistake(got, mistakes())
    tag, msg = found or (fallback[0], f"{values_text(got, expected, key)}: {fallback[1]}")
    fail(name, f"{msg} {where_}", tag)


def _sequence_cases(seed, runs, init, advance, make):
    """Cases over consecutive steps: for (dims, hyper, steps) in runs, start from init(params) and
    after each case move on with the reference, advance(params, grads, state, t, hyper) -> (params, state)."""
    rng = np.random.RandomState(seed)
    cases = []
    for dims, hyper, steps in runs:
        params = net(rng, dims)
        state = init(params)
        for t in range(1, steps + 1):
            grads = mixed_grads(rng, params)
            cases.append(make(params, grads, state, t, hyper, {"dims": dims, "t": t}))
            params, state = advance(copy(params), grads, [copy(s) for s in state], t, hyper)
    return cases


# ---------------------------------------------------------------- momentum

MOMENTUM = "update_parameters_with_momentum"
_MOMENTUM_RUNS = [(DIMS[0], (0.9, 0.05), 4), (DIMS[3], (0.8, 0.3), 3), (DIMS[2], (0.95, 1.0), 3),
                  (DIMS[1], (0.7, 0.01), 2)]


def _momentum_cases():
    def advance(params, grads, state, t, hyper):
        params, v = ref.update_parameters_with_momentum(params, grads, state[0], *hyper)
        return params, [v]
    return _sequence_cases(25, _MOMENTUM_RUNS, lambda p: [zeros_like(p)], advance,
                           lambda p, g, st, t, h, meta: case(p, g, st[0], h[0], h[1], meta=meta))


def _momentum_judge(cases, answers):
    name, pre = MOMENTUM, "momentum"
    for c, answer in zip(cases, answers):
        params, grads, v, beta, lr = c["args"]
        where_ = _where(c, beta=beta, learning_rate=lr)
        out = as_tuple(name, pre, returned(name, pre, c, answer), 2, "a tuple (parameters, v)", where_)
        got_p = as_dict(name, pre, out[0], "the returned parameters", params, where_)
        got_v = _p(as_dict(name, pre, out[1], "the returned v", v, where_))
        P, G, V = params, _p(grads), _p(v)
        L = len(c["meta"]["dims"]) - 1
        new_v = _on(lambda v_, g: beta * v_ + (1 - beta) * g, V, G)
        _stage(name, got_v, new_v, lambda: [
            ("momentum.beta_for_one_minus_beta", "beta and 1 - beta are swapped in the velocity: "
                                                 "v = beta * v + (1 - beta) * dW",
             _on(lambda v_, g: (1 - beta) * v_ + beta * g, V, G)),
            ("momentum.no_one_minus_beta", "the gradient is not weighted by 1 - beta: v = beta * v + (1 - beta) * dW",
             _on(lambda v_, g: beta * v_ + g, V, G)),
            ("momentum.velocity_reset", "the velocity restarts from zero at every step (the v passed in is not used): "
                                        "v = beta * v + (1 - beta) * dW, with the v of the previous step",
             _on(lambda v_, g: (1 - beta) * g, V, G)),
            ("momentum.other_convention", "that is another momentum convention, v = beta * v + learning_rate * dW; "
                                          "this course's is v = beta * v + (1 - beta) * dW, then W = W - "
                                          "learning_rate * v", _on(lambda v_, g: beta * v_ + lr * g, V, G)),
            ("momentum.velocity_not_updated", "the returned v is the v passed in: return the updated velocity", V),
        ] + [("momentum." + t_, m_, d_) for t_, m_, d_ in layer_slips(V, new_v, L, "v")],
            ("momentum.velocity", "v = beta * v + (1 - beta) * dW (and db) for every layer"), where_)
        new_p = _on(lambda p, v_: p - lr * v_, P, new_v)
        _stage(name, got_p, new_p, lambda: [
            ("momentum.plus_instead_of_minus", "the parameters moved up the velocity: W = W - learning_rate * v",
             _on(lambda p, v_: p + lr * v_, P, new_v)),
            ("momentum.update_with_gradient", "the parameters were updated with the gradient; momentum updates them "
                                              "with the velocity: W = W - learning_rate * v",
             _on(lambda p, g: p - lr * g, P, G)),
            ("momentum.update_with_old_velocity", "the parameters were updated with the velocity of the previous "
                                                  "step: update v first, then W = W - learning_rate * v (the new v)",
             _on(lambda p, v_: p - lr * v_, P, V)),
            ("momentum.no_learning_rate", "the update misses the learning rate: W = W - learning_rate * v",
             _on(lambda p, v_: p - v_, P, new_v)),
        ] + [("momentum." + t_, m_, d_) for t_, m_, d_ in layer_slips(P, new_p, L)],
            ("momentum.wrong_update", "W = W - learning_rate * v with the updated v"), where_)


check_update_parameters_with_momentum = Check(MOMENTUM, prefix="momentum", cases=_momentum_cases,
                                              judge=_momentum_judge)


# ---------------------------------------------------------------- RMSprop

RMSPROP = "update_parameters_with_rmsprop"
_RMSPROP_RUNS = [(DIMS[0], (0.999, 0.01, 1e-8), 4), (DIMS[3], (0.9, 0.1, 0.1), 4), (DIMS[2], (0.99, 0.5, 1e-3), 3),
                 (DIMS[1], (0.8, 0.05, None), 2)]   # None: epsilon left to its default


def _rmsprop_cases():
    def advance(params, grads, state, t, hyper):
        beta2, lr, eps = hyper
        params, s = ref.update_parameters_with_rmsprop(params, grads, state[0], beta2, lr, 1e-8 if eps is None else eps)
        return params, [s]

    def make(p, g, st, t, h, meta):
        args = (p, g, st[0], h[0], h[1]) + (() if h[2] is None else (h[2],))
        return case(*args, meta=meta)
    return _sequence_cases(26, _RMSPROP_RUNS, lambda p: [zeros_like(p)], advance, make)


def _rmsprop_judge(cases, answers):
    name, pre = RMSPROP, "rmsprop"
    for c, answer in zip(cases, answers):
        params, grads, s, beta2, lr = c["args"][:5]
        eps = c["args"][5] if len(c["args"]) > 5 else 1e-8
        where_ = _where(c, beta2=beta2, learning_rate=lr,
                        epsilon=eps if len(c["args"]) > 5 else "default")
        out = as_tuple(name, pre, returned(name, pre, c, answer), 2, "a tuple (parameters, s)", where_)
        got_p = as_dict(name, pre, out[0], "the returned parameters", params, where_)
        got_s = _p(as_dict(name, pre, out[1], "the returned s", s, where_))
        P, G, S = params, _p(grads), _p(s)
        L = len(c["meta"]["dims"]) - 1
        new_s = _on(lambda s_, g: beta2 * s_ + (1 - beta2) * np.square(g), S, G)
        _stage(name, got_s, new_s, lambda: [
            ("rmsprop.beta_for_one_minus_beta", "beta2 and 1 - beta2 are swapped: s = beta2 * s + (1 - beta2) * dW**2",
             _on(lambda s_, g: (1 - beta2) * s_ + beta2 * np.square(g), S, G)),
            ("rmsprop.no_square", "s averages the gradients, not their squares: s = beta2 * s + (1 - beta2) * "
                                  "np.square(dW)", _on(lambda s_, g: beta2 * s_ + (1 - beta2) * g, S, G)),
            ("rmsprop.no_one_minus_beta", "the squared gradient is not weighted by 1 - beta2",
             _on(lambda s_, g: beta2 * s_ + np.square(g), S, G)),
            ("rmsprop.state_reset", "s restarts from zero at every step (the s passed in is not used)",
             _on(lambda s_, g: (1 - beta2) * np.square(g), S, G)),
            ("rmsprop.state_not_updated", "the returned s is the s passed in: return the updated s", S),
        ] + [("rmsprop." + t_, m_, d_) for t_, m_, d_ in layer_slips(S, new_s, L, "s")],
            ("rmsprop.state", "s = beta2 * s + (1 - beta2) * np.square(dW) (and db) for every layer"), where_)
        new_p = _on(lambda p, g, s_: p - lr * g / (np.sqrt(s_) + eps), P, G, new_s)
        _stage(name, got_p, new_p, lambda: [
            ("rmsprop.epsilon_inside_sqrt", "epsilon is inside the square root: divide by np.sqrt(s) + epsilon",
             _on(lambda p, g, s_: p - lr * g / np.sqrt(s_ + eps), P, G, new_s)),
            ("rmsprop.epsilon_ignored", "the epsilon argument is not used (1e-8 instead): divide by "
                                        "np.sqrt(s) + epsilon",
             _on(lambda p, g, s_: p - lr * g / (np.sqrt(s_) + 1e-8), P, G, new_s)),
            ("rmsprop.no_sqrt", "the gradient is divided by s; divide by its square root, np.sqrt(s) + epsilon",
             _on(lambda p, g, s_: p - lr * g / (s_ + eps), P, G, new_s)),
            ("rmsprop.epsilon_outside", "parentheses: learning_rate * dW / (np.sqrt(s) + epsilon)",
             _on(lambda p, g, s_: p - (lr * g / np.sqrt(s_) + eps), P, G, new_s)),
            ("rmsprop.old_state_in_update", "the update used s from before this step: update s first, then divide "
                                            "by np.sqrt(s) + epsilon",
             _on(lambda p, g, s_: p - lr * g / (np.sqrt(s_) + eps), P, G, S)),
            ("rmsprop.plus_instead_of_minus", "the parameters moved up the gradient: W = W - learning_rate * dW / "
                                              "(np.sqrt(s) + epsilon)",
             _on(lambda p, g, s_: p + lr * g / (np.sqrt(s_) + eps), P, G, new_s)),
        ] + [("rmsprop." + t_, m_, d_) for t_, m_, d_ in layer_slips(P, new_p, L)],
            ("rmsprop.wrong_update", "W = W - learning_rate * dW / (np.sqrt(s) + epsilon) with the updated s"), where_)


check_update_parameters_with_rmsprop = Check(RMSPROP, prefix="rmsprop", cases=_rmsprop_cases, judge=_rmsprop_judge)


# ---------------------------------------------------------------- Adam

ADAM = "update_parameters_with_adam"
# (dims, (learning_rate, beta1, beta2, epsilon), steps); None: the default arguments
_ADAM_RUNS = [(DIMS[0], (0.01, 0.9, 0.999, 0.1), 4), (DIMS[3], (0.02, 0.8, 0.99, 1e-8), 4),
              (DIMS[2], (0.1, 0.95, 0.9, 1e-3), 3), (DIMS[1], None, 2)]
_DEFAULTS = (0.01, 0.9, 0.999, 1e-8)


def _adam_cases():
    def advance(params, grads, state, t, hyper):
        out = ref.update_parameters_with_adam(params, grads, state[0], state[1], t, *(hyper or _DEFAULTS))
        return out[0], [out[1], out[2]]

    def make(p, g, st, t, h, meta):
        return case(p, g, st[0], st[1], t, *(h or ()), meta=meta)
    return _sequence_cases(27, _ADAM_RUNS, lambda p: [zeros_like(p), zeros_like(p)], advance, make)


def _adam_judge(cases, answers):
    name, pre = ADAM, "adam"
    for c, answer in zip(cases, answers):
        params, grads, v, s, t = c["args"][:5]
        lr, b1, b2, eps = c["args"][5:] or _DEFAULTS
        where_ = _where(c, learning_rate=lr, beta1=b1, beta2=b2, epsilon=eps) if len(c["args"]) > 5 else \
            _where(c, learning_rate="default", beta1="default", beta2="default", epsilon="default")
        out = as_tuple(name, pre, returned(name, pre, c, answer), 5,
                       "a tuple (parameters, v, s, v_corrected, s_corrected)", where_)
        got_p = as_dict(name, pre, out[0], "the returned parameters", params, where_)
        got_v, got_s, got_vc, got_sc = (_p(as_dict(name, pre, o, what, v, where_)) for o, what in
                                        zip(out[1:], ("v", "s", "v_corrected", "s_corrected")))
        P, G, V, S = params, _p(grads), _p(v), _p(s)
        L = len(c["meta"]["dims"]) - 1
        new_v = _on(lambda v_, g: b1 * v_ + (1 - b1) * g, V, G)
        new_s = _on(lambda s_, g: b2 * s_ + (1 - b2) * np.square(g), S, G)
        vc = _on(lambda v_: v_ / (1 - b1 ** t), new_v)
        sc = _on(lambda s_: s_ / (1 - b2 ** t), new_s)
        _stage(name, got_v, new_v, lambda: [
            ("adam.beta1_for_one_minus_beta1", "beta1 and 1 - beta1 are swapped: v = beta1 * v + (1 - beta1) * dW",
             _on(lambda v_, g: (1 - b1) * v_ + b1 * g, V, G)),
            ("adam.beta2_for_v", "v uses beta2; the first moment uses beta1: v = beta1 * v + (1 - beta1) * dW",
             _on(lambda v_, g: b2 * v_ + (1 - b2) * g, V, G)),
            ("adam.corrected_fed_back", "the returned v is bias-corrected: keep v = beta1 * v + (1 - beta1) * dW "
                                        "uncorrected in v, and put v / (1 - beta1^t) in v_corrected", vc),
            ("adam.state_reset", "v restarts from zero at every step (the v passed in is not used)",
             _on(lambda v_, g: (1 - b1) * g, V, G)),
            ("adam.state_not_updated", "the returned v is the v passed in: return the updated v", V),
        ] + [("adam." + t_, m_, d_) for t_, m_, d_ in layer_slips(V, new_v, L, "v")],
            ("adam.first_moment", "v = beta1 * v + (1 - beta1) * dW (and db) for every layer"), where_)
        _stage(name, got_s, new_s, lambda: [
            ("adam.beta1_for_s", "s uses beta1; the second moment uses beta2: s = beta2 * s + (1 - beta2) * dW**2",
             _on(lambda s_, g: b1 * s_ + (1 - b1) * np.square(g), S, G)),
            ("adam.beta2_for_one_minus_beta2", "beta2 and 1 - beta2 are swapped: s = beta2 * s + (1 - beta2) * dW**2",
             _on(lambda s_, g: (1 - b2) * s_ + b2 * np.square(g), S, G)),
            ("adam.s_not_squared", "s averages the gradients, not their squares: s = beta2 * s + (1 - beta2) * "
                                   "np.square(dW)", _on(lambda s_, g: b2 * s_ + (1 - b2) * g, S, G)),
            ("adam.corrected_fed_back", "the returned s is bias-corrected: keep s uncorrected, and put "
                                        "s / (1 - beta2^t) in s_corrected", sc),
            ("adam.state_reset", "s restarts from zero at every step (the s passed in is not used)",
             _on(lambda s_, g: (1 - b2) * np.square(g), S, G)),
            ("adam.state_not_updated", "the returned s is the s passed in: return the updated s", S),
        ] + [("adam." + t_, m_, d_) for t_, m_, d_ in layer_slips(S, new_s, L, "s")],
            ("adam.second_moment", "s = beta2 * s + (1 - beta2) * np.square(dW) (and db) for every layer"), where_)
        for got, moment, beta, other, what in ((got_vc, new_v, b1, b2, "v"), (got_sc, new_s, b2, b1, "s")):
            n = "1" if what == "v" else "2"
            _stage(name, got, _on(lambda x: x / (1 - beta ** t), moment), lambda: [
                ("adam.no_bias_correction", f"{what}_corrected is {what} itself: correct the bias, "
                                            f"{what} / (1 - beta{n}^t)", moment),
                ("adam.correction_wrong_t", f"the bias correction uses t + 1; it is {what} / (1 - beta{n}^t) with the "
                                            f"t passed in", _on(lambda x: x / (1 - beta ** (t + 1)), moment)),
                ("adam.correction_wrong_t", f"the bias correction is always that of the first step, 1 - beta{n}; it "
                                            f"is 1 - beta{n}^t with the t passed in",
                 _on(lambda x: x / (1 - beta), moment)),
                ("adam.correction_wrong_t", f"the bias correction uses t - 1; it is {what} / (1 - beta{n}^t) with the "
                                            f"t passed in", _on(lambda x: x / (1 - beta ** (t - 1)), moment)),
                ("adam.correction_power", f"(1 - beta{n})^t is not 1 - beta{n}^t: the power applies to beta{n} only",
                 _on(lambda x: x / (1 - beta) ** t, moment)),
                ("adam.correction_other_beta", f"{what}_corrected divides by 1 - beta{'2' if n == '1' else '1'}^t; "
                                               f"{what} is corrected with beta{n}",
                 _on(lambda x: x / (1 - other ** t), moment)),
                ("adam.correction_multiplied", f"{what} was multiplied by 1 - beta{n}^t; divide by it",
                 _on(lambda x: x * (1 - beta ** t), moment)),
            ], ("adam.bias_correction", f"{what}_corrected = {what} / (1 - beta{n}^t)"), where_)
        new_p = _on(lambda p, a, b: p - lr * a / (np.sqrt(b) + eps), P, vc, sc)
        _stage(name, got_p, new_p, lambda: [
            ("adam.epsilon_inside_sqrt", "epsilon is inside the square root: divide by np.sqrt(s_corrected) + "
                                         "epsilon", _on(lambda p, a, b: p - lr * a / np.sqrt(b + eps), P, vc, sc)),
            ("adam.epsilon_ignored", "the epsilon argument is not used (1e-8 instead): divide by "
                                     "np.sqrt(s_corrected) + epsilon",
             _on(lambda p, a, b: p - lr * a / (np.sqrt(b) + 1e-8), P, vc, sc)),
            ("adam.no_bias_correction", "the update uses v and s; use the bias-corrected v_corrected and s_corrected",
             _on(lambda p, a, b: p - lr * a / (np.sqrt(b) + eps), P, new_v, new_s)),
            ("adam.no_bias_correction", "the update uses s; use s_corrected",
             _on(lambda p, a, b: p - lr * a / (np.sqrt(b) + eps), P, vc, new_s)),
            ("adam.no_bias_correction", "the update uses v; use v_corrected",
             _on(lambda p, a, b: p - lr * a / (np.sqrt(b) + eps), P, new_v, sc)),
            ("adam.no_sqrt", "v_corrected is divided by s_corrected; divide by its square root, "
                             "np.sqrt(s_corrected) + epsilon", _on(lambda p, a, b: p - lr * a / (b + eps), P, vc, sc)),
            ("adam.gradient_in_numerator", "the update divides the gradient; Adam divides v_corrected: "
                                           "W = W - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)",
             _on(lambda p, g, b: p - lr * g / (np.sqrt(b) + eps), P, G, sc)),
            ("adam.epsilon_outside", "parentheses: learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)",
             _on(lambda p, a, b: p - (lr * a / np.sqrt(b) + eps), P, vc, sc)),
            ("adam.plus_instead_of_minus", "the parameters moved the wrong way: W = W - learning_rate * v_corrected / "
                                           "(np.sqrt(s_corrected) + epsilon)",
             _on(lambda p, a, b: p + lr * a / (np.sqrt(b) + eps), P, vc, sc)),
        ] + [("adam." + t_, m_, d_) for t_, m_, d_ in layer_slips(P, new_p, L)],
            ("adam.wrong_update", "W = W - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)"), where_)


check_update_parameters_with_adam = Check(ADAM, prefix="adam", cases=_adam_cases, judge=_adam_judge)
