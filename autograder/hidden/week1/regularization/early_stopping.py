"""Hidden check of best_iteration (regularization notebook, section 7: early stopping).

Dev-cost curves as nn.train records them (lists of floats, or a NumPy array),
recorded every 1, 10, 50, 100 or 1000 iterations: a U-shaped curve, noisy
curves, a minimum at the first record (iteration 0) and at the last one, a tie
(the earliest wins: stopping sooner costs less and gives the same dev cost) and
a single record. A wrong answer is matched, over all the cases at once, with
the usual wrong versions to name the mistake.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import fail, returned
from autograder.hidden.week1.regularization.shared import ref

NAME = "best_iteration"


def _u_curve(rng, n, noise):
    """A dev cost that falls, then rises (overfitting), plus noise."""
    t = np.linspace(0, 1, n)
    low = rng.uniform(0.2, 0.8)
    return 0.3 + 0.4 * np.exp(-6 * t) + 0.8 * np.maximum(t - low, 0) ** 2 + noise * rng.rand(n)


def _cases():
    rng = np.random.RandomState(606)
    curves = [
        ([0.69, 0.52, 0.41, 0.37, 0.39, 0.45, 0.58], 100),          # the notebook's example
        ([round(float(c), 6) for c in _u_curve(rng, 30, 0.02)], 1),
        ([0.31, 0.35, 0.42, 0.5], 1000),                            # best at iteration 0
        ([0.8, 0.6, 0.5, 0.45, 0.43, 0.42], 50),                    # still falling: best is the last
        ([0.5, 0.3, 0.4, 0.3, 0.6], 10),                            # a tie: the earliest
        (_u_curve(rng, 51, 0.01), 100),                             # a NumPy array
        ([0.7], 100),                                               # one record, at iteration 0
        ([float(c) for c in _u_curve(rng, 12, 0.05)], 250),
    ]
    return [case(costs, every) for costs, every in curves]


def _tied_last(costs):
    costs = np.asarray(costs, dtype=float)
    return int(np.flatnonzero(costs == costs.min())[-1])


# (the answers this mistake gives for (costs, record_every), message, tag), the most telling first
_MISTAKES = (
    (lambda c, r: (len(c) - 1) * r,
     "returns the last recorded iteration rather than the best: early stopping keeps the parameters of the "
     "iteration with the lowest dev cost", "earlystop.last_not_best"),
    (lambda c, r: (int(np.argmin(c)) + 1) * r,
     "is one record late (off by record_every): the cost at index k was recorded at iteration k * record_every, "
     "and the first one at iteration 0", "earlystop.off_by_record_every"),
    (lambda c, r: int(np.argmax(c)) * r,
     "returns the iteration of the HIGHEST dev cost (argmax); early stopping wants the lowest: np.argmin",
     "earlystop.argmax"),
    (lambda c, r: int(np.argmin(c)),
     "returns the index of the lowest dev cost, not the iteration: multiply it by record_every",
     "earlystop.index_not_iteration"),
    (lambda c, r: float(np.min(c)),
     "returns the lowest dev cost itself; return the iteration at which it was recorded", "earlystop.returned_cost"),
    (lambda c, r: _tied_last(c) * r,
     "picks the latest of equal lowest costs; take the earliest (np.argmin does): stopping sooner gives the "
     "same dev cost for less training", "earlystop.latest_tie"),
)


def _as_int(value, costs, every):
    if isinstance(value, (bool, np.bool_)):
        fail(NAME, f"returned {value!r}; return the iteration, an int", "earlystop.not_int")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if float(value).is_integer():
            fail(NAME, f"returned the float {value!r} for record_every={every}; return an int (wrap it in int(...)): "
                       "it is used as a number of iterations", "earlystop.not_int")
        return float(value)  # compared with the mistakes (a returned cost), then failed
    what = f"an array of shape {np.shape(value)}" if isinstance(value, np.ndarray) else \
        "None" if value is None else f"a {type(value).__name__}"
    fail(NAME, f"returned {what}; return one int, the iteration (int(...) of a NumPy number gives one)",
         "earlystop.not_int")


def _judge(cases, answers):
    got, args = [], []
    for c, answer in zip(cases, answers):
        costs, every = c["args"]
        got.append(_as_int(returned(NAME, "earlystop", c, answer), costs, every))
        args.append((costs, every))
    expected = [ref.best_iteration(costs, every) for costs, every in args]
    wrong = [i for i, (g, e) in enumerate(zip(got, expected)) if g != e]
    if not wrong:
        return
    for variant, message, tag in _MISTAKES:
        if all(g == variant(costs, every) for g, (costs, every) in zip(got, args)):
            fail(NAME, message, tag)
    costs, every = args[wrong[0]]
    shown = ", ".join(f"{float(x):.4g}" for x in costs[:8]) + (", ..." if len(costs) > 8 else "")
    fail(NAME, f"for dev_costs = [{shown}] ({len(costs)} records) and record_every = {every} it returned "
               f"{got[wrong[0]]!r}, expected {expected[wrong[0]]}: the iteration of the lowest dev cost is "
               "record_every * (its index)", "earlystop.wrong_iteration")


check_best_iteration = Check(NAME, prefix="earlystop", cases=_cases, judge=_judge)
