"""The kernel-side runner's JAX cases (course/grading/runner.py, "jax" in a case), in-process.

- A case without "jax" never imports JAX (weeks 1 and 2 kernels do not pay for it).
- With "jax": JAX arrays come back as NumPy arrays; with "grad", the value and jax.grad of the
  output (or of sum(cotangent * output)) w.r.t. the named arguments, dicts as dicts, in float64
  under "x64"; the x64 setting is as before afterwards.
- A function that calls NumPy on a traced array: its value still comes back (from a plain
  call), and "grad_error" names the error and the student's line.
- Compiled value-and-gradient functions are reused by later cases of the same function and shape;
  an argument that is not differentiated stays concrete (NumPy may read it), as under jax.grad.
- Everything travels through the wire format (no pickle).
"""

import subprocess
import sys

import numpy as np
import pytest

from course.grading import runner, wire

jax = pytest.importorskip("jax")
jnp = jax.numpy


def _linear(X, parameters):
    return jnp.dot(parameters["W"], X) + parameters["b"]


def _numpy_relu(X, parameters):
    Z = jnp.dot(parameters["W"], X) + parameters["b"]
    return np.maximum(0, Z)


def _cost(z, Y):
    return jnp.sum((z - Y) ** 2) / z.shape[1]


def _run(fn, case):
    return wire.roundtrip(runner.run_cases(fn, wire.roundtrip([case])))[0]


RNG = np.random.RandomState(0)
X, W, b, G = RNG.randn(3, 4), RNG.randn(2, 3), RNG.randn(2, 1), RNG.randn(2, 4)


def test_cases_without_jax_never_import_it():
    code = ("import sys\nfrom course.grading import runner\n"
            "answers = runner.run_cases(lambda x: x * 2, [{'args': [3.0]}])\n"
            "assert answers[0]['value'] == 6.0, answers\nprint('jax' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_value_and_gradient_of_a_dict_argument_with_a_cotangent():
    answer = _run(_linear, {"args": [X, {"W": W, "b": b}], "jax": {"x64": True, "grad": [1], "cotangent": G}})
    assert isinstance(answer["value"], np.ndarray) and answer["value"].dtype == np.float64
    np.testing.assert_allclose(answer["value"], W @ X + b, rtol=1e-12)
    (grad,) = answer["grad"]
    assert set(grad) == {"W", "b"}
    np.testing.assert_allclose(grad["W"], G @ X.T, rtol=1e-12)
    np.testing.assert_allclose(grad["b"], G.sum(axis=1, keepdims=True), rtol=1e-12)
    assert not jax.config.jax_enable_x64, "the runner left 64-bit floats on"


def test_scalar_output_and_float32_without_x64():
    Y = RNG.randn(2, 4)
    answer = _run(_cost, {"args": [G, Y], "jax": {"grad": [0]}})
    assert answer["value"].dtype == np.float32
    np.testing.assert_allclose(answer["grad"][0], 2 * (G - Y) / 4, rtol=1e-5)


def test_arguments_not_differentiated_stay_concrete_as_under_jax_grad():
    def cost_with_numpy_labels(z, Y):
        labels = np.asarray(Y).argmax(axis=0)      # NumPy on Y is fine: jax.grad does not trace Y
        return -jnp.sum(z[labels, np.arange(z.shape[1])]) / z.shape[1]
    Y = np.eye(2)[:, [0, 1, 1, 0]]
    answer = _run(cost_with_numpy_labels, {"args": [G, Y], "jax": {"x64": True, "grad": [0]}})
    assert "grad_error" not in answer, answer
    np.testing.assert_allclose(answer["grad"][0], -Y / 4, rtol=1e-12)


def test_compilations_are_reused_by_cases_of_the_same_shape():
    runner._COMPILED.clear()
    case = {"args": [X, {"W": W, "b": b}], "jax": {"x64": True, "grad": [1], "cotangent": G}}
    for _ in range(4):
        answer = _run(_linear, case)
        assert "grad" in answer
    (step,) = runner._COMPILED.values()
    assert step._cache_size() == 1   # traced and compiled once for the four cases


def test_jax_array_values_come_back_as_numpy_without_grad():
    answer = _run(lambda x: {"double": jnp.asarray(x) * 2, "n": 3}, {"args": [np.ones(2)], "jax": {}})
    assert isinstance(answer["value"]["double"], np.ndarray) and answer["value"]["n"] == 3
    # without "jax" a JAX array cannot travel: the grader sees what it was
    plain = _run(lambda x: jnp.asarray(x) * 2, {"args": [np.ones(2)]})
    assert isinstance(plain["value"], wire.Unsupported) and "Array" in plain["value"].type_name


def test_numpy_on_a_traced_array_reports_the_line_and_keeps_the_value():
    answer = _run(_numpy_relu, {"args": [X, {"W": W, "b": b}], "jax": {"x64": True, "grad": [1], "cotangent": G}})
    np.testing.assert_allclose(answer["value"], np.maximum(0, W @ X + b), rtol=1e-12)
    assert "grad" not in answer
    assert answer["grad_error"]["type"] == "TracerArrayConversionError"
    assert answer["grad_error"]["where"] == "return np.maximum(0, Z)"


def test_an_error_in_the_plain_call_is_the_answer():
    def broken(X, parameters):
        raise NotImplementedError()
    answer = _run(broken, {"args": [X, {"W": W, "b": b}], "jax": {"grad": [1], "cotangent": G}})
    assert answer["error"]["type"] == "NotImplementedError"
    assert answer["error"]["where"] == "raise NotImplementedError()"
