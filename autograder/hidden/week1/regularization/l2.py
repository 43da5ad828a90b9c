"""Hidden checks of the L2 cost and backward pass (regularization notebook, section 5).

Both are deterministic and compared with the reference on several widths, m and
lambd, with the edge cases lambd = 0, m = 1 and a layer of width 1; the first
backward case is also compared with numerical gradients of the regularized cost.
A wrong answer is matched against the usual wrong formulas to name the mistake.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import as_float_array, close, fail, first_match, quiet, returned
from autograder.hidden.common import PARAM_GRADS, gradient_dict, relative_norm
from autograder.hidden.week1.regularization.shared import BACKWARD_ORDER, net, ref, where
from autograder.numgrad import numerical_param_gradients
from course import nn

# ---------------------------------------------------------------- compute_cost_with_regularization

COST = "compute_cost_with_regularization"


def _sq(params, keys=("W1", "W2", "W3")):
    return sum(float(np.sum(np.square(params[k]))) for k in keys)


def _cost_cases():
    rng = np.random.RandomState(202)
    cases = []
    for n0, n1, n2, m, lambd in [(3, 4, 2, 5, 0.7), (2, 20, 3, 150, 0.1), (4, 1, 3, 6, 2.0),
                                 (5, 3, 1, 1, 0.3), (2, 2, 2, 10, 0.0)]:
        _, Y, params = net(rng, n0, n1, n2, m)
        A3 = nn.sigmoid(rng.randn(1, m))
        cases.append(case(A3, Y, params, lambd, meta=where(n0, n1, n2, m, lambd=lambd)))
    return cases


def _cost_mistakes(A3, Y, params, lambd):
    """[(tag, message, the cost this mistake gives)]."""
    m = Y.shape[1]
    ce = nn.compute_cost(A3, Y)
    S = _sq(params)
    k = lambd / (2 * m)
    return [
        ("l2cost.over_m", "lambd / m * sum ||W||^2: the cost uses lambd / (2 m); the 2 cancels in the derivative",
         ce + lambd / m * S),
        ("l2cost.over_2", "lambd / 2 * sum ||W||^2: divide by 2 m (m = number of examples, Y.shape[1])",
         ce + lambd / 2 * S),
        ("l2cost.biases", "the biases are in the L2 term; only the weights W1, W2, W3 are regularized",
         ce + k * (S + _sq(params, ("b1", "b2", "b3")))),
        ("l2cost.missing_w1", "W1 is missing from the L2 term", ce + k * _sq(params, ("W2", "W3"))),
        ("l2cost.missing_w2", "W2 is missing from the L2 term", ce + k * _sq(params, ("W1", "W3"))),
        ("l2cost.missing_w3", "W3 is missing from the L2 term", ce + k * _sq(params, ("W1", "W2"))),
        ("l2cost.sum_not_squares", "the L2 term sums the weights; sum their squares: np.sum(np.square(W))",
         ce + k * sum(float(np.sum(params[w])) for w in ("W1", "W2", "W3"))),
        ("l2cost.norm_not_squared", "the L2 term uses the norm ||W||_F; use its square (the sum of squared entries)",
         ce + k * sum(float(np.linalg.norm(params[w])) for w in ("W1", "W2", "W3"))),
        ("l2cost.no_cross_entropy", "the cross-entropy part is missing: add compute_cost(A3, Y)", k * S),
        ("l2cost.subtracted", "the L2 term is subtracted; add it", ce - k * S),
        ("l2cost.no_l2", "only the cross-entropy cost is returned: add lambd / (2 m) * (sum of squared W1, W2, W3)",
         ce),
    ]


def _cost_judge(cases, answers):
    name = COST
    for c, answer in zip(cases, answers):
        A3, Y, params, lambd = c["args"]
        where_ = c["meta"]
        value = as_float_array(name, "the cost", returned(name, "l2cost", c, answer), "l2cost.not_number")
        if value.size != 1:
            fail(name, f"the cost should be a single number, got an array of shape {value.shape} {where_}: "
                       "np.sum(...) of each squared W gives a number", "l2cost.not_scalar")
        value = float(value.reshape(()))
        expected = ref.compute_cost_with_regularization(A3, Y, params, lambd)
        if np.isclose(value, expected, rtol=1e-7, atol=1e-12):
            continue
        for tag, msg, cand in _cost_mistakes(A3, Y, params, lambd):
            if np.isclose(value, cand, rtol=1e-7, atol=1e-12):
                fail(name, f"{msg} {where_}", tag)
        fail(name, f"cost is {value:.10g}, expected {expected:.10g} {where_}: "
                   "compute_cost(A3, Y) + lambd / (2 m) * (sum of squared entries of W1, W2, W3)", "l2cost.wrong_value")


check_compute_cost_with_regularization = Check(COST, prefix="l2cost", cases=_cost_cases, judge=_cost_judge)


# ---------------------------------------------------------------- backward_propagation_with_regularization

BACKWARD = "backward_propagation_with_regularization"


def _l2_diagnosis(key, got, plain, params, lambd, m):
    """(message, tag) naming the mistake in one regularized gradient, or None."""
    p = key[1:]
    W = params[p]
    if key.startswith("dW"):
        label = first_match(got, {
            "missing": plain,
            "half": plain + lambd / (2 * m) * W,
            "no_m": plain + lambd * W,
            "double": plain + 2 * lambd / m * W,
            "sign": plain - lambd / m * W,
        })
        return {"missing": (f"{key} has no regularization term: add lambd / m * {p}", "l2backward.no_reg_term"),
                "half": (f"{key} adds lambd / (2 m) * {p}; the derivative of lambd / (2 m) * ||{p}||^2 "
                         f"is lambd / m * {p}", "l2backward.half"),
                "no_m": (f"{key} adds lambd * {p}; divide by m: lambd / m * {p}", "l2backward.no_m"),
                "double": (f"{key} adds 2 lambd / m * {p}; the 2 of the square cancels the 1/2: lambd / m * {p}",
                           "l2backward.double"),
                "sign": (f"{key} subtracts lambd / m * {p}; add it", "l2backward.sign")}.get(label)
    if first_match(got, {"reg": plain + lambd / m * W, "half": plain + lambd / (2 * m) * W,
                         "nom": plain + lambd * W}):
        return (f"{key} is regularized; the biases are not in the L2 term, so {key} is the plain gradient",
                "l2backward.db_regularized")
    return None


def _backward_cases():
    rng = np.random.RandomState(303)
    cases = []
    for i, (n0, n1, n2, m, lambd) in enumerate([(3, 4, 2, 5, 0.7), (2, 20, 3, 30, 0.1), (4, 1, 3, 6, 2.0),
                                                (3, 3, 1, 1, 0.3), (2, 5, 4, 8, 0.0)]):
        X, Y, params = net(rng, n0, n1, n2, m)
        _, cache = nn.forward_propagation(X, params)
        cases.append(case(X, Y, cache, lambd,
                          meta={"where": where(n0, n1, n2, m, lambd=lambd), "params": params, "numeric": i == 0}))
    return cases


def _backward_judge(cases, answers):
    name = BACKWARD
    for c, answer in zip(cases, answers):
        X, Y, cache, lambd = c["args"]
        params, where_ = c["meta"]["params"], c["meta"]["where"]
        m = X.shape[1]
        grads = gradient_dict(name, "l2backward", returned(name, "l2backward", c, answer), params)
        expected = ref.backward_propagation_with_regularization(X, Y, cache, lambd)
        plain = nn.backward_propagation(X, Y, cache)
        for key in BACKWARD_ORDER:
            if close(grads[key], expected[key], rtol=1e-6, atol=1e-10):
                continue
            found = _l2_diagnosis(key, grads[key], plain[key], params, lambd, m)
            msg, tag = found or (f"{key} differs from the expected gradient: backprop as without regularization, "
                                 f"then add lambd / m * W to each dW (the db's stay as they are)",
                                 "l2backward.wrong_gradient")
            fail(name, f"{msg} {where_}", tag)
        if c["meta"]["numeric"]:  # the reference agrees with the reference; back that up with numerical gradients
            def cost(p):
                A3, _ = nn.forward_propagation(X, p)
                return ref.compute_cost_with_regularization(A3, Y, p, lambd)
            with quiet():
                num = numerical_param_gradients(cost, params)
            for key in PARAM_GRADS:
                if relative_norm(grads[key], num[key]) > 1e-6:
                    fail(name, f"{key} disagrees with the numerical gradient of the regularized cost {where_}",
                         "l2backward.numerical")


check_backward_propagation_with_regularization = Check(BACKWARD, prefix="l2backward", cases=_backward_cases,
                                                       judge=_backward_judge)
