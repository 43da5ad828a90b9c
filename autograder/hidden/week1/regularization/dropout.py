"""Hidden checks of inverted dropout, forward and backward (regularization notebook, section 6).

The forward pass is random, so it is checked by structure only, which every
correct implementation satisfies whatever its draw order or method (rand <
keep_prob, binomial, bool or int masks). Its cases are consecutive calls: the
global RNG is seeded (404) before the first one only, so later calls draw new
masks from the same stream, as in training.

- two calls in a row with the same arguments draw different masks: a function
  that calls np.random.seed itself freezes its mask (dropout.frozen_mask), the
  same units are dropped at every training iteration;

- the cache holds (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3);
- masks are 0/1, shaped like the activations, differ across examples and units;
- the pieces agree with each other: Z1 = W1 X + b1 (no dropout on the input),
  A1 = relu(Z1) * D1 / keep_prob, Z2 = W2 A1 + b2, ..., A3 = sigmoid(Z3) (no
  dropout on the output);
- the fraction of kept units is keep_prob within 10 standard errors (measured on
  large layers);
- keep_prob = 1 gives the plain forward pass.

The backward pass gets caches built with given masks (dropout_cache), each
twice: with 0/1 integer masks and with boolean ones (a student's own forward may
store booleans, and their backward may rely on it); either passing is a pass.
It is compared with the reference, with numerical gradients on the first case.
"""

import math

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import CheckFailed, as_float_array, close, expect_shape, fail, first_match, quiet, \
    returned
from autograder.hidden.common import PARAM_GRADS, gradient_dict, relative_norm
from autograder.hidden.week1.regularization.shared import BACKWARD_ORDER, net, ref, where
from autograder.numgrad import numerical_param_gradients
from course import nn

CACHE_ORDER = "(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)"

# ---------------------------------------------------------------- forward_propagation_with_dropout

FORWARD = "forward_propagation_with_dropout"
SEED = 404


def _phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _forward_cases():
    rng = np.random.RandomState(SEED)
    # structure: small nets, widths of 1, m = 1;
    # statistics: large layers (20 000 units each), so the kept fraction is measured to about 0.3%;
    # keep_prob, 1 - keep_prob and Phi(keep_prob) (a randn mask) are far apart for both values;
    # keep_prob = 1: nothing dropped, the plain forward pass
    # again: the previous case's arguments once more, with no seed in between: new masks
    plan = [("structure", (3, 4, 2, 5, 0.7)), ("structure", (2, 6, 6, 10, 0.5)), ("again", None),
            ("structure", (4, 1, 3, 7, 0.8)),
            ("structure", (3, 3, 1, 1, 0.86)), ("statistics", (2, 40, 40, 500, 0.3)),
            ("statistics", (2, 40, 40, 500, 0.86)), ("keep_all", (2, 5, 4, 8, 1.0))]
    cases = []
    for kind, config in plan:
        if kind == "again":
            cases.append(case(*cases[-1]["args"], meta={**cases[-1]["meta"], "kind": "again"}))
            continue
        n0, n1, n2, m, kp = config
        X, _, params = net(rng, n0, n1, n2, m)
        cases.append(case(X, params, kp, seed=SEED if not cases else None,
                          meta={"kind": kind, "where": where(n0, n1, n2, m, keep_prob=1 if kp == 1 else kp)}))
    return cases


def _unpack_dropout(out, params, where_):
    name = FORWARD
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(name, f"should return (A3, cache), got {type(out).__name__}", "dropout.return_type")
    A3, cache = out
    if not isinstance(cache, (tuple, list)) or len(cache) != 14:
        n = len(cache) if isinstance(cache, (tuple, list)) else type(cache).__name__
        fail(name, f"cache should be a tuple of 14 arrays {CACHE_ORDER}, got {n} items", "dropout.cache_length")
    cache = [as_float_array(name, f"cache[{i}]", c, "dropout.not_array") for i, c in enumerate(cache)]
    for pos, key in ((3, "W1"), (4, "b1"), (8, "W2"), (9, "b2"), (12, "W3"), (13, "b3")):
        if not close(cache[pos], params[key], rtol=0, atol=0):
            fail(name, f"cache[{pos}] should be {key}: the cache is {CACHE_ORDER} {where_}", "dropout.cache_order")
    return as_float_array(name, "A3", A3, "dropout.not_array"), cache


def _check_mask(D, shape, what, where_):
    name, l = FORWARD, what[-1]
    if D.shape != shape:
        per_unit = D.shape == (shape[0], 1)
        hint = (" A mask of shape (n, 1) would drop the same units for every example; draw one number per "
                f"activation: np.random.rand({what}.shape[0], {what}.shape[1])") if per_unit else ""
        fail(name, f"D{l} has shape {D.shape}, expected {shape} (the shape of {what}) {where_}.{hint}",
             "dropout.mask_per_unit" if per_unit else "dropout.mask_shape")
    if not np.all((D == 0) | (D == 1)):
        if np.all((D >= 0) & (D < 1)):
            fail(name, f"D{l} holds the random numbers themselves; the mask is "
                       f"D{l} = (np.random.rand(...) < keep_prob), 1 = keep, 0 = drop {where_}", "dropout.mask_raw_random")
        fail(name, f"D{l} should hold only 0s and 1s (1 = keep the unit); keep the 1 / keep_prob scaling "
                   f"in {what}, not in the mask, and return the cache in the order {CACHE_ORDER} {where_}",
             "dropout.mask_not_binary")


def _check_layer(l, Z, D, A, kp, where_):
    """A_l must be relu(Z_l) * D_l / keep_prob; name the mistake otherwise."""
    target = nn.relu(Z) * D / kp
    if close(A, target, rtol=1e-7, atol=1e-12):
        return
    label = first_match(A, {
        "noscale": nn.relu(Z) * D,
        "mult": nn.relu(Z) * D * kp,
        "nomask": nn.relu(Z),
        "nomask_scaled": nn.relu(Z) / kp,
        "before_relu": Z * D / kp,
    }, rtol=1e-7, atol=1e-12)
    msg, tag = {
        "noscale": (f"A{l} is masked but not divided by keep_prob (inverted dropout divides, to keep the expected "
                    f"activation unchanged)", "dropout.no_rescale"),
        "mult": (f"A{l} is multiplied by keep_prob; inverted dropout divides by keep_prob", "dropout.times_keep_prob"),
        "nomask": (f"A{l} = relu(Z{l}): the mask D{l} is not applied (A{l} = A{l} * D{l}, then / keep_prob)",
                   "dropout.not_applied"),
        "nomask_scaled": (f"A{l} is divided by keep_prob but the mask D{l} is not applied",
                          "dropout.mask_not_applied"),
        "before_relu": (f"A{l} is missing the ReLU: A{l} = relu(Z{l}) * D{l} / keep_prob", "dropout.no_relu"),
    }.get(label, (f"A{l} should be relu(Z{l}) * D{l} / keep_prob, with the D{l} of your cache", "dropout.activation"))
    fail(FORWARD, f"{msg} {where_}", tag)


def _check_dropout_pass(out, X, params, kp, where_):
    """Check one forward pass's internal consistency. Returns the float cache."""
    name = FORWARD
    A3_out, cache = _unpack_dropout(out, params, where_)
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = X.shape[1]
    n1, n2 = W1.shape[0], W2.shape[0]
    for what, value, shape in (("Z1", Z1, (n1, m)), ("A1", A1, (n1, m)), ("Z2", Z2, (n2, m)), ("A2", A2, (n2, m)),
                               ("Z3", Z3, (1, m)), ("A3 (in the cache)", A3, (1, m)), ("A3", A3_out, (1, m))):
        expect_shape(name, what, value, shape, "dropout.shape")
    if not close(Z1, W1 @ X + b1):
        fail(name, f"Z1 should be W1 X + b1: no dropout on the input layer X {where_}", "dropout.on_input")
    _check_mask(D1, (n1, m), "A1", where_)
    _check_layer(1, Z1, D1, A1, kp, where_)
    if not close(Z2, W2 @ A1 + b2):
        if close(Z2, W2 @ nn.relu(Z1) + b2):
            fail(name, f"Z2 is computed from relu(Z1); use the dropped-out A1 (after masking and scaling) {where_}",
                 "dropout.next_layer_from_relu")
        fail(name, f"Z2 should be W2 A1 + b2, with the A1 of your cache {where_}", "dropout.z2")
    _check_mask(D2, (n2, m), "A2", where_)
    _check_layer(2, Z2, D2, A2, kp, where_)
    if not close(Z3, W3 @ A2 + b3):
        if close(Z3, W3 @ nn.relu(Z2) + b3):
            fail(name, f"Z3 is computed from relu(Z2); use the dropped-out A2 (after masking and scaling) {where_}",
                 "dropout.next_layer_from_relu")
        fail(name, f"Z3 should be W3 A2 + b3, with the A2 of your cache {where_}", "dropout.z3")
    if not close(A3, nn.sigmoid(Z3)):
        fail(name, f"A3 should be sigmoid(Z3): no dropout (and no scaling) on the output layer {where_}",
             "dropout.on_output")
    if not close(A3_out, A3):
        fail(name, f"the returned A3 differs from the A3 in the cache {where_}", "dropout.returned_a3")
    return cache


def _check_statistics(cache, kp, where_):
    """The masks of a large net keep about keep_prob of the units, independently per example and unit."""
    name = FORWARD
    for l, D in ((1, cache[1]), (2, cache[6])):
        frac = float(D.mean())
        tol = 10 * math.sqrt(kp * (1 - kp) / D.size)
        if abs(frac - kp) > tol:
            if abs(frac - (1 - kp)) <= tol:
                fail(name, f"D{l} keeps {frac:.1%} of the units, expected keep_prob = {kp:.0%}: a unit is kept "
                           f"when np.random.rand(...) < keep_prob (you keep it with probability 1 - keep_prob: "
                           f"`> keep_prob` or `< 1 - keep_prob`?) {where_}", "dropout.keeps_1_minus_keep_prob")
            if abs(frac - _phi(kp)) <= tol:
                fail(name, f"D{l} keeps {frac:.1%} of the units, expected {kp:.0%}: the mask looks drawn with "
                           f"np.random.randn (normal); use np.random.rand (uniform on [0, 1)) {where_}",
                     "dropout.randn_mask")
            fail(name, f"D{l} keeps {frac:.1%} of the units, expected about keep_prob = {kp:.0%}: "
                       f"D{l} = (np.random.rand(...) < keep_prob) {where_}", "dropout.keep_fraction")
        if np.all(D == D[:, :1]):
            fail(name, f"D{l} is the same for every example (all columns equal); each example needs its "
                       f"own mask: draw a full (n{l}, m) array {where_}", "dropout.same_mask_every_example")
        if np.all(D == D[:1, :]):
            fail(name, f"D{l} is the same for every unit of a layer (all rows equal); draw a full "
                       f"(n{l}, m) array {where_}", "dropout.same_mask_every_unit")


def _forward_judge(cases, answers):
    previous = None
    for c, answer in zip(cases, answers):
        X, params, kp = c["args"]
        kind, where_ = c["meta"]["kind"], c["meta"]["where"]
        cache = _check_dropout_pass(returned(FORWARD, "dropout", c, answer), X, params, kp, where_)
        if kind == "again" and np.array_equal(cache[1], previous[1]) and np.array_equal(cache[6], previous[6]):
            fail(FORWARD, f"two calls in a row drew the same masks D1 and D2 {where_}: the mask is frozen. Does "
                          "your function call np.random.seed? Remove it: training needs new masks at every "
                          "iteration (the caller seeds once, before training)", "dropout.frozen_mask")
        previous = cache
        if kind == "statistics":
            _check_statistics(cache, kp, where_)
        elif kind == "keep_all":
            A3_plain, _ = nn.forward_propagation(X, params)
            if not (np.all(cache[1] == 1) and np.all(cache[6] == 1)) or not close(cache[11], A3_plain):
                fail(FORWARD, f"with keep_prob = 1 nothing should be dropped and the output should equal the plain "
                              f"forward pass {where_}", "dropout.keep_prob_1")


check_forward_propagation_with_dropout = Check(FORWARD, prefix="dropout", cases=_forward_cases, judge=_forward_judge)


# ---------------------------------------------------------------- backward_propagation_with_dropout

BACKWARD = "backward_propagation_with_dropout"


def dropout_cache(X, params, D1, D2, kp):
    """The forward cache with given masks (as the reference forward builds it)."""
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = nn.relu(Z1) * D1 / kp
    Z2 = W2 @ A1 + b2
    A2 = nn.relu(Z2) * D2 / kp
    Z3 = W3 @ A2 + b3
    A3 = nn.sigmoid(Z3)
    return (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


# How a wrong backward treats dA_l: (uses the mask, factor on top of it), and the name of that mistake in tags
_TREATMENTS = {"ok": (True, "div"), "noscale": (True, None), "nomask": (False, "div"),
               "none": (False, None), "mult": (True, "mult")}
_TREATMENT_MSG = {
    "noscale": "dA{l} is masked with D{l} but not divided by keep_prob",
    "nomask": "dA{l} is divided by keep_prob but not multiplied by the mask D{l}",
    "none": "dA{l} ignores dropout: multiply it by D{l} and divide by keep_prob, as in the forward pass",
    "mult": "dA{l} is multiplied by keep_prob; divide by it, as in the forward pass",
}
_TREATMENT_TAG = {"noscale": "no_rescale", "nomask": "mask_not_applied", "none": "ignores_dropout",
                  "mult": "times_keep_prob"}


def _dropout_backward_variant(X, Y, cache, kp, t1, t2, swap=False):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    masks = {1: D2, 2: D1} if swap else {1: D1, 2: D2}

    def treat(dA, l, t):
        use_mask, factor = _TREATMENTS[t]
        if use_mask:
            dA = dA * masks[l]
        if factor == "div":
            dA = dA / kp
        elif factor == "mult":
            dA = dA * kp
        return dA

    dZ3 = A3 - Y
    g = {"dW3": dZ3 @ A2.T / m, "db3": np.sum(dZ3, axis=1, keepdims=True) / m}
    dZ2 = treat(W3.T @ dZ3, 2, t2) * (Z2 > 0)
    g["dW2"], g["db2"] = dZ2 @ A1.T / m, np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = treat(W2.T @ dZ2, 1, t1) * (Z1 > 0)
    g["dW1"], g["db1"] = dZ1 @ X.T / m, np.sum(dZ1, axis=1, keepdims=True) / m
    return g


def _matches(grads, cand):
    with quiet():
        return all(close(grads[k], cand[k], rtol=1e-6, atol=1e-10) for k in PARAM_GRADS)


def _dropout_diagnosis(grads, X, Y, cache, kp):
    """(message, tag) naming the mistake, or None."""
    n1, n2 = cache[0].shape[0], cache[5].shape[0]
    if n1 == n2 and _matches(grads, _dropout_backward_variant(X, Y, cache, kp, "ok", "ok", swap=True)):
        return "the masks are swapped: dA2 goes with D2 and dA1 with D1", "dropoutbackward.swapped_masks"
    for t2 in _TREATMENTS:
        for t1 in _TREATMENTS:
            if (t1, t2) == ("ok", "ok"):
                continue
            if _matches(grads, _dropout_backward_variant(X, Y, cache, kp, t1, t2)):
                wrong = [(l, t) for l, t in ((2, t2), (1, t1)) if t != "ok"]
                message = "; ".join(_TREATMENT_MSG[t].format(l=l) for l, t in wrong)
                if t1 == t2:
                    return message, f"dropoutbackward.{_TREATMENT_TAG[t1]}"
                return message, "dropoutbackward." + "_".join(f"da{l}_{_TREATMENT_TAG[t]}" for l, t in wrong)
    return None


def _backward_cases():
    rng = np.random.RandomState(505)
    # the first case has n1 == n2, so swapped masks are diagnosed rather than crashing
    configs = [(3, 4, 4, 6, 0.7), (2, 20, 3, 30, 0.86), (4, 1, 3, 5, 0.5), (3, 3, 1, 1, 0.8), (2, 5, 2, 8, 1.0)]
    cases = []
    for i, (n0, n1, n2, m, kp) in enumerate(configs):
        X, Y, params = net(rng, n0, n1, n2, m)
        D1 = (rng.rand(n1, m) < kp).astype(int)
        D2 = (rng.rand(n2, m) < kp).astype(int)
        if i == 0:  # make sure some units are dropped and some kept in both layers
            D1[0, 0], D1[1, 0], D2[0, 1], D2[1, 1] = 0, 1, 0, 1
        meta = {"where": where(n0, n1, n2, m, keep_prob=kp), "params": params, "numeric": i == 0}
        for masks in (int, bool):  # int masks first; bool masks for a backward written for a boolean forward
            cache = dropout_cache(X, params, D1.astype(masks), D2.astype(masks), kp)
            cases.append(case(X, Y, cache, kp, meta=meta))
    return cases


def _judge_backward_case(c, answer):
    name = BACKWARD
    X, Y, cache, kp = c["args"]
    params, where_ = c["meta"]["params"], c["meta"]["where"]
    grads = gradient_dict(name, "dropoutbackward", returned(name, "dropoutbackward", c, answer), params)
    expected = ref.backward_propagation_with_dropout(X, Y, cache, kp)
    if not _matches(grads, expected):
        found = _dropout_diagnosis(grads, X, Y, cache, kp)
        if found is None:
            bad = next(k for k in BACKWARD_ORDER if not close(grads[k], expected[k], rtol=1e-6, atol=1e-10))
            found = (f"{bad} differs from the expected gradient; backprop as without dropout, but multiply each dA "
                     f"of a hidden layer by its mask and divide by keep_prob", "dropoutbackward.wrong_gradient")
        fail(name, f"{found[0]} {where_}", found[1])
    if c["meta"]["numeric"]:
        D1, D2 = cache[1], cache[6]

        def cost(p):
            A3 = dropout_cache(X, p, D1, D2, kp)[11]
            return nn.compute_cost(A3, Y)
        with quiet():
            num = numerical_param_gradients(cost, params)
        for key in PARAM_GRADS:
            if relative_norm(grads[key], num[key]) > 1e-6:
                fail(name, f"{key} disagrees with the numerical gradient of the cost with these fixed masks {where_}",
                     "dropoutbackward.numerical")
    return grads


def _backward_judge(cases, answers):
    for i in range(0, len(cases), 2):
        with_int, with_bool = cases[i], cases[i + 1]
        try:
            grads = _judge_backward_case(with_int, answers[i])
        except CheckFailed:
            try:
                _judge_backward_case(with_bool, answers[i + 1])
            except CheckFailed:
                pass
            else:
                continue
            raise  # the first attempt's diagnosis
        X, Y, _, kp = with_int["args"]
        if kp == 1.0:
            _, plain_cache = nn.forward_propagation(X, with_int["meta"]["params"])
            plain = nn.backward_propagation(X, Y, plain_cache)
            if not _matches(grads, plain):
                fail(BACKWARD, f"with keep_prob = 1 and no unit dropped the gradients should equal plain backprop "
                               f"{with_int['meta']['where']}", "dropoutbackward.keep_prob_1")


check_backward_propagation_with_dropout = Check(BACKWARD, prefix="dropoutbackward", cases=_backward_cases,
                                                judge=_backward_judge)
