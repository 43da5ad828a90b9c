"""What the optimization checks share: nets of several depths, gradients of mixed magnitude, reading answers."""

import numpy as np

from autograder.hidden.common import as_float_array, as_tuple, close, fail, quiet  # noqa: F401 (as_tuple: the checks')
from autograder.reference.week2 import optimization as ref  # noqa: F401 (the checks' reference)

# The notebook's net, one layer, a layer of width 1, a deeper net: the update functions take any depth.
DIMS = ([2, 5, 2, 1], [3, 1], [4, 1, 3], [5, 4, 3, 3, 2])
RTOL, ATOL = 1e-6, 1e-14


def net(rng, dims):
    """Parameters of a net with widths dims: W_l standard normal, b_l normal with std 0.5 (not zero)."""
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        params[f"b{l}"] = 0.5 * rng.randn(dims[l], 1)
    return params


def mixed_grads(rng, params):
    """Gradients dW1, db1, ...: normal draws times 10^u, u uniform in [-3.5, 0.5] for each entry, so the
    entries range over four orders of magnitude, many near 1e-3 (where epsilon matters)."""
    return {"d" + k: rng.randn(*v.shape) * 10.0 ** rng.uniform(-3.5, 0.5, v.shape) for k, v in params.items()}


def zeros_like(d, prefix="d"):
    """A state dict keyed like the gradients: zeros shaped like each parameter."""
    return {prefix + k: np.zeros(v.shape) for k, v in d.items()}


def where(dims, **kw):
    extra = "".join(f", {k}={v}" for k, v in kw.items())
    return f"(layer widths {list(dims)}{extra})"


def copy(d):
    return {k: np.array(v, dtype=float) for k, v in d.items()}


def as_dict(name, prefix, value, what, like, where_):
    """value as {key: float array} with the keys and shapes of `like`.

    Tags: <prefix>.not_dict, <prefix>.keys, <prefix>.shape, <prefix>.not_numbers."""
    if not isinstance(value, dict):
        fail(name, f"{what} should be a dict, got {type(value).__name__} {where_}", f"{prefix}.not_dict")
    missing = [k for k in like if k not in value]
    if missing:
        has = ", ".join(map(str, value)) or "nothing"
        hint = ""
        if all(k[1:] in value for k in missing if k.startswith("d")) and any(k.startswith("d") for k in missing):
            hint = " The keys are those of the gradients, with a d in front: 'dW1', 'db1', ..."
        elif len(missing) == 2 and missing[0][-1] == missing[1][-1] == str(len(like) // 2):
            hint = " Does your loop stop one layer early? for l in range(1, L + 1) visits every layer."
        fail(name, f"{what} is missing {', '.join(missing)} {where_} (it has {has}).{hint}", f"{prefix}.keys")
    out = {}
    for k, ref_value in like.items():
        a = as_float_array(name, f"{what}[{k!r}]", value[k], f"{prefix}.not_numbers")
        if a.shape != np.shape(ref_value):
            fail(name, f"{what}[{k!r}] has shape {a.shape}, expected {np.shape(ref_value)} (the shape of the "
                       f"parameter it belongs to) {where_}", f"{prefix}.shape")
        out[k] = a
    return out



def differs(got, expected):
    """The first key whose array differs (a dict of arrays each), or None."""
    for k in expected:
        if not close(got[k], expected[k], RTOL, ATOL):
            return k
    return None


def same(got, expected):
    """got and expected (arrays, numbers, dicts of arrays, or lists of these) agree."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(k in got and close(got[k], expected[k], RTOL, ATOL) for k in expected)
    if isinstance(expected, (list, tuple)):
        return len(got) == len(expected) and all(same(g, e) for g, e in zip(got, expected))
    return close(got, expected, RTOL, ATOL)


def first_mistake(got, mistakes):
    """(tag, message) of the first mistake whose outputs equal got, or None.

    mistakes: [(tag, message, outputs)], outputs shaped like got (see same)."""
    with quiet():
        for tag, message, outputs in mistakes:
            if same(got, outputs):
                return tag, message
    return None


def elementwise(fn, *dicts, keys=None):
    """Apply fn to the arrays of each key (the keys of the first dict) and collect each output in a dict.

    fn(*arrays) returns one array or a tuple of arrays; returns one dict or a tuple of dicts."""
    out = None
    with quiet():
        for k in (keys or list(dicts[0])):
            res = fn(*(d[k] for d in dicts))
            res = res if isinstance(res, tuple) else (res,)
            if out is None:
                out = tuple({} for _ in res)
            for o, r in zip(out, res):
                o[k] = r
    return out if len(out) > 1 else out[0]


def _layer(key):
    """("W", "3") for "W3" or "dW3"."""
    k = key[1:] if key.startswith("d") else key
    return k[0], k[1:]


def layer_slips(old, new, L, what="the parameters"):
    """Usual loop slips of an update (for the mistake tables): [(tag suffix, message, dict)].
    old, new: the dict before and after a correct update (parameters, or a state keyed dW1, db1, ...)."""
    def mixed(take_new):
        return {k: (new[k] if take_new(*_layer(k)) else old[k]) for k in old}
    last = str(L)
    return [
        ("last_layer_skipped", f"{what} of the last layer ({L}) were not updated: the loop should visit "
                               f"l = 1 .. L, for l in range(1, L + 1)", mixed(lambda p, l: l != last)),
        ("b_not_updated", f"only the weights were updated in {what}, not the biases", mixed(lambda p, l: p == "W")),
        ("w_not_updated", f"only the biases were updated in {what}, not the weights", mixed(lambda p, l: p == "b")),
        ("first_layer_only", f"only layer 1 was updated in {what}: the loop should visit every layer l = 1 .. L",
         mixed(lambda p, l: l == "1")),
    ]


def values_text(got, expected, key):
    """A short comparison of one entry, for a message."""
    g, e = np.ravel(got[key]), np.ravel(expected[key])
    i = int(np.argmax(np.abs(g - e))) if g.size else 0
    return f"{key}: got {g[i]:.6g}, expected {e[i]:.6g} (entry {i})"
