"""Grading the same class twice gives every student the same score, and correct students lose nothing
(a small run of `python -m tests.benchmark_judging repeat`)."""

import pytest

from tests.benchmark_judging import repeat_rounds

pytestmark = pytest.mark.slow


def test_same_scores_every_round_no_lost_point(tmp_path, capsys):
    results, full = repeat_rounds(tmp_path, correct=2, half=2, rounds=2, workers=2)
    assert results[0] == results[1], results
    assert all(v == full for s, v in results[0].items() if s.startswith("correct")), (full, results[0])
    assert all(0 < v < full for s, v in results[0].items() if s.startswith("half")), (full, results[0])
