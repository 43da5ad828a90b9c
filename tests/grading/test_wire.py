"""course/grading/wire.py: plain data both ways, nothing else, within a size limit."""

import base64
import io
import json
import math
import pickle

import numpy as np
import pytest

from course.grading import wire


def test_plain_data_travels_unchanged():
    value = {"W1": np.arange(6.0).reshape(2, 3), "mask": np.array([[True, False]]), 3: (1, "a", None),
             "n": np.int64(7), "x": np.float32(0.5), "nested": [{"k": (np.zeros((0, 2)),)}], "ref": wire.Ref("nn:relu")}
    back = wire.roundtrip(value)
    assert set(back) == set(value)
    assert np.array_equal(back["W1"], value["W1"]) and back["W1"].dtype == np.float64
    assert back["mask"].dtype == bool and back[3] == (1, "a", None)
    assert back["n"] == 7 and isinstance(back["n"], np.integer) and back["x"].dtype == np.float32
    assert back["nested"][0]["k"][0].shape == (0, 2)
    assert isinstance(back["ref"], wire.Ref) and back["ref"] == "nn:relu"


@pytest.mark.parametrize("special", [float("nan"), float("inf"), -math.inf, np.float64("nan"), np.float64("-inf")])
def test_non_finite_floats_travel_numpy_scalars_included(special):
    back = wire.roundtrip([special])[0]
    assert isinstance(back, float)
    assert (math.isnan(back) and math.isnan(special)) or back == special


def test_what_is_not_plain_data_arrives_as_unsupported():
    back = wire.roundtrip({"f": print, "o": np.array([object()], dtype=object)})
    assert isinstance(back["f"], wire.Unsupported) and isinstance(back["o"], wire.Unsupported)


def test_pickles_and_forged_tags_are_refused():
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    forged = json.dumps({"__ndarray__": base64.b64encode(buf.getvalue()).decode()})
    with pytest.raises(wire.WireError, match="bad array"):
        wire.loads(forged)
    for text in (json.dumps({"__float__": "1e999999"}), json.dumps({"__pickle__": base64.b64encode(pickle.dumps(1)).decode()}),
                 "{not json", json.dumps({"__tuple__": 3})):
        with pytest.raises(wire.WireError):
            wire.loads(text)
    with pytest.raises(wire.WireError):
        wire.loads(b"[]")


def test_the_size_limit_holds_both_ways():
    big = np.zeros(100_000)
    with pytest.raises(wire.WireError, match="more than the limit"):
        wire.dumps(big, limit=10_000)
    text = wire.dumps(big)
    with pytest.raises(wire.WireError, match="more than the limit"):
        wire.loads(text, limit=len(text) - 1)
    nested = []
    for _ in range(wire.MAX_DEPTH + 5):
        nested = [nested]
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.loads(json.dumps(nested))
