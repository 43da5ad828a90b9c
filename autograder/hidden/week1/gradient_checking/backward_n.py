"""Hidden checks of the 3-layer net's backward passes: the fixed backward_propagation_n and its L2 twin.

backward_propagation_n is released with two planted bugs (dW2 twice and db1 four
times the true gradient) for the student to find with gradient checking and fix.
Its cases are random nets of the notebook's shape (3 layers; widths and m vary,
m = 1 last so that a missing 1/m shows first), with the cache of the provided
forward_propagation_n. The judge compares each parameter gradient with the
reference, backed by numerical gradients on the first net, and names a planted
bug left in, a missing 1/m, a flipped sign or another stray factor.

backward_propagation_with_regularization is the twin of the regularization
notebook's function. Its cases rebind the notebook's backward_propagation_n to
the provided correct backward pass (course.nn.backward_propagation, same cache),
so that a bug left in backward_propagation_n does not cost these points too.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import close, fail, quiet, random_net, returned
from autograder.hidden.common import PARAM_GRADS, gradient_dict
from autograder.hidden.week1.gradient_checking.shared import rd, scale_of
from autograder.numgrad import numerical_param_gradients
from autograder.reference.week1 import gradient_checking as ref
from course.gradcheck_bands import GREAT, band
from course.gradcheck_net import forward_propagation_n

BACKWARD_ORDER = ("dW3", "db3", "dW2", "db2", "dW1", "db1")   # the order backprop computes them
PLANTED = {"dW2": 2.0, "db1": 4.0}                              # the release's bugs: factor on the true gradient

# (layer widths, m, seed); m = 1 last: there a missing 1/m is invisible
NETS = [((4, 5, 3, 1), 3, 11), ((3, 4, 2, 1), 5, 12), ((2, 6, 3, 1), 8, 13), ((5, 3, 1, 1), 4, 14),
        ((2, 1, 2, 1), 1, 16)]
LAMBDAS = [0.7, 0.1, 2.0, 0.0, 0.3]


def _net_case(dims, m, seed):
    X, Y, parameters = random_net(np.random.RandomState(seed), dims, m)
    _, cache = forward_propagation_n(X, Y, parameters)
    return X, Y, parameters, cache


def _where(dims, m, **kw):
    return f"(layer widths {list(dims)}, m = {m}" + "".join(f", {k} = {v}" for k, v in kw.items()) + ")"


def _numerical(X, Y, parameters, lambd=0.0):
    m = X.shape[1]

    def cost(p):
        return forward_propagation_n(X, Y, p)[0] + lambd / (2 * m) * sum(np.sum(np.square(p[f"W{l}"]))
                                                                          for l in (1, 2, 3))
    with quiet():
        return numerical_param_gradients(cost, parameters)


# ---------------------------------------------------------------- backward_propagation_n

_NAME, _PREFIX = "backward_propagation_n", "backward_n"


def _backward_cases():
    cases = []
    for index, (dims, m, seed) in enumerate(NETS):
        X, Y, parameters, cache = _net_case(dims, m, seed)
        cases.append(case(X, Y, cache, meta={"where": _where(dims, m), "params": parameters, "numeric": index == 0}))
    return cases


def _backward_mistake(key, got, expected, m):
    """(message, tag) for one wrong parameter gradient."""
    d = rd(got, expected)
    head = f"{key} differs from the true gradient (per-parameter difference {d:.3g}: {band(d)})"
    factor = scale_of(got, expected)
    if factor is None:
        return (f"{head}. Compare its line with the formula: d{key[1]}{key[2]} comes from dZ{key[2]} "
                f"({'and the activations of the layer below' if key[1] == 'W' else 'summed over the examples'}), "
                "divided by m", f"{_PREFIX}.wrong_gradient")
    if key in PLANTED and np.isclose(factor, PLANTED[key]):
        return (f"{head}: it is {PLANTED[key]:g} times the true gradient, the planted bug in the line of "
                f"{key} is still there (a stray factor {PLANTED[key]:g})", f"{_PREFIX}.{key.lower()}_factor")
    if m > 1 and np.isclose(factor, m):
        return f"{head}: it is m times the true gradient, divide it by m (1. / m * ...)", f"{_PREFIX}.missing_1_over_m"
    if m > 1 and np.isclose(factor, 1 / m):
        return f"{head}: it is divided by m twice", f"{_PREFIX}.divided_by_m_twice"
    if np.isclose(factor, -1):
        return f"{head}: its sign is flipped", f"{_PREFIX}.sign"
    return f"{head}: it is {factor:.3g} times the true gradient, look for a stray factor", f"{_PREFIX}.factor"


def _judge_gradients(name, prefix, grads, expected, where, mistake):
    """Fail on the first wrong gradient in backprop order, naming the others too."""
    wrong = [k for k in BACKWARD_ORDER if not close(grads[k], expected[k], rtol=1e-6, atol=1e-10)]
    if not wrong:
        return
    found = {k: mistake(k, grads[k], expected[k]) for k in wrong}
    tags = {tag for _, tag in found.values()}
    if name == _NAME and tags == {f"{_PREFIX}.dw2_factor", f"{_PREFIX}.db1_factor"}:
        fail(name, f"both planted bugs are still there: dW2 is 2 times and db1 is 4 times the true gradient "
                   f"{where}. Find their stray factors in the lines of dW2 and db1 and remove them",
             f"{_PREFIX}.planted_bugs")
    message, tag = found[wrong[0]]
    also = f" (also wrong: {', '.join(wrong[1:])})" if wrong[1:] else ""
    fail(name, f"{message} {where}{also}", tag)


def _backward_judge(cases, answers):
    for c, answer in zip(cases, answers):
        X, Y, cache = c["args"]
        parameters, where = c["meta"]["params"], c["meta"]["where"]
        m = X.shape[1]
        grads = gradient_dict(_NAME, _PREFIX, returned(_NAME, _PREFIX, c, answer), parameters)
        expected = ref.backward_propagation_n(X, Y, cache)
        _judge_gradients(_NAME, _PREFIX, grads, expected, where,
                         lambda k, got, exp: _backward_mistake(k, got, exp, m))
        if c["meta"]["numeric"]:   # the reference agrees with it; back that up with numerical gradients
            num = _numerical(X, Y, parameters)
            for key in PARAM_GRADS:
                d = rd(grads[key], num[key])
                if np.any(num[key] != 0) and not d < GREAT:
                    fail(_NAME, f"{key} disagrees with the numerical gradient {where} (difference {d:.3g})",
                         f"{_PREFIX}.numerical")


check_backward_propagation_n = Check(_NAME, prefix=_PREFIX, cases=_backward_cases, judge=_backward_judge)


# ---------------------------------------------------------------- backward_propagation_with_regularization

_L2_NAME, _L2_PREFIX = "backward_propagation_with_regularization", "l2backward_n"
_CORRECT_BACKWARD = {"backward_propagation_n": "course.nn:backward_propagation"}


def _l2_cases():
    cases = []
    for index, ((dims, m, seed), lambd) in enumerate(zip(NETS, LAMBDAS)):
        X, Y, parameters, cache = _net_case(dims, m, seed)
        cases.append(case(X, Y, cache, lambd, globals=_CORRECT_BACKWARD,
                          meta={"where": _where(dims, m, lambd=lambd), "params": parameters, "numeric": index == 0}))
    return cases


def _l2_mistake(key, got, expected, W, lambd, m):
    """(message, tag) for one wrong regularized gradient (W: the parameter key differentiates, W_l or b_l)."""
    plain = expected - lambd / m * W if key.startswith("dW") else expected
    p = key[1:]
    if key.startswith("db"):
        if lambd > 0 and any(close(got, plain + f * lambd / m * W, rtol=1e-6, atol=1e-10) for f in (1.0, 0.5, m)):
            return (f"{key} is regularized; the biases are not in the L2 term, so {key} is the plain gradient",
                    f"{_L2_PREFIX}.db_regularized")
        return (f"{key} differs from the plain gradient of backward_propagation_n: leave the db's as they are",
                f"{_L2_PREFIX}.wrong_db")
    candidates = [
        (plain, f"{key} has no regularization term: add lambd / m * {p}", "no_reg_term"),
        (plain + lambd / (2 * m) * W, f"{key} adds lambd / (2 m) * {p}; the derivative of "
                                      f"lambd / (2 m) * ||{p}||^2 is lambd / m * {p}", "half"),
        (plain + lambd * W, f"{key} adds lambd * {p}; divide by m: lambd / m * {p}", "no_m"),
        (plain + 2 * lambd / m * W, f"{key} adds 2 lambd / m * {p}; the 2 of the square cancels the 1/2: "
                                    f"lambd / m * {p}", "double"),
        (plain - lambd / m * W, f"{key} subtracts lambd / m * {p}; add it", "sign"),
        (lambd / m * W, f"{key} is only the regularization term lambd / m * {p}; add it to the gradient "
                        "of backward_propagation_n", "only_reg_term"),
    ]
    for value, message, tag in candidates:
        if close(got, value, rtol=1e-6, atol=1e-10):
            return message, f"{_L2_PREFIX}.{tag}"
    return (f"{key} differs from the expected gradient: take the gradients of backward_propagation_n(X, Y, cache), "
            f"then add lambd / m * W to each dW (the db's stay as they are)", f"{_L2_PREFIX}.wrong_gradient")


def _l2_judge(cases, answers):
    for c, answer in zip(cases, answers):
        X, Y, cache, lambd = c["args"]
        parameters, where = c["meta"]["params"], c["meta"]["where"]
        m = X.shape[1]
        grads = gradient_dict(_L2_NAME, _L2_PREFIX, returned(_L2_NAME, _L2_PREFIX, c, answer), parameters)
        expected = ref.backward_propagation_with_regularization(X, Y, cache, lambd)
        _judge_gradients(_L2_NAME, _L2_PREFIX, grads, expected, where,
                         lambda k, got, exp: _l2_mistake(k, got, exp, parameters[k[1:]], lambd, m))
        if c["meta"]["numeric"]:
            num = _numerical(X, Y, parameters, lambd)
            for key in PARAM_GRADS:
                d = rd(grads[key], num[key])
                if np.any(num[key] != 0) and not d < GREAT:
                    fail(_L2_NAME, f"{key} disagrees with the numerical gradient of the regularized cost {where} "
                                   f"(difference {d:.3g})", f"{_L2_PREFIX}.numerical")


check_backward_propagation_with_regularization = Check(_L2_NAME, prefix=_L2_PREFIX, cases=_l2_cases,
                                                       judge=_l2_judge)
