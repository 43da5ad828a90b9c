"""What is special to the gradient checking notebook (week 1).

The shared tests cover the rest: tests/test_contract.py (reference, correct and
wrong versions of tests/implementations/week1/gradient_checking), test_layout.py,
test_solutions.py and test_visible_checks.py. Here: the derivatives behind the
checks agree with numerical gradients; the release's backward pass has exactly the
two planted bugs, and the numbers the text shows for it are what it prints; the
three bands are the same in the text, the messages and the checks; the numbers the
notebook promises; the hidden checks' fixed inputs tell every diagnosis apart;
speed, points, and the visible checks' own messages.
"""

import re
import time

import numpy as np
import pytest

from autograder import numgrad
from autograder.hidden.check import case
from autograder.hidden.common import CheckFailed
from autograder.hidden.week1 import gradient_checking as hidden
from autograder.hidden.week1.gradient_checking import backward_n, n_d, one_d
from autograder.hidden.week1.gradient_checking.shared import ONE_NORM, RETURNED_GRADIENT
from autograder.plugins.release_code import release_source
from autograder.reference.week1 import gradient_checking as ref
from course import data, gradcheck_bands, gradcheck_net, gradcheck_plot, gradcheck_toys
from course.checks.week1 import gradient_checking as checks
from tests import expected_output
from tests.course_map import Notebook
from tests.implementations.week1 import gradient_checking as impl

NAMES = ["forward_propagation", "backward_propagation", "gradient_check", "gradient_check_n",
         "backward_propagation_n", "backward_propagation_with_regularization"]
NOTEBOOK = Notebook("week1", "gradient_checking")
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
PARAM_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")


def _cell(cell_id):
    return "".join(next(c["source"] for c in NOTEBOOK.cells() if c.get("id") == cell_id))


def _cell_by_grade_id(grade_id):
    return next("".join(c["source"]) for c in NOTEBOOK.cells()
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _released(name, **extra):
    """The function `name` as the release notebook shows it, defined in a fresh namespace."""
    source, replaced = release_source(_cell_by_grade_id(name), STUB)
    assert replaced
    namespace = {"np": np, "verdict": gradcheck_bands.verdict, **extra}
    exec(source, namespace)  # noqa: S102
    return namespace[name], source


def _example():
    X, Y, parameters = data.load_gradcheck_example()
    _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
    return X, Y, parameters, cache


# ---------------------------------------------------------------- numerical gradients

def test_backward_propagation_matches_numerical_gradient():
    for x, theta in [(3.0, 4.0), (-1.3, 0.2), (0.7, -2.0)]:
        t = np.array(theta)
        num = numgrad.numerical_gradient(lambda: float(ref.forward_propagation(x, t)), t)
        assert numgrad.relative_error(ref.backward_propagation(x, theta), num) < 1e-7


def test_toy_derivatives_for_the_1d_check():
    """cubic_backward is the derivative of cubic_forward; the other two are off by their factor."""
    for x, theta in [(-0.8, 1.7), (2.5, -0.6), (0.7, -1.4)]:
        t = np.array(theta)
        num = numgrad.numerical_gradient(lambda: float(gradcheck_toys.cubic_forward(x, t)), t)
        for name, factor in gradcheck_toys.BACKWARD_FACTORS.items():
            got = getattr(gradcheck_toys, name)(x, theta)
            assert numgrad.relative_error(got, factor / 3.0 * num) < 1e-7, name
            assert (numgrad.relative_error(got, num) < 1e-7) == (factor == 3.0), name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reference_backward_and_its_l2_twin_match_numerical_gradients(seed):
    X, Y, parameters = data.load_gradcheck_example(seed)
    _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
    for lambd in (0.0, 0.7):
        m = X.shape[1]
        num = numgrad.numerical_param_gradients(
            lambda p: gradcheck_net.forward_propagation_n(X, Y, p)[0]
            + lambd / (2 * m) * sum(np.sum(p[f"W{l}"] ** 2) for l in (1, 2, 3)), parameters)
        got = ref.backward_propagation_with_regularization(X, Y, cache, lambd)
        for k in PARAM_GRADS:
            assert checks._difference(got[k], num[k]) < gradcheck_bands.GREAT, (lambd, k)


def test_release_backward_has_exactly_the_two_planted_bugs():
    """As released, backward_propagation_n is the reference with dW2 twice and db1 four times too big."""
    buggy, source = _released("backward_propagation_n")
    assert "### " not in source and "raise NotImplementedError" not in source
    assert "dW2 = 2. / m * np.dot(dZ2, A1.T)" in source and "db1 = 4. / m * np.sum(dZ1" in source
    for seed in (1, 2, 3):
        X, Y, parameters = data.load_gradcheck_example(seed)
        _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
        got, right = buggy(X, Y, cache), ref.backward_propagation_n(X, Y, cache)
        assert set(got) == set(right)
        for k in right:
            factor = backward_n.PLANTED.get(k, 1.0)
            np.testing.assert_allclose(got[k], factor * right[k], rtol=1e-12, atol=1e-15, err_msg=k)


def test_release_backward_fails_both_checks_naming_both_bugs():
    buggy, _ = _released("backward_propagation_n")
    with pytest.raises(CheckFailed) as info:
        hidden.check_backward_propagation_n(buggy)
    assert info.value.tag == "backward_n.planted_bugs"
    with pytest.raises(AssertionError) as info:
        checks.check_backward_propagation_n(buggy)
    assert "dW2 (difference 0.333: bug, 2 times" in str(info.value)
    assert "db1 (difference 0.6: bug, 4 times" in str(info.value)


def test_release_code_marker_changes_only_regions_that_have_it():
    """Solution regions without `### RELEASE:` lines get nbgrader's stub, exactly as stock ClearSolutions."""
    for grade_id in ("gradient_check", "gradient_check_n", "backward_propagation_with_regularization"):
        source = _cell_by_grade_id(grade_id)
        released, replaced = release_source(source, STUB)
        assert replaced and "    # YOUR CODE HERE\n    raise NotImplementedError()" in released
        assert "BEGIN SOLUTION" not in released and "END SOLUTION" not in released
    assert release_source("x = 1", STUB) == ("x = 1", False)
    with pytest.raises(RuntimeError):
        release_source("### BEGIN SOLUTION\nx = 1\n", STUB)


# ---------------------------------------------------------------- what the text shows for the release

def test_text_shows_what_the_release_backward_prints(capsys):
    """The numbers the text gives for the unfixed backward pass (not an Expected output: the source is fixed)."""
    buggy, _ = _released("backward_propagation_n")
    X, Y, parameters, cache = _example()
    gradients = buggy(X, Y, cache)
    ref.gradient_check_n(parameters, gradients, X, Y, 1e-7, True)
    printed = capsys.readouterr().out.strip()
    assert f"`{printed}`" in _cell("gradient-check-n-run"), printed
    lines = [f"d{key:<3} difference = {diff:.2e}   {gradcheck_bands.band(diff)}" for key, diff in
             gradcheck_net.per_parameter_differences(ref.gradient_check_n, parameters, gradients, X, Y).items()]
    shown = re.search(r"```\n(.*?)```", _cell("locate-read"), re.DOTALL).group(1).strip()
    assert expected_output.mismatch(shown, "\n".join(lines)) is None, "\n".join(lines)


# ---------------------------------------------------------------- the three bands

def test_bands():
    band = gradcheck_bands.band
    assert [band(d) for d in (0.0, 9.9e-8, 1e-7, 1e-5, 9.9e-4, 1e-3, 0.3, float("nan"))] == \
        ["great", "great", "inspect", "inspect", "inspect", "bug", "bug", "bug"]
    assert band(np.array([[2e-9]])) == "great"
    assert "mistake" not in gradcheck_bands.MESSAGES["inspect"].lower()
    assert gradcheck_bands.verdict(1e-5).startswith(gradcheck_bands.MESSAGES["inspect"])
    assert gradcheck_bands.verdict(0.2850931).endswith("difference = 0.285")


def test_the_text_shows_the_bands_of_the_module():
    text = _cell("epsilon-discussion")
    assert gradcheck_bands.GREAT == 1e-7 and gradcheck_bands.BUG == 1e-3
    rows = [line for line in text.splitlines() if line.startswith("| ") and "10^{" in line]
    assert len(rows) == 3
    for row, (key, message) in zip(rows, gradcheck_bands.MESSAGES.items()):
        assert f"`{message}`" in row, (key, row)
    assert "10^{-7}" in rows[0] and "10^{-7}" in rows[1] and "10^{-3}" in rows[1] and "10^{-3}" in rows[2]


def test_graded_functions_print_the_verdict():
    for grade_id in ("gradient_check", "gradient_check_n"):
        released, _ = release_source(_cell_by_grade_id(grade_id), STUB)
        assert "    if print_msg:\n        print(verdict(difference))\n    return difference" in released


# ---------------------------------------------------------------- the notebook's numbers

def test_notebook_numbers(capsys):
    """What the Expected outputs and the text show: 3 significant digits, the tiny ones as orders of magnitude."""
    assert 7.8e-12 < ref.gradient_check(3, 4, print_msg=True) < 7.8e-10
    X, Y, parameters, cache = _example()
    assert 1e-10 < ref.gradient_check_n(parameters, ref.backward_propagation_n(X, Y, cache), X, Y, print_msg=True) < 1e-8
    planted = ref.gradient_check_n(parameters, checks._planted(ref.backward_propagation_n(X, Y, cache)), X, Y)
    assert planted == pytest.approx(checks.N_PLANTED, rel=1e-9)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Your backward propagation works perfectly fine! difference = 7.8")
    assert out[1].startswith("Your backward propagation works perfectly fine! difference = 1")


def test_the_l2_check_needs_the_l2_term_in_the_cost():
    """What the text says: against the plain cross-entropy a correct L2 backward is a bug, a missing term passes."""
    X, Y, parameters, cache = _example()
    lambd, m = 0.7, X.shape[1]

    def l2_cost(X, Y, p):
        cost, c = gradcheck_net.forward_propagation_n(X, Y, p)
        return cost + lambd / (2 * m) * sum(np.sum(np.square(p[f"W{l}"])) for l in (1, 2, 3)), c

    with_term = ref.backward_propagation_with_regularization(X, Y, cache, lambd)
    without = ref.backward_propagation_n(X, Y, cache)
    assert gradcheck_bands.band(ref.gradient_check_n(parameters, with_term, X, Y)) == "bug"
    assert gradcheck_bands.band(ref.gradient_check_n(parameters, without, X, Y)) == "great"
    with gradcheck_net.using_forward(ref.gradient_check_n, l2_cost):
        assert gradcheck_bands.band(ref.gradient_check_n(parameters, with_term, X, Y)) == "great"
        assert gradcheck_bands.band(ref.gradient_check_n(parameters, without, X, Y)) == "bug"
    assert ref.forward_propagation_n is gradcheck_net.forward_propagation_n


def test_using_forward_puts_the_name_back_after_an_error():
    namespace = {}
    exec("def f():\n    return forward_propagation_n()\n", namespace)  # noqa: S102
    with pytest.raises(ZeroDivisionError):
        with gradcheck_net.using_forward(namespace["f"], lambda: 1 / 0):
            namespace["f"]()
    assert "forward_propagation_n" not in namespace


def test_the_epsilon_plot_is_svg_without_matplotlib():
    eps = np.logspace(-13, -1, 9)
    svg = gradcheck_plot.loglog([gradcheck_plot.Series(eps, eps, "a", marker="o"),
                                 gradcheck_plot.Series(eps, np.where(eps > 1e-6, eps, 0.0), "b", line="dashed")],
                                xlim=(1e-13, 1e-1), ylim=(1e-17, 1e1), vline=(1e-7, "ε = 1e-7"), title="t")
    assert svg._repr_svg_().startswith("<svg") and svg.count("<polyline") == 2 and svg.count("<circle") == 9
    assert "matplotlib" not in _cell("setup") + _cell("epsilon-plot")


# ---------------------------------------------------------------- the hidden checks' fixed inputs

def test_net_cases_are_well_conditioned():
    """The nets of check_gradient_check_n: correct gradients give a tiny difference at epsilon=1e-7, a
    clearly larger one at 1e-2, and every diagnosis candidate is distinct there. (||grad - gradapprox||
    / ||grad + gradapprox|| equals the right value to second order when the gradients are right; the
    buggy-gradient cases of the check tell them apart.)"""
    for dims, m, seed in n_d.NET_CASES:
        X, Y, parameters, grads = n_d.net_case(dims, m, seed)
        assert ref.gradient_check_n(parameters, grads, X, Y) < 5e-9
        big = ref.gradient_check_n(parameters, grads, X, Y, n_d.BIG_EPS)
        assert big > 1e-6
        candidates = {message: value for message, value, _ in n_d.n_candidates(parameters, grads, X, Y, n_d.BIG_EPS)
                      if message != ONE_NORM and "||grad + gradapprox||" not in message}
        values = [big] + list(candidates.values())
        for i, a in enumerate(values):
            for b in values[i + 1:]:
                assert abs(a - b) > 1e-4 * max(abs(a), abs(b)), (dims, values)


def test_backward_nets_show_every_mistake():
    """On every net of the backward checks each parameter gradient is nonzero (a stray factor shows), and a
    ReLU input is never within 1e-5 of its kink (the numerical gradients are exact); m = 1 only last."""
    for dims, m, seed in backward_n.NETS:
        X, Y, parameters, cache = backward_n._net_case(dims, m, seed)
        grads = ref.backward_propagation_n(X, Y, cache)
        assert all(np.any(np.abs(grads[k]) > 1e-6) for k in PARAM_GRADS), (dims, m)
        assert np.min(np.abs(cache[0])) > 1e-5 and np.min(np.abs(cache[4])) > 1e-5
    assert [m for _, m, _ in backward_n.NETS].index(1) == len(backward_n.NETS) - 1


def test_one_d_candidates_are_distinct():
    """No diagnosis of check_gradient_check coincides with the right value on its correct-backprop
    cases, and on the first case (where a mistake first shows) they are all told apart."""
    cases = [c for c in hidden.check_gradient_check.cases()
             if c["meta"]["step"] == "value" and c["meta"]["backward"] == "cubic_backward"]
    assert len(cases) == 3
    for k, c in enumerate(cases):
        x, theta, eps = c["args"]
        right = one_d.reference_difference(c)
        candidates = one_d.gradient_check_candidates(x, theta, eps, 3.0)
        for message, value, _ in candidates:
            assert abs(value - right) > 1e-4 * abs(right), (x, theta, message)
        if k == 0:
            distinct = {message: value for message, value, _ in candidates
                        if message not in (ONE_NORM, RETURNED_GRADIENT)}   # two candidates, one message each
            values = list(distinct.values())
            for i, a in enumerate(values):
                for b in values[i + 1:]:
                    assert abs(a - b) > 1e-4 * max(abs(a), abs(b)), values


def test_visible_numbers_are_the_reference_ones():
    x, theta, eps = checks.CUBIC_CASE
    c = case(x, theta, eps, globals=one_d._toys("cubic_backward"))
    assert one_d.reference_difference(c) == pytest.approx(checks.CUBIC_TWO_SIDED, rel=1e-9)
    one_sided = [v for _, v, tag in one_d.gradient_check_candidates(x, theta, eps, 3.0) if tag == "gradcheck.one_sided"]
    assert one_sided == pytest.approx(list(checks.CUBIC_ONE_SIDED), rel=1e-9)
    X, Y, parameters, cache = _example()
    grads = ref.backward_propagation_n(X, Y, cache)
    assert ref.gradient_check_n(parameters, grads, X, Y, checks.N_BIG_EPS) == pytest.approx(checks.N_TWO_SIDED, rel=1e-9)
    one_sided = [v for _, v, tag in n_d.n_candidates(parameters, grads, X, Y, checks.N_BIG_EPS)
                 if tag == "gradcheck_n.one_sided"]
    assert one_sided == pytest.approx(list(checks.N_ONE_SIDED), rel=1e-9)
    expected = ref.backward_propagation_with_regularization(X, Y, cache, checks.L2_LAMBDA)
    for k in PARAM_GRADS:
        np.testing.assert_allclose(checks.L2_EXPECTED[k], expected[k], rtol=1e-8, atol=1e-9, err_msg=k)


def test_gradient_check_on_a_namespace_without_the_1d_functions():
    """gradient_check defined before forward/backward_propagation: the check still runs (its toys are
    rebound for each call) and leaves no global behind."""
    namespace = {"np": np, "verdict": gradcheck_bands.verdict}
    exec(_cell_by_grade_id("gradient_check"), namespace)  # noqa: S102
    hidden.check_gradient_check(namespace["gradient_check"])
    assert "forward_propagation" not in namespace and "backward_propagation" not in namespace


@pytest.mark.parametrize("name", NAMES)
def test_hidden_checks_are_fast(name):
    check, fn = getattr(hidden, f"check_{name}"), getattr(ref, name)
    check(fn)   # warm up imports
    start = time.perf_counter()
    check(fn)
    assert time.perf_counter() - start < 1.0, name


# ---------------------------------------------------------------- notebook structure

def test_notebook_points():
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
              for c in NOTEBOOK.cells() if c["metadata"].get("nbgrader", {}).get("grade")}
    assert points == {"test_forward_propagation": 1, "test_backward_propagation": 1,
                      "test_gradient_check": 2, "test_gradient_check_n": 3,
                      "test_backward_propagation_n": 2, "test_backward_propagation_with_regularization": 2}


def test_nothing_provided_holds_the_fixed_backward():
    """The fix is the student's: course/ has no backward pass of this net but course.nn's general one."""
    assert not hasattr(gradcheck_net, "backward_propagation_n")
    assert not hasattr(gradcheck_net, "backward_propagation_n_fixed")
    source = "\n".join("".join(c["source"]) for c in NOTEBOOK.cells())
    assert "_fixed" not in source and "dW2_factor" not in source


# ---------------------------------------------------------------- the visible checks' messages

@pytest.mark.parametrize("name,fn,expected", [
    ("forward_propagation", impl.forward_sum, "J = theta * x"),
    ("forward_propagation", impl.forward_no_return, "returned None"),
    ("backward_propagation", impl.backward_returns_theta, "derivative of theta * x"),
    ("gradient_check", impl.gradient_check_one_sided, "one-sided difference"),
    ("gradient_check", impl.gradient_check_missing_2, "divide by 2 * epsilon"),
    ("gradient_check", impl.gradient_check_returns_bool, "returned a bool"),
    ("gradient_check", impl.gradient_check_precedence, "parentheses"),
    ("gradient_check", impl.gradient_check_hardcoded_J, "theta**3 * x"),
    ("gradient_check_n", impl.gradient_check_n_one_sided, "one-sided difference"),
    ("gradient_check_n", impl.gradient_check_n_no_copy, "np.copy"),
    ("gradient_check_n", impl.gradient_check_n_mutates, "changed the parameters dict"),
    ("gradient_check_n", impl.gradient_check_n_sum_denominator, "0.285093"),
    ("backward_propagation_n", impl.backward_n_dw2_bug_left, "dW2 (difference 0.333: bug, 2 times"),
    ("backward_propagation_n", impl.backward_n_db1_bug_left, "db1 (difference 0.6: bug, 4 times"),
    ("backward_propagation_n", impl.backward_n_no_1_over_m, "dW1 (difference 0.5: bug, 3 times"),
    ("backward_propagation_n", impl.backward_n_transposed, "dW1 has shape (4, 5)"),
    ("backward_propagation_with_regularization", impl.l2_no_term, "no regularization term"),
    ("backward_propagation_with_regularization", impl.l2_half, "adds half the term"),
    ("backward_propagation_with_regularization", impl.l2_no_m, "divide by m"),
    ("backward_propagation_with_regularization", impl.l2_biases_too, "the biases are not in the L2 cost"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_visible_check_fails_on_wrong_version(name, fn, expected):
    with pytest.raises(AssertionError) as info:
        getattr(checks, f"check_{name}")(fn)
    assert expected in str(info.value), str(info.value)
