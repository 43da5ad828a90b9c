"""Hidden checks of the exponentially weighted averages and the learning-rate decays (sections 3 and 8).

All three are deterministic and compared with the reference: the averages on series of
several lengths (one value included) and several betas (0 included), with and without
bias correction; the decays on epochs before, at and between the steps of the schedule,
with the default time_interval and others. A wrong answer is matched against the usual
wrong formulas to name the mistake.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import as_float_array, close, fail, quiet, returned
from autograder.hidden.common import as_number
from autograder.hidden.week2.optimization.shared import ref

# ---------------------------------------------------------------- exponentially_weighted_averages

EWA = "exponentially_weighted_averages"


def _ewa_cases():
    rng = np.random.RandomState(23)
    cases = []
    for T, beta, corrected in [(40, 0.9, True), (40, 0.9, False), (1, 0.9, True), (1, 0.8, False), (12, 0.98, True),
                               (25, 0.7, True), (25, 0.7, False), (6, 0.0, True), (120, 0.95, True)]:
        values = np.round(10 + np.cumsum(rng.randn(T)) + 3 * rng.randn(T), 1)
        cases.append(case(values, beta, corrected))
    return cases


def _ewa_variant(values, beta, corrected, *, a=None, b=None, v0=0.0, t_shift=0, feed_back=False, multiply=False):
    """v_t = a v_{t-1} + b theta_t (a = beta, b = 1 - beta by default), optionally corrected by
    1 - beta^(t + t_shift)."""
    a = beta if a is None else a
    b = 1 - beta if b is None else b
    out = np.zeros(len(values))
    v = v0
    with quiet():
        for t in range(1, len(values) + 1):
            v = a * v + b * values[t - 1]
            if corrected:
                factor = 1 - beta ** (t + t_shift)
                c = v * factor if multiply else v / factor
                if feed_back:
                    v = c
                out[t - 1] = c
            else:
                out[t - 1] = v
    return out


def _ewa_mistakes(values, beta, corrected):
    """[(tag, message, averages)]."""
    return [
        ("ewa.beta_for_one_minus_beta", "beta and 1 - beta are swapped: v_t = beta * v_{t-1} + (1 - beta) * theta_t",
         _ewa_variant(values, beta, corrected, a=1 - beta, b=beta)),
        ("ewa.no_one_minus_beta", "the new value is not weighted by 1 - beta: v_t = beta * v_{t-1} + (1 - beta) * "
                                  "theta_t", _ewa_variant(values, beta, corrected, b=1.0)),
        ("ewa.no_bias_correction", "there is no bias correction: with bias_correction=True, return "
                                   "v_t / (1 - beta^t)", _ewa_variant(values, beta, False)),
        ("ewa.correction_when_off", "the averages are bias-corrected although bias_correction=False: then return "
                                    "v_t itself", _ewa_variant(values, beta, True)),
        ("ewa.correction_wrong_t", "the bias correction uses the wrong t: divide v_t by 1 - beta^t, with t = 1 "
                                   "for the first value", _ewa_variant(values, beta, corrected, t_shift=1)),
        ("ewa.correction_wrong_t", "the bias correction uses the wrong t: divide v_t by 1 - beta^t, with t = 1 "
                                   "for the first value (t - 1 divides the first average by 1 - beta^0 = 0)",
         _ewa_variant(values, beta, corrected, t_shift=-1)),
        ("ewa.corrected_fed_back", "the corrected value was fed back into the average: keep v_t uncorrected for the "
                                   "next step, and only return v_t / (1 - beta^t)",
         _ewa_variant(values, beta, corrected, feed_back=True)),
        ("ewa.correction_multiplied", "v_t was multiplied by 1 - beta^t; divide by it",
         _ewa_variant(values, beta, corrected, multiply=True)),
        ("ewa.v0_first_value", "the average starts from the first value (v_0 = theta_1); it starts from v_0 = 0",
         _ewa_variant(values, beta, corrected, v0=values[0])),
    ]


def _ewa_judge(cases, answers):
    for c, answer in zip(cases, answers):
        values, beta, corrected = c["args"]
        T = len(values)
        where_ = f"(len(values)={T}, beta={beta}, bias_correction={corrected})"
        got = as_float_array(EWA, "the averages", returned(EWA, "ewa", c, answer), "ewa.not_numbers")
        if got.shape != (T,):
            hint = " Do not include v_0: the array holds v_1 .. v_T." if got.shape == (T + 1,) else \
                " Return a 1-D array with one average per value, e.g. filled into np.zeros(len(values))."
            fail(EWA, f"the averages have shape {got.shape}, expected ({T},) {where_}.{hint}", "ewa.shape")
        expected = ref.exponentially_weighted_averages(values, beta, corrected)
        if close(got, expected, 1e-7, 1e-10):
            continue
        for tag, msg, cand in _ewa_mistakes(values, beta, corrected):
            if close(got, cand, 1e-7, 1e-10):
                fail(EWA, f"{msg} {where_}", tag)
        i = int(np.argmax(~np.isclose(got, expected, 1e-7, 1e-10)))
        fail(EWA, f"average {i + 1} is {got[i]:.6g}, expected {expected[i]:.6g} {where_}: v_0 = 0, "
                  f"v_t = beta * v_(t-1) + (1 - beta) * values[t-1], then v_t / (1 - beta^t) when corrected",
             "ewa.wrong_value")


check_exponentially_weighted_averages = Check(EWA, prefix="ewa", cases=_ewa_cases, judge=_ewa_judge)


# ---------------------------------------------------------------- update_lr

LR = "update_lr"


def _lr_cases():
    return [case(lr0, epoch, decay) for lr0, epoch, decay in
            [(0.1, 10, 0.3), (0.5, 1, 1.0), (0.01, 1000, 0.001), (0.1, 3, 2.0), (0.0007, 250, 0.05), (2.0, 7, 0.0),
             (0.5, 0, 1.0)]]   # epoch 0 and decay 0 last: a missing "1 +" divides by zero there


def _lr_mistakes(lr0, epoch, decay):
    with quiet():
        return [
            ("lr_decay.no_one_plus", "the 1 + is missing: learning_rate0 / (1 + decay_rate * epoch_num)",
             lr0 / np.float64(decay * epoch)),
            ("lr_decay.multiplied", "learning_rate0 was multiplied by (1 + decay_rate * epoch_num); divide by it",
             lr0 * (1 + decay * epoch)),
            ("lr_decay.precedence", "parentheses: learning_rate0 / (1 + decay_rate * epoch_num), not "
                                    "learning_rate0 / 1 + decay_rate * epoch_num", lr0 / 1 + decay * epoch),
            ("lr_decay.precedence", "parentheses: divide by the whole (1 + decay_rate * epoch_num)",
             lr0 / (1 + decay) * epoch),
            ("lr_decay.no_decay_rate", "decay_rate is missing: learning_rate0 / (1 + decay_rate * epoch_num)",
             lr0 / (1 + epoch)),
            ("lr_decay.no_learning_rate0", "learning_rate0 is missing: learning_rate0 / (1 + decay_rate * epoch_num)",
             1 / (1 + decay * epoch)),
            ("lr_decay.exponential", "that is exponential decay; this function is learning_rate0 / "
                                     "(1 + decay_rate * epoch_num)", lr0 * np.float64(decay) ** epoch),
        ]


def _lr_judge(cases, answers):
    for c, answer in zip(cases, answers):
        lr0, epoch, decay = c["args"]
        where_ = f"(learning_rate0={lr0}, epoch_num={epoch}, decay_rate={decay})"
        got = as_number(LR, "lr_decay", returned(LR, "lr_decay", c, answer), "learning_rate", where_)
        expected = ref.update_lr(lr0, epoch, decay)
        if np.isclose(got, expected, rtol=1e-9, atol=0):
            continue
        for tag, msg, cand in _lr_mistakes(lr0, epoch, decay):
            if np.isclose(got, cand, rtol=1e-9, atol=0):
                fail(LR, f"{msg} {where_}", tag)
        fail(LR, f"returned {got:.6g}, expected {expected:.6g} = learning_rate0 / (1 + decay_rate * epoch_num) "
                 f"{where_}", "lr_decay.wrong_value")


check_update_lr = Check(LR, prefix="lr_decay", cases=_lr_cases, judge=_lr_judge)


# ---------------------------------------------------------------- schedule_lr_decay

SCHEDULE = "schedule_lr_decay"


def _schedule_cases():
    cases = [case(lr0, epoch, decay, interval) for lr0, epoch, decay, interval in
             [(0.1, 1300, 1.0, 1000), (0.1, 2700, 1.0, 1000), (0.5, 7, 2.0, 3), (0.02, 130, 0.5, 100),
              (0.3, 44, 1.0, 10), (0.1, 2999, 1.0, 1000), (0.5, 2500, 0.3, 500), (0.1, 1000, 1.0, 1000),
              (0.1, 999, 1.0, 1000), (0.1, 0, 1.0, 1000)]]
    # first a fraction below one half (ceil differs from floor, round does not), then one above (round differs)
    # the default time_interval is 1000
    return cases + [case(0.1, 4321, 1.0), case(0.2, 999, 1.0)]


def _schedule_mistakes(lr0, epoch, decay, interval):
    with quiet():
        return [
            ("lr_schedule.no_floor", "the decay is not floored: the learning rate changes only once every "
                                     "time_interval epochs, learning_rate0 / (1 + decay_rate * floor(epoch_num / "
                                     "time_interval))", lr0 / (1 + decay * epoch / interval)),
            ("lr_schedule.round_not_floor", "epoch_num / time_interval was rounded; take its floor (np.floor, or //)",
             lr0 / (1 + decay * np.round(epoch / interval))),
            ("lr_schedule.ceil_not_floor", "epoch_num / time_interval was rounded up; take its floor "
                                           "(np.floor, or //)", lr0 / (1 + decay * np.ceil(epoch / interval))),
            ("lr_schedule.interval_ignored", "time_interval is not used: learning_rate0 / (1 + decay_rate * "
                                             "floor(epoch_num / time_interval))",
             lr0 / (1 + decay * np.floor(epoch / 1000))),
            ("lr_schedule.interval_ignored", "epoch_num is not divided by time_interval: learning_rate0 / "
                                             "(1 + decay_rate * floor(epoch_num / time_interval))",
             lr0 / (1 + decay * epoch)),
            ("lr_schedule.interval_multiplied", "epoch_num was multiplied by time_interval; divide it: "
                                                "floor(epoch_num / time_interval)",
             lr0 / (1 + decay * epoch * interval)),
            ("lr_schedule.multiplied", "learning_rate0 was multiplied by the factor; divide by (1 + decay_rate * "
                                       "floor(epoch_num / time_interval))",
             lr0 * (1 + decay * np.floor(epoch / interval))),
            ("lr_schedule.no_one_plus", "the 1 + is missing: learning_rate0 / (1 + decay_rate * floor(epoch_num / "
                                        "time_interval))", lr0 / np.float64(decay * np.floor(epoch / interval))),
            ("lr_schedule.floor_of_rate", "the floor covers the whole factor: floor only epoch_num / time_interval",
             lr0 / np.floor(1 + decay * epoch / interval)),
        ]


def _schedule_judge(cases, answers):
    for c, answer in zip(cases, answers):
        lr0, epoch, decay = c["args"][:3]
        interval = c["args"][3] if len(c["args"]) > 3 else 1000
        where_ = f"(learning_rate0={lr0}, epoch_num={epoch}, decay_rate={decay}, " + \
            ("time_interval left to its default" if len(c["args"]) == 3 else f"time_interval={interval}") + ")"
        got = as_number(SCHEDULE, "lr_schedule", returned(SCHEDULE, "lr_schedule", c, answer), "learning_rate",
                        where_)
        expected = ref.schedule_lr_decay(lr0, epoch, decay, interval)
        if np.isclose(got, expected, rtol=1e-9, atol=0):
            continue
        for tag, msg, cand in _schedule_mistakes(lr0, epoch, decay, interval):
            if np.isclose(got, cand, rtol=1e-9, atol=0):
                fail(SCHEDULE, f"{msg} {where_}", tag)
        fail(SCHEDULE, f"returned {got:.6g}, expected {expected:.6g} = learning_rate0 / (1 + decay_rate * "
                       f"floor(epoch_num / time_interval)) {where_}", "lr_schedule.wrong_value")


check_schedule_lr_decay = Check(SCHEDULE, prefix="lr_schedule", cases=_schedule_cases, judge=_schedule_judge)
