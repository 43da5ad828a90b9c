"""Run a student's function on the grader's cases and report plain answers.

A case is a dict (all keys optional but args):

    {"args": [...], "kwargs": {...},
     "seed": 3,                 # np.random.seed(3) just before the call (absent: the RNG goes on as it is)
     "globals": {"forward_propagation": Ref("course.gradcheck_toys:cubic_forward")},
                                # names rebound in the function's module (the notebook) during the call
     "spy": ["forward_propagation_n"],   # record the arguments of every call to these globals
     "keep_args": True,         # also report the arguments as they are after the call
     "jax": {"x64": True,       # JAX functions (week 3): the call runs with 64-bit floats (jax.enable_x64)
             "grad": [1],       # also jax.grad of the output w.r.t. these positional arguments: of
             "cotangent": G}}   # sum(G * output) when G is given, of the output itself (a scalar) if not

`Ref("module:name")` values, in args, kwargs or globals, are resolved to the
provided function `name` of a module of `course`; `Ref("notebook:name")` is the
student's own `name` (looked up in the function's globals).

The answer of one case is a dict: {"value": returned} or {"error": {"type", "message"}},
plus "stdout" (what the call printed), "spy" and "args_after" when asked for.
An error also carries "where", the line of the student's code it came from. With
"jax", JAX arrays in the value come back as NumPy arrays. When a gradient is asked
for, the value and the gradient come from one jax.jit-compiled jax.value_and_grad
(one compilation per case, instead of one per operation and shape); the answer
holds "grad" (one entry per argument: the gradient, shaped like the argument,
dicts as dicts), or "grad_error", what tracing or differentiating raised, and then
the value of a plain call (so a function that calls NumPy on a traced array gets
its values judged, and its gradient reported as not traceable).
JAX is imported only for a case that has "jax": weeks 1 and 2 never load it.
The global NumPy RNG is restored after all cases; warnings are silenced.

Grading (`answer`) runs in the student's kernel: it displays the answers as a
`MIME` output, which the grader reads, judges and removes. Nothing here decides
a grade, and nothing here is secret.
"""

import contextlib
import copy
import importlib
import io
import os
import sysconfig
import traceback
import warnings

import numpy as np

from course.grading import wire

MIME = "application/vnd.autograder.answers+json"
MAX_STDOUT = 20_000       # characters of printed text kept per case
MAX_SPY_CALLS = 5_000     # recorded calls per spied name and case


def _resolve(ref, namespace):
    module, _, name = str(ref).partition(":")
    if module == "notebook":
        if name not in namespace:
            raise NameError(f"name '{name}' is not defined")
        return namespace[name]
    if module != "course" and not module.startswith("course."):
        raise ValueError(f"only functions of the course package can be named, not {ref}")
    return getattr(importlib.import_module(module), name)


def _resolved(value, namespace):
    if isinstance(value, wire.Ref):
        return _resolve(value, namespace)
    if isinstance(value, list):
        return [_resolved(v, namespace) for v in value]
    if isinstance(value, tuple):
        return tuple(_resolved(v, namespace) for v in value)
    if isinstance(value, dict):
        return {k: _resolved(v, namespace) for k, v in value.items()}
    return value


def _snapshot(value):
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001
        return wire.Unsupported(type(value).__name__)


class _Spy:
    def __init__(self, fn):
        self.fn, self.calls = fn, []

    def __call__(self, *args, **kwargs):
        if len(self.calls) < MAX_SPY_CALLS:
            self.calls.append({"args": _snapshot(list(args)), "kwargs": _snapshot(kwargs)})
        return self.fn(*args, **kwargs)


@contextlib.contextmanager
def rebound(namespace, replacements):
    """Temporarily set names in namespace (a module's or notebook's globals)."""
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


_LIBRARY_DIRS = tuple({os.path.realpath(p) for p in (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"],
                                                      sysconfig.get_paths()["platlib"], os.path.dirname(__file__))})


def _student_line(exc):
    """The source line of the innermost frame of exc's traceback outside the libraries (the student's code)."""
    line = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = os.path.realpath(frame.filename or "")
        if not path.startswith(_LIBRARY_DIRS) and "site-packages" not in path and frame.line:
            line = frame.line.strip()
    return line[:300]


def _error(exc):
    out = {"type": type(exc).__name__, "message": str(exc)[:2000]}
    where = _student_line(exc)
    if where:
        out["where"] = where
    return out


def _x64(jax, on):
    """A context in which JAX computes with 64-bit floats (or its default 32 bits)."""
    enable = getattr(jax, "enable_x64", None)
    if enable is None:  # JAX before 0.5
        enable = importlib.import_module("jax.experimental").enable_x64
    return enable(bool(on))


def _to_numpy(value, jax):
    """value with every JAX array (in lists, tuples, dicts) turned into a NumPy array."""
    if isinstance(value, jax.Array):
        return np.asarray(value)
    if isinstance(value, list):
        return [_to_numpy(v, jax) for v in value]
    if isinstance(value, tuple):
        return tuple(_to_numpy(v, jax) for v in value)
    if isinstance(value, dict):
        return {k: _to_numpy(v, jax) for k, v in value.items()}
    return value


_COMPILED = {}   # (fn, argnums, with cotangent) -> jitted value_and_grad, reused by later cases of that shape


def _scalar_of(jax, fn, argnums, kwargs, with_cotangent, concrete_args=None):
    """f(cotangent, *diff_or_all_args) -> (scalar to differentiate, fn's output)."""
    jnp = jax.numpy

    def scalar(cotangent, *xs):
        full = list(xs) if concrete_args is None else list(concrete_args)
        if concrete_args is not None:
            for i, a in zip(argnums, xs):
                full[i] = a
        out = fn(*full, **kwargs)
        return (jnp.sum(cotangent * out) if with_cotangent else jnp.sum(out)), out
    return scalar


def _value_and_gradient(jax, fn, args, kwargs, spec):
    """(fn's output, jax.grad of it w.r.t. args[i] for i in spec["grad"]), compiled with jax.jit.

    The scalar differentiated is sum(cotangent * output), or the output itself (of size 1) without a
    cotangent. First every argument is traced (one compilation per function and shape, kept for the
    next cases); if that fails, only the differentiated arguments are, the others stay concrete, as
    under jax.grad, and what that raises is the answer.
    """
    argnums = tuple(int(i) for i in spec["grad"])
    cotangent = spec.get("cotangent")
    with_cotangent = cotangent is not None
    cotangent = np.asarray(cotangent if with_cotangent else 0.0)
    key = (fn, argnums, with_cotangent)
    try:
        if kwargs:
            raise TypeError("keyword arguments: no shared compilation")
        step = _COMPILED.get(key)
        if step is None:
            scalar = _scalar_of(jax, fn, argnums, {}, with_cotangent)
            step = jax.jit(jax.value_and_grad(scalar, argnums=tuple(1 + i for i in argnums), has_aux=True))
            if len(_COMPILED) > 32:
                _COMPILED.clear()
            _COMPILED[key] = step
        (_, out), grads = step(cotangent, *args)
    except Exception:  # noqa: BLE001 (not traceable with every argument traced: try as jax.grad would)
        scalar = _scalar_of(jax, fn, argnums, kwargs, with_cotangent, concrete_args=args)
        step = jax.jit(jax.value_and_grad(scalar, argnums=tuple(range(1, 1 + len(argnums))), has_aux=True))
        (_, out), grads = step(cotangent, *[args[i] for i in argnums])
    return _to_numpy(out, jax), _to_numpy(list(grads), jax)


def run_case(fn, case):
    """One case: call fn as the case says. Returns the answer dict."""
    namespace = getattr(fn, "__globals__", {})
    out = io.StringIO()
    answer = {}
    try:
        args = _resolved(list(case.get("args", [])), namespace)
        kwargs = _resolved(dict(case.get("kwargs", {})), namespace)
        replacements = {k: _resolve(v, namespace) for k, v in case.get("globals", {}).items()}
        spies = {}
        for name in case.get("spy", []):
            target = replacements.get(name, namespace.get(name))
            if target is None:
                raise NameError(f"name '{name}' is not defined")
            spies[name] = replacements[name] = _Spy(target)
    except Exception as exc:  # noqa: BLE001 (the case cannot be set up in this notebook)
        return {"error": _error(exc), "setup": True}
    spec = case.get("jax")
    jax = importlib.import_module("jax") if spec is not None else None
    if case.get("seed") is not None:
        np.random.seed(case["seed"])
    with rebound(namespace, replacements), contextlib.redirect_stdout(out), \
            np.errstate(all="ignore"), warnings.catch_warnings(), \
            (_x64(jax, spec.get("x64")) if spec is not None else contextlib.nullcontext()):
        warnings.simplefilter("ignore")
        if spec is not None and spec.get("grad") is not None:
            try:
                answer["value"], answer["grad"] = _value_and_gradient(jax, fn, args, kwargs, spec)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 (not traceable: the plain call says more)
                answer["grad_error"] = _error(exc)
        if "value" not in answer:
            try:
                value = fn(*args, **kwargs)
                answer["value"] = value if jax is None else _to_numpy(value, jax)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 (whatever the student's code raises)
                answer = {"error": _error(exc)}
    answer["stdout"] = out.getvalue()[:MAX_STDOUT]
    if spies:
        answer["spy"] = {name: spy.calls for name, spy in spies.items()}
    if case.get("keep_args"):
        answer["args_after"] = args
    return answer


def _plain(answer):
    """The answer if it can travel, else an error saying why not."""
    try:
        wire.dumps(answer, limit=wire.MAX_BYTES // 4)
        return answer
    except wire.WireError as exc:
        return {"error": {"type": "AnswerTooLarge", "message": f"the returned value is too large to check ({exc})"},
                "stdout": answer.get("stdout", "")[:2000]}


def run_cases(fn, cases):
    """Answers of every case, in order; the global NumPy RNG is as before afterwards."""
    state = np.random.get_state()
    try:
        return [_plain(run_case(fn, case)) for case in cases]
    finally:
        np.random.set_state(state)


def answer(token, fn, payload):
    """Kernel side of a hidden test: run the cases in payload (wire text), display the answers."""
    from IPython.display import display
    try:
        text = wire.dumps(run_cases(fn, wire.loads(payload)))
    except wire.WireError as exc:
        text = wire.dumps([{"error": {"type": "AnswerTooLarge", "message": str(exc)}}])
    display({MIME: {"token": token, "answers": text}}, raw=True)
