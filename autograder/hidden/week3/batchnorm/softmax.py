"""Hidden checks of the softmax output layer (section 2): softmax, one_hot, softmax_cost, softmax_backward.

All four are deterministic and compared with the reference on several shapes (one class,
one example, ten classes), logits as large as 1000 and as small as -1000, columns whose
scales differ by more than 800 (where a shift by the matrix's maximum underflows), labels
as (1, m) and (m,) with classes that never occur. A wrong answer is matched against the
usual wrong formulas to name the mistake.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import fail, quiet, returned
from autograder.hidden.common import as_number
from autograder.hidden.week3.batchnorm.shared import array, first_mistake, ref, same, worst

# ---------------------------------------------------------------- softmax

SOFTMAX = "softmax"


def _softmax_cases():
    rng = np.random.RandomState(31)
    big = rng.randn(4, 6) * 3 + 1000
    mixed = rng.randn(3, 5) * 2
    mixed[:, 1] += 1000
    mixed[:, 3] -= 1000
    return [case(Z) for Z in (rng.randn(3, 5), rng.randn(10, 7) * 5, rng.randn(1, 4), rng.randn(4, 1),
                              big, -big, mixed, np.zeros((3, 2)), np.array([[1000.0, 0.0], [0.0, 1000.0]]))]


def _softmax_mistakes(Z):
    with quiet():
        e = np.exp(Z - Z.max(axis=0, keepdims=True))
        er = np.exp(Z - Z.max(axis=1, keepdims=True))
        eg = np.exp(Z - Z.max())
        raw = np.exp(Z)
        return [
            ("softmax.axis", "the sums (and maxima) run along the rows: softmax normalizes each column (one "
                             "example) over the classes, np.sum(..., axis=0, keepdims=True)",
             er / er.sum(axis=1, keepdims=True)),
            ("softmax.overflow", "np.exp overflows (or underflows to 0/0) for large logits such as 1000: subtract "
                                 "each column's maximum first, Z - np.max(Z, axis=0, keepdims=True); it does not "
                                 "change the result", raw / raw.sum(axis=0, keepdims=True)),
            ("softmax.global_max", "the shift is the maximum of the whole matrix: a column far below it underflows "
                                   "to 0/0. Subtract each column's own maximum, np.max(Z, axis=0, keepdims=True)",
             eg / eg.sum(axis=0, keepdims=True)),
            ("softmax.sum_over_all", "the exponentials are divided by the sum over the whole matrix: divide each "
                                     "column by its own sum, np.sum(..., axis=0, keepdims=True)", e / e.sum()),
            ("softmax.no_normalization", "the exponentials are not divided by their sum", e),
        ]


def _softmax_judge(cases, answers):
    for c, answer in zip(cases, answers):
        Z = c["args"][0]
        where_ = f"(Z of shape {Z.shape}, logits from {Z.min():.4g} to {Z.max():.4g})"
        got = array(SOFTMAX, "softmax", returned(SOFTMAX, "softmax", c, answer), "A", where_)
        if got.shape != Z.shape:
            hint = " (transposed?)" if got.shape == Z.shape[::-1] else ""
            fail(SOFTMAX, f"A has shape {got.shape}, expected {Z.shape}, the shape of Z{hint} {where_}",
                 "softmax.shape")
        expected = ref.softmax(Z)
        if same(got, expected, 1e-7, 1e-12):
            continue
        found = first_mistake(got, _softmax_mistakes(Z), 1e-7, 1e-12)
        if found:
            fail(SOFTMAX, f"{found[1]} {where_}", found[0])
        if not np.all(np.isfinite(got)):
            fail(SOFTMAX, f"A holds nan or inf {where_}: shift each column by its maximum before np.exp",
                 "softmax.not_finite")
        fail(SOFTMAX, f"{worst(got, expected)} {where_}: A = exp(Z - max) / sum(exp(Z - max)), column by column",
             "softmax.wrong_value")


check_softmax = Check(SOFTMAX, prefix="softmax", cases=_softmax_cases, judge=_softmax_judge)


# ---------------------------------------------------------------- one_hot

ONE_HOT = "one_hot"


def _one_hot_cases():
    rng = np.random.RandomState(32)
    return [case(np.array([[1, 0, 3, 2, 3]]), 4), case(np.array([2, 0, 1, 1, 0, 2, 2]), 3),
            case(rng.randint(0, 7, size=(1, 12)), 10), case(np.array([[9]]), 10), case(np.array([0, 0, 0]), 5),
            case(rng.randint(0, 10, size=(1, 40)), 10)]


def _one_hot_judge(cases, answers):
    for c, answer in zip(cases, answers):
        labels, C = c["args"]
        flat = np.asarray(labels).reshape(-1)
        m = flat.size
        where_ = f"(labels of shape {np.shape(labels)}, C={C})"
        got = array(ONE_HOT, "one_hot", returned(ONE_HOT, "one_hot", c, answer), "Y", where_)
        expected = ref.one_hot(labels, C)
        if got.shape == (m, C) and same(got, expected.T):
            fail(ONE_HOT, f"Y has shape {got.shape}, (m, C): it is transposed, the course's labels are (C, m), "
                          f"one example per column {where_}", "one_hot.transposed")
        if got.shape == (int(flat.max()) + 1, m) and got.shape[0] != C:
            fail(ONE_HOT, f"Y has {got.shape[0]} rows, max(labels) + 1, expected C = {C}: a class may be missing "
                          f"from the labels, so take the number of rows from C {where_}", "one_hot.c_from_labels")
        if got.shape != (C, m):
            hint = (" Flatten the labels first (labels.reshape(-1)): (1, m) labels as an index add an axis."
                    if got.size == C * m else "")
            if got.shape in ((C + 1, m), (C - 1, m)):
                hint = " Rows 0 .. C-1 are the classes 0 .. C-1: is there an off-by-one?"
            tag = "one_hot.off_by_one" if got.shape in ((C + 1, m), (C - 1, m)) else "one_hot.shape"
            fail(ONE_HOT, f"Y has shape {got.shape}, expected (C, m) = {(C, m)} {where_}.{hint}", tag)
        if same(got, expected):
            continue
        for shift in (1, -1):
            if same(got, ref.one_hot((flat + shift) % C, C)):
                fail(ONE_HOT, f"the 1s are one row {'below' if shift > 0 else 'above'} where they belong: label k "
                              f"goes in row k (rows 0 .. C-1) {where_}", "one_hot.off_by_one")
        fail(ONE_HOT, f"{worst(got, expected)} {where_}: Y[k, i] = 1 where labels[i] == k, 0 elsewhere",
             "one_hot.wrong_value")


check_one_hot = Check(ONE_HOT, prefix="one_hot", cases=_one_hot_cases, judge=_one_hot_judge)


# ---------------------------------------------------------------- softmax_cost and softmax_backward

def _probabilities(rng, C, m, scale=2.0):
    A = ref.softmax(rng.randn(C, m) * scale)
    Y = ref.one_hot(rng.randint(0, C, size=m), C)
    return A, Y


def _output_cases(seed):
    rng = np.random.RandomState(seed)
    return [case(*_probabilities(rng, C, m)) for C, m in ((3, 5), (10, 12), (2, 7), (4, 1), (5, 30), (3, 4))]


COST = "softmax_cost"


def _cost_mistakes(A, Y):
    m, C = Y.shape[1], Y.shape[0]
    with quiet():
        s = -np.sum(Y * np.log(A))
        return [
            ("softmax_cost.sum_not_mean", "the losses are summed, not averaged: divide by the number of examples m",
             s),
            ("softmax_cost.mean_over_classes", "the sum is divided by C * m (np.mean over every entry): divide by m "
                                               "only, the number of examples", s / (C * m)),
            ("softmax_cost.sign", "the sign is wrong: the cost is minus the mean of sum(Y * log(A)), a positive "
                                  "number", s / -m),
            ("softmax_cost.binary_formula", "that is the binary cross-entropy, with a (1 - Y) log(1 - A) term: for "
                                            "softmax the cost is -(1/m) sum(Y * log(A)) only",
             -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m),
            ("softmax_cost.log_of_labels", "the log is taken of Y instead of A: -(1/m) sum(Y * log(A))",
             -np.sum(A * np.log(Y)) / m),
            ("softmax_cost.weighted_by_a", "log(A) is weighted by A instead of the labels Y: -(1/m) sum(Y * log(A))",
             -np.sum(A * np.log(A)) / m),
            ("softmax_cost.log_one_minus_a", "the log is of 1 - A: the cost is -(1/m) sum(Y * log(A))",
             -np.sum(Y * np.log(1 - A)) / m),
            ("softmax_cost.no_labels", "Y is missing: only the log-probability of each example's true class "
                                       "counts, -(1/m) sum(Y * log(A))", -np.sum(np.log(A)) / m),
            ("softmax_cost.no_log", "the log is missing: -(1/m) sum(Y * log(A))", -np.sum(Y * A) / m),
        ]


def _cost_judge(cases, answers):
    for c, answer in zip(cases, answers):
        A, Y = c["args"]
        where_ = f"(A and Y of shape {A.shape})"
        got = as_number(COST, "softmax_cost", returned(COST, "softmax_cost", c, answer), "cost", where_)
        expected = ref.softmax_cost(A, Y)
        if np.isclose(got, expected, rtol=1e-6, atol=1e-9):   # a tiny epsilon in the log, log(A + 1e-12), passes
            continue
        for tag, message, candidate in _cost_mistakes(A, Y):
            with quiet():
                if np.isclose(got, candidate, rtol=1e-9, atol=1e-12, equal_nan=True):
                    fail(COST, f"{message} {where_}", tag)
        fail(COST, f"returned {got:.6g}, expected {expected:.6g} = -(1/m) sum(Y * log(A)) {where_}",
             "softmax_cost.wrong_value")


check_softmax_cost = Check(COST, prefix="softmax_cost", cases=lambda: _output_cases(33), judge=_cost_judge)


BACKWARD = "softmax_backward"


def _backward_judge(cases, answers):
    for c, answer in zip(cases, answers):
        A, Y = c["args"]
        m = Y.shape[1]
        where_ = f"(A and Y of shape {A.shape})"
        got = array(BACKWARD, "softmax_backward", returned(BACKWARD, "softmax_backward", c, answer), "dZ", where_)
        if got.shape != A.shape:
            fail(BACKWARD, f"dZ has shape {got.shape}, expected {A.shape}, the shape of A {where_}",
                 "softmax_backward.shape")
        expected = ref.softmax_backward(A, Y)
        if same(got, expected, 1e-9, 1e-12):
            continue
        with quiet():
            mistakes = [
                ("softmax_backward.divided_by_m", "dZ was divided by m: in this course dZ = A - Y, and the "
                                                  "network divides by m once, in dW and db", (A - Y) / m),
                ("softmax_backward.sign", "the sign is wrong: dZ = A - Y", Y - A),
                ("softmax_backward.sigmoid_derivative", "dZ was multiplied by A(1 - A): with the cross-entropy, "
                                                        "the softmax's derivative cancels out and dZ = A - Y",
                 (A - Y) * A * (1 - A)),
                ("softmax_backward.no_labels", "Y is missing: dZ = A - Y", A - 1),
            ]
        found = first_mistake(got, mistakes, 1e-9, 1e-12)
        if found:
            fail(BACKWARD, f"{found[1]} {where_}", found[0])
        fail(BACKWARD, f"{worst(got, expected)} {where_}: dZ = A - Y", "softmax_backward.wrong_value")


check_softmax_backward = Check(BACKWARD, prefix="softmax_backward", cases=lambda: _output_cases(34),
                               judge=_backward_judge)
