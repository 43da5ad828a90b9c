"""Grading the same class twice gives every student the same score, and correct students lose nothing
(a small run of `python -m tests.benchmark_judging repeat`: one correct and one half-correct student,
two rounds on two workers; the benchmark runs more, and tests/grading/test_dask_engine.py compares
three runs of a class of 12)."""

import pytest

from tests.benchmark_judging import repeat_rounds

pytestmark = pytest.mark.slow


def test_same_scores_every_round_no_lost_point(tmp_path, capsys):
    results, full = repeat_rounds(tmp_path, correct=1, half=1, rounds=2, workers=2)
    assert results[0] == results[1], results
    assert all(v == full for s, v in results[0].items() if s.startswith("correct")), (full, results[0])
    assert all(0 < v < full for s, v in results[0].items() if s.startswith("half")), (full, results[0])
