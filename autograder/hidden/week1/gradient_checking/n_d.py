"""Hidden check of gradient_check_n: small random nets, correct and buggy gradients.

Several widths (incl. 1) and m. Correct gradients give < 1e-7 at the default
epsilon and the reference's value at epsilon=1e-2 (the two-sided truncation error
is exact there); gradients with planted bugs give the reference's difference.
Every case pins the notebook's forward_propagation_n to the provided one
(`globals=`). The first case of each net asks for the arguments back after the
call (`keep_args=`: the inputs must not be modified), and the very first one
records every forward_propagation_n call (`spy=`: the perturbed parameters of
each call tell no perturbation or piled-up perturbations apart). Only those: the
recorded arrays would otherwise be most of the answers' size and time.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import CheckFailed, close, fail, quiet, random_net, returned
from autograder.hidden.week1.gradient_checking.shared import ONE_NORM, RETURNED_GRADIENT, diagnose, matches, number, rd
from autograder.reference.week1 import gradient_checking as ref
from course.gradcheck_bands import BUG, GREAT
from course.gradcheck_net import forward_propagation_n

_NAME, _PREFIX = "gradient_check_n", "gradcheck_n"

# (layer widths, m, seed): chosen so that the reference difference with correct
# gradients is below 3e-9 at epsilon=1e-7 (no ReLU input close to its kink)
# and above 1e-6 at epsilon=1e-2.
NET_CASES = [
    ((2, 1, 3, 1), 4, 24),    # first: its forward calls are recorded (spy), the smallest net keeps that quick
    ((3, 4, 2, 1), 5, 20),
    ((5, 3, 1, 1), 6, 1),
    ((1, 2, 2, 1), 1, 3),
]
BIG_EPS = 1e-2
_KEYS = [p + str(l) for l in range(1, 4) for p in ("W", "b")]
_BUGS = ("dW2 * 2 and db1 * 4", "one entry of dW1 off by 0.3", "dW3 with the wrong sign")
_FORWARD = {"forward_propagation_n": "course.gradcheck_net:forward_propagation_n"}
_SPY = ["forward_propagation_n"]


def net_case(dims, m, seed):
    """X, Y, parameters of the net, and its correct gradients."""
    X, Y, parameters = random_net(np.random.RandomState(seed), dims, m)
    _, cache = forward_propagation_n(X, Y, parameters)
    return X, Y, parameters, ref.backward_propagation_n(X, Y, cache)


def _buggy_gradients(kind, gradients):
    g = {k: np.array(v, dtype=float) for k, v in gradients.items()}
    if kind == _BUGS[0]:
        g["dW2"] = 2 * g["dW2"]
        g["db1"] = 4 * g["db1"]
    elif kind == _BUGS[1]:
        g["dW1"][0, 0] += 0.3
    elif kind == _BUGS[2]:
        g["dW3"] = -g["dW3"]
    return g


def _n_cases():
    cases = []
    for index, (dims, m, seed) in enumerate(NET_CASES):
        X, Y, parameters, gradients = net_case(dims, m, seed)
        net = f"layer widths {list(dims)}, m = {m}"
        # 1. Correct gradients, epsilon = 1e-2, with the arguments sent back (they must not be modified)
        # and, on the first net, the forward calls recorded. Only there: they would be the bulk of the
        # answers, and a mistake in how the function perturbs or copies shows on the first case.
        spy = _SPY if index == 0 else ()
        cases.append(case(parameters, gradients, X, Y, epsilon=BIG_EPS, globals=_FORWARD, spy=spy, keep_args=True,
                          meta={"step": "big_eps", "net": net}))
        # 2. The same, default epsilon: the difference must be tiny.
        cases.append(case(parameters, gradients, X, Y, globals=_FORWARD, meta={"step": "default", "net": net}))
        # 3. Gradients with a bug (the notebook's planted pair on every other net): the reference's difference.
        for kind in (_BUGS[(0, 1, 0, 2)[index % 4]],):
            cases.append(case(parameters, _buggy_gradients(kind, gradients), X, Y, globals=_FORWARD,
                              meta={"step": "bug", "net": net, "bug": kind}))
    return cases


def _flat(parameters):
    return np.concatenate([np.ravel(np.asarray(parameters[k], dtype=float)) for k in _KEYS])


def _vector(gradients):
    return np.concatenate([np.reshape(gradients["d" + k], (-1, 1)) for k in _KEYS])


def _two_sided(parameters, X, Y, eps):
    """(J(theta + eps e_i), J(theta - eps e_i)) as column vectors, and J(theta)."""
    theta = _flat(parameters)
    shapes = [(k, np.shape(parameters[k])) for k in _KEYS]

    def J(vec):
        d, start = {}, 0
        for k, s in shapes:
            n = int(np.prod(s))
            d[k] = vec[start:start + n].reshape(s)
            start += n
        return forward_propagation_n(X, Y, d)[0]

    n = theta.size
    plus, minus = np.zeros((n, 1)), np.zeros((n, 1))
    for i in range(n):
        t = theta.copy()
        t[i] += eps
        plus[i] = J(t)
        t = theta.copy()
        t[i] -= eps
        minus[i] = J(t)
    return plus, minus, J(theta)


def n_candidates(parameters, gradients, X, Y, eps):
    """(message, value, tag) of the usual gradient_check_n mistakes."""
    grad = _vector(gradients)
    plus, minus, mid = _two_sided(parameters, X, Y, eps)
    two = (plus - minus) / (2 * eps)
    norm = np.linalg.norm
    with quiet():
        num = norm(grad - two)
        return [
            ("this is a one-sided difference (J(theta + eps) - J(theta)) / eps; use the two-sided "
             "(J_plus - J_minus) / (2 * epsilon), with J_minus at theta_minus", rd(grad, (plus - mid) / eps),
             "gradcheck_n.one_sided"),
            ("this is a one-sided difference (J(theta) - J(theta - eps)) / eps; use the two-sided "
             "(J_plus - J_minus) / (2 * epsilon)", rd(grad, (mid - minus) / eps), "gradcheck_n.one_sided"),
            ("gradapprox is half the true gradient: J_minus was computed at the original parameters. "
             "Did you forget np.copy? With theta_minus = parameters_values (no copy), theta_plus and "
             "theta_minus are the same array, so subtracting epsilon just undoes the +epsilon",
             rd(grad, (plus - mid) / (2 * eps)), "gradcheck_n.no_copy"),
            ("gradapprox is twice the true gradient: divide by 2 * epsilon, not epsilon", rd(grad, 2 * two),
             "gradcheck_n.missing_2"),
            ("you returned only the numerator ||grad - gradapprox||; divide by "
             "||grad|| + ||gradapprox||", num, "gradcheck_n.numerator_only"),
            (ONE_NORM, num / norm(grad), "gradcheck_n.one_norm_denominator"),
            (ONE_NORM, num / norm(two), "gradcheck_n.one_norm_denominator"),
            ("the denominator is ||grad|| + ||gradapprox||, not ||grad + gradapprox||",
             num / norm(grad + two), "gradcheck_n.norm_of_sum_denominator"),
            ("norms are not squared: the formula uses np.linalg.norm, not sums of squares",
             num ** 2 / (norm(grad) ** 2 + norm(two) ** 2), "gradcheck_n.squared_norms"),
            ("gradapprox is about 0: check the parentheses, (J_plus - J_minus) / (2 * epsilon), not "
             "(J_plus - J_minus) / 2 * epsilon", rd(grad, (plus - minus) / 2 * eps), "gradcheck_n.precedence"),
        ]


def _same_dict(a, b):
    return isinstance(a, dict) and set(a) == set(b) and all(close(a[k], b[k], rtol=0, atol=1e-12) for k in a)


def _is_a_gradient(value, c):
    """Whether value is the gradient vector of case c, or its two-sided estimate."""
    parameters, gradients, X, Y = c["args"]
    try:
        with quiet():
            vec = np.asarray(value, dtype=float).reshape(-1, 1)
    except (TypeError, ValueError):
        return False
    if vec.size < 2 or vec.size != _flat(parameters).size:
        return False
    eps = c["kwargs"].get("epsilon", 1e-7)
    plus, minus, _ = _two_sided(parameters, X, Y, eps)
    return close(vec, _vector(gradients)) or close(vec, (plus - minus) / (2 * eps), rtol=1e-4, atol=1e-7)


def _returned_difference(c, answer, what):
    """The student's difference on case c; it must be a number (and leave its inputs alone, when sent back)."""
    parameters, gradients = c["args"][:2]
    try:
        value = returned(_NAME, _PREFIX, c, answer)
    except CheckFailed as exc:
        if "concatenate" not in str(exc) or exc.tag != f"{_PREFIX}.raised":
            raise
        fail(_NAME, str(exc).split(": ", 1)[1] + ". Hint: flatten the gradients with gradients_to_vector(gradients); "
             "dictionary_to_vector is for the parameters (W1, b1, ...)", f"{_PREFIX}.gradients_to_vector")
    if _is_a_gradient(value, c):
        fail(_NAME, f"{what}: it looks like {RETURNED_GRADIENT}", f"{_PREFIX}.returned_gradient")
    difference = number(_NAME, _PREFIX, value, what)
    if not c.get("keep_args"):
        return difference
    p_in, g_in = answer.get("args_after", [None, None])[:2]
    if not _same_dict(p_in, parameters):
        changed = [k for k in parameters if not isinstance(p_in, dict) or k not in p_in
                   or not close(p_in[k], parameters[k], rtol=0, atol=1e-12)]
        fail(_NAME, f"{what} modified the parameters dict it was given ({', '.join(changed) or 'its keys'} "
                    "changed). Perturb copies: theta_plus = np.copy(parameters_values), then "
                    "vector_to_dictionary(theta_plus)", f"{_PREFIX}.modifies_parameters")
    if not _same_dict(g_in, gradients):
        fail(_NAME, f"{what} modified the gradients dict it was given; only read it", f"{_PREFIX}.modifies_gradients")
    return difference


def _forward_log(spied, theta):
    """The flattened parameters of every forward_propagation_n call recorded in spied (None where unreadable)."""
    log = []
    for call in spied.get("spy", {}).get("forward_propagation_n", []):
        args, kwargs = call.get("args", []), call.get("kwargs", {})
        try:
            v = _flat(args[2] if len(args) > 2 else kwargs["parameters"])
            log.append(v if v.shape == theta.shape else None)
        except Exception:  # noqa: BLE001 (whatever the student passed)
            log.append(None)
    return log


def _explain(c, spied, got, expected, what, rtol):
    """Fail with the best diagnosis of a wrong gradient_check_n difference.

    spied: the answer of the same net's case that recorded the forward calls (at epsilon=BIG_EPS), or
    None when none did (the diagnoses that need the calls are then skipped).
    """
    parameters, gradients, X, Y = c["args"]
    eps = c["kwargs"].get("epsilon", 1e-7)
    head = f"{what}: got difference {got:.6g}, expected {expected:.6g}."
    theta = _flat(parameters)
    log = _forward_log(spied, theta) if spied is not None else None
    if log is None:
        pass
    elif not log:
        fail(_NAME, f"{head} Your function never called forward_propagation_n: J_plus[i] and J_minus[i] "
                    "are the costs forward_propagation_n(X, Y, vector_to_dictionary(theta_plus)) and "
                    "... (theta_minus)", f"{_PREFIX}.no_forward_call")
    elif all(v is not None and np.array_equal(v, theta) for v in log):
        fail(_NAME, f"{head} Every call of forward_propagation_n got the original parameters: pass the "
                    "perturbed ones, vector_to_dictionary(theta_plus) and vector_to_dictionary(theta_minus)",
             f"{_PREFIX}.unperturbed")
    elif any(v is not None and np.count_nonzero(np.abs(v - theta) > 0.5 * BIG_EPS) > 1 for v in log):
        fail(_NAME, f"{head} Some forward_propagation_n calls saw several parameters perturbed at once: "
                    "perturbations pile up when theta_plus/theta_minus are not fresh copies. Start each "
                    "step from np.copy(parameters_values) and change only entry i", f"{_PREFIX}.pileup")
    found = diagnose(got, n_candidates(parameters, gradients, X, Y, eps), rtol)
    if found is None and got < 0:
        found = ("numerator and denominator need norms (np.linalg.norm): a difference is never negative",
                 f"{_PREFIX}.no_norms")
    if found is None and abs(got - 1.0) < 1e-3:
        found = ("gradapprox is (almost) all zeros: J_plus and J_minus were computed at the same point, "
                 "or divided the wrong way. Use gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)",
                 f"{_PREFIX}.zero_gradapprox")
    if found is None and eps != 1e-7 and expected > 1e-6 and 0 <= got < 1e-7:
        found = ("epsilon=1e-7 was used instead of the epsilon argument; use the "
                 "parameter epsilon, don't hard-code it", f"{_PREFIX}.hardcoded_epsilon")
    if found is None:
        found = ("check the two-sided difference gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon), "
                 "that grad comes from gradients_to_vector(gradients) (same order as the parameters), "
                 "and difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||)", f"{_PREFIX}.wrong_value")
    fail(_NAME, f"{head} It looks like {found[0]}.", found[1])


def _n_judge(cases, answers):
    spied = {}
    for c, answer in zip(cases, answers):
        parameters, gradients, X, Y = c["args"]
        step, net = c["meta"]["step"], c["meta"]["net"]
        if "spy" in c:
            spied[net] = answer
        if step == "big_eps":
            what = f"With correct gradients ({net}) and epsilon={BIG_EPS}"
            got = _returned_difference(c, answer, what)
            expected = ref.gradient_check_n(parameters, gradients, X, Y, BIG_EPS)
            if not matches(got, expected, 1e-5):
                _explain(c, spied.get(net), got, expected, what, 1e-5)
        elif step == "default":
            what = f"With correct gradients ({net}) and the default epsilon"
            got = _returned_difference(c, answer, what)
            if not got < GREAT:
                expected = ref.gradient_check_n(parameters, gradients, X, Y)
                if got >= BUG:
                    _explain(c, spied.get(net), got, expected, what, 1e-3)
                fail(_NAME, f"{what}: got difference {got:.3g}, expected about {expected:.1g} "
                            f"(below {GREAT:g}). Is the default epsilon still 1e-7?", f"{_PREFIX}.default_epsilon")
        else:
            what = f"With buggy gradients ({c['meta']['bug']}; {net})"
            got = _returned_difference(c, answer, what)
            expected = ref.gradient_check_n(parameters, gradients, X, Y)
            if not matches(got, expected, 1e-3):
                _explain(c, spied.get(net), got, expected, what, 1e-3)


check_gradient_check_n = Check(_NAME, prefix=_PREFIX, cases=_n_cases, judge=_n_judge)
