"""Plain data to JSON text and back, without pickle, with a size limit.

What crosses between the grader and a student's kernel is plain data only:
None, bool, int, float, str, list, tuple, dict, NumPy arrays and scalars of
numeric or boolean dtype, and `Ref` (the name of a provided function). Arrays
travel as base64 `.npy` bytes read back with `np.load(..., allow_pickle=False)`,
so an object array can never be decoded. Anything else is encoded as
`Unsupported(type name)`, which the grader reports instead of failing to parse.

    text = dumps(value)        # str (JSON)
    value = loads(text)        # raises WireError on malformed or oversized input
"""

import base64
import io
import json
import math

import numpy as np

MAX_BYTES = 32 * 1024 * 1024   # largest encoded text either side accepts
MAX_DEPTH = 32                 # deepest nesting of lists, tuples and dicts
_DTYPE_KINDS = "biufc"         # bool, int, uint, float, complex


class WireError(ValueError):
    """Malformed, oversized or unsupported data on the wire."""


class Ref(str):
    """A provided function by name, 'module:attribute' in `course`, or 'notebook:name' in the student's namespace."""

    def __repr__(self):
        return f"Ref({str(self)!r})"


class Unsupported:
    """Stands for a value that is not plain data (what a student's function returned)."""

    def __init__(self, type_name, text=""):
        self.type_name, self.text = type_name, text

    def __eq__(self, other):
        return isinstance(other, Unsupported) and (self.type_name, self.text) == (other.type_name, other.text)

    def __repr__(self):
        return f"<{self.type_name} object>"


def _array_text(a):
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _encode(value, depth):
    if depth > MAX_DEPTH:
        return {"__unsupported__": "nesting deeper than %d" % MAX_DEPTH, "text": ""}
    if value is None or isinstance(value, (bool, str)) and not isinstance(value, Ref):
        return value
    if isinstance(value, Ref):
        return {"__ref__": str(value)}
    if isinstance(value, int):
        return value if abs(value) < 2 ** 63 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(float(value))}   # np.float64 too
    if isinstance(value, np.ndarray) and value.dtype.kind in _DTYPE_KINDS:
        return {"__ndarray__": _array_text(np.ascontiguousarray(value))}
    if isinstance(value, np.generic) and value.dtype.kind in _DTYPE_KINDS:
        return {"__npscalar__": _array_text(np.asarray(value))}
    if isinstance(value, list):
        return [_encode(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        if all(type(k) is str for k in value):
            if not any(k.startswith("__") for k in value):
                return {k: _encode(v, depth + 1) for k, v in value.items()}
        return {"__dict__": [[_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, Unsupported):
        return {"__unsupported__": value.type_name, "text": value.text}
    try:
        text = repr(value)[:200]
    except Exception:  # noqa: BLE001 (a student's __repr__ may raise)
        text = ""
    return {"__unsupported__": type(value).__name__, "text": text}


def _load_array(text):
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        a = np.load(io.BytesIO(raw), allow_pickle=False)
    except Exception as exc:  # noqa: BLE001
        raise WireError(f"bad array: {exc}") from None
    if not isinstance(a, np.ndarray) or a.dtype.kind not in _DTYPE_KINDS:
        raise WireError("bad array dtype")
    return a


def _decode(value, depth):
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_decode(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        raise WireError(f"unexpected JSON value {type(value).__name__}")
    if len(value) >= 1:
        key = next(iter(value))
        if key == "__ndarray__" and len(value) == 1:
            return _load_array(value[key])
        if key == "__npscalar__" and len(value) == 1:
            return _load_array(value[key])[()]
        if key == "__tuple__" and len(value) == 1:
            return tuple(_decode(v, depth + 1) for v in _list(value[key]))
        if key == "__dict__" and len(value) == 1:
            out = {}
            for pair in _list(value[key]):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise WireError("bad dict entry")
                k = _decode(pair[0], depth + 1)
                try:
                    out[k] = _decode(pair[1], depth + 1)
                except TypeError:
                    raise WireError("unhashable dict key") from None
            return out
        if key == "__ref__" and len(value) == 1:
            return Ref(str(value[key]))
        if key == "__float__" and len(value) == 1:
            if value[key] not in ("nan", "inf", "-inf"):
                raise WireError("bad float")
            return float(value[key])
        if key == "__unsupported__":
            return Unsupported(str(value[key]), str(value.get("text", "")))
    if any(k.startswith("__") for k in value):
        raise WireError("unknown tagged value")
    return {k: _decode(v, depth + 1) for k, v in value.items()}


def _list(value):
    if not isinstance(value, list):
        raise WireError("expected a list")
    return value


def dumps(value, limit=MAX_BYTES):
    """JSON text of plain data; a value over `limit` characters raises WireError."""
    text = json.dumps(_encode(value, 0), separators=(",", ":"), allow_nan=False)
    if len(text) > limit:
        raise WireError(f"{len(text)} characters, more than the limit of {limit}")
    return text


def loads(text, limit=MAX_BYTES):
    """Plain data from dumps' text; malformed or oversized text raises WireError."""
    if not isinstance(text, str):
        raise WireError(f"expected text, got {type(text).__name__}")
    if len(text) > limit:
        raise WireError(f"{len(text)} characters, more than the limit of {limit}")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not JSON: {exc}") from None
    return _decode(value, 0)


def roundtrip(value):
    """What the other side receives: loads(dumps(value))."""
    return loads(dumps(value))
