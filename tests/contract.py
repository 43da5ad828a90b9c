"""The contract every graded function's hidden check keeps, for every week.

Each notebook's tests/implementations/weekN/<nb>.py holds
    CORRECT = {name: [fn, ...]}                     # written unlike the reference; must pass
    WRONG = {name: [(fn, "substring"[, "tag"]), ...]]}  # real mistakes; must fail, naming it
and tests/test_contract.py runs, for each graded function:
- the reference passes, whatever the global RNG's state (many seeds);
- every correct variant passes;
- every wrong version fails with its substring in the message, a well-formed tag
  (and the given tag, when there is one);
- the check leaves the global RNG as it found it, and writes nothing to stderr.
"""

import numpy as np

from autograder.hidden.common import TAG, CheckFailed

SEEDS = range(12)


def hidden_check(nb, name):
    return getattr(nb.module("hidden"), f"check_{name}")


def reference(nb, name):
    return getattr(nb.module("reference"), name)


def correct(nb):
    return getattr(nb.module("implementations"), "CORRECT", {})


def wrong(nb):
    return getattr(nb.module("implementations"), "WRONG", {})


def expect_pass(check, fn):
    try:
        check(fn)
    except CheckFailed as exc:
        raise AssertionError(f"{getattr(fn, '__name__', fn)} should pass but failed [{exc.tag}]: {exc}") from None


def expect_fail(check, fn, substring, tag=None):
    try:
        check(fn)
    except CheckFailed as exc:
        message = str(exc)
        assert substring in message, f"{fn.__name__}: expected {substring!r} in the diagnosis, got: {message}"
        assert TAG.match(exc.tag or ""), f"{fn.__name__}: malformed mistake tag {exc.tag!r}"
        assert tag is None or exc.tag == tag, f"{fn.__name__}: expected tag {tag!r}, got {exc.tag!r}"
        return exc
    raise AssertionError(f"{fn.__name__} is wrong but passed the hidden check")


def reference_passes_over_seeds(check, fn, seeds=SEEDS):
    for seed in seeds:
        np.random.seed(seed)
        expect_pass(check, fn)


def keeps_rng(check, fn):
    np.random.seed(2024)
    before = np.random.get_state()
    check(fn)
    after = np.random.get_state()
    return before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]
