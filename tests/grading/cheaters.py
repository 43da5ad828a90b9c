"""Students who try to take points they did not earn, as submission recipes (autograder/commands/samples.py).

Each writes no correct initializer. Every one of them must score 0 on the
initialization notebook when graded by the real `nbgrader autograde` in the sandbox.
"""

STUBS = {name: f"# GRADED FUNCTION: {name}\ndef {name}(layers_dims):\n    raise NotImplementedError()\n"
         for name in ("initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he")}

# Swallows every exception: IPython's custom exception handler returns nothing.
SWALLOW = '''get_ipython().set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)
'''

# Calls "the grader's own" function of the same name, found anywhere in memory.
FIND_IN_MEMORY = '''# GRADED FUNCTION: {name}
def {name}(layers_dims):
    import gc, sys
    me = {name}
    for module in list(sys.modules.values()):
        f = getattr(module, "{name}", None)
        if callable(f) and f is not me:
            return f(layers_dims)
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") == "{name}" and obj is not me:
            return obj(layers_dims)
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "W1" in obj and "b1" in obj:
            return obj
    raise NotImplementedError()
'''

# Stops IPython from reporting errors, and drops error outputs (and the grader's runner display).
HIDE_ERRORS = '''ip = get_ipython()
ip.showtraceback = lambda *args, **kwargs: None
ip._showtraceback = lambda *args, **kwargs: None
ip.showsyntaxerror = lambda *args, **kwargs: None
import IPython.display
IPython.display.display = lambda *args, **kwargs: None
def _clean(result):
    result.error_in_exec = None
    result.error_before_exec = None
ip.events.register("post_run_cell", _clean)
'''

# Every NumPy comparison says "equal", and assertions never fire.
PATCH_NUMPY = '''import numpy as np, builtins
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.testing.assert_allclose = lambda *a, **k: None
builtins.AssertionError = type("AssertionError", (Exception,), {})
'''

_ANCHOR = "initialize_parameters_zeros"   # the first solution cell of the notebook

CHEATERS = {
    "swallows-exceptions": {"answers": dict(STUBS), "insert_after": {_ANCHOR: SWALLOW}},
    "finds-answers-in-memory": {"answers": {n: FIND_IN_MEMORY.format(name=n) for n in STUBS}},
    "hides-errors": {"answers": dict(STUBS), "insert_after": {_ANCHOR: HIDE_ERRORS}},
    "patches-numpy": {"answers": dict(STUBS), "insert_after": {_ANCHOR: PATCH_NUMPY}},
}
