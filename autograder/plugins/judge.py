"""Hidden checks judged outside the student's kernel.

A hidden test block in a source notebook reads

    ### BEGIN HIDDEN TESTS
    from autograder.hidden.week1.initialization import check_initialize_parameters_he
    check_initialize_parameters_he(initialize_parameters_he)
    ### END HIDDEN TESTS

Each `check_<name>` is an autograder.hidden.check.Check: cases plus a judge.

`PrepareJudgedCells` (before execution) builds each check's cases here, in the
grader, and rewrites the test cell so that the kernel receives only the case
inputs: the hidden block becomes calls of the provided runner,
`course.grading.runner.answer(token, fn, payload)`, which calls the student's
function on each case and displays the answers as plain data (no pickle). The
visible part of the cell runs first, inside try/finally, so the answers arrive
even when a visible check fails. No check, no reference and no expected answer
enters the kernel.

`JudgeCells` (right after execution) takes the answer outputs out of each such
cell, judges them here and writes the cell's outcome: a failed or missing
verdict appends an error output with the check's message, so nbgrader scores
the cell 0; otherwise the cell keeps what the kernel printed. The cell's
source goes back to the instructor's. Whether or how the kernel raised decides
nothing in the student's favour: exception hooks, IPython events, patched NumPy
or rewritten outputs in the kernel can only lose points. Verdicts (pass/fail,
mistake tag, message) go to the sidecar and to resources["autograder"]["verdicts"].
"""

import importlib
import secrets
import textwrap

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.hidden.check import Check, Verdict, public
from autograder.plugins.cells import HIDDEN_BLOCK, grade_id, hidden_calls, is_instructor_test
from autograder.plugins.sidecar import resources_sidecar_path, update_sidecar
from course.grading import wire
from course.grading.runner import MIME

PLAN = "judge_plan"      # resources["autograder"][PLAN]: grade_id -> what PrepareJudgedCells sent
RUNNER = "_autograder_runner"


def error_output(ename, evalue):
    """An error output with a one-line traceback (no frames, no source)."""
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def load_check(module, name):
    check = getattr(importlib.import_module(module), name, None)
    if not isinstance(check, Check):
        raise LookupError(f"{module}.{name} is not a hidden check")
    return check


def kernel_source(visible, calls):
    """The test cell as the kernel runs it: the visible part, then the runner calls.

    The runner also runs when the visible part fails (so the judge can name the
    mistake), but not when it was interrupted: a cell over its time limit stops.
    """
    runner = [f"import course.grading.runner as {RUNNER}"]
    runner += [f"{RUNNER}.answer({c['token']!r}, {c['arg']}, {c['payload']!r})" for c in calls]
    runner = "\n".join(runner + [f"del {RUNNER}"])
    visible = visible.strip()
    if not visible:
        return runner + "\n"
    return ("try:\n" + textwrap.indent(visible, "    ") + "\nexcept KeyboardInterrupt:\n    raise\n"
            "except BaseException:\n" + textwrap.indent(runner, "    ") + "\n    raise\nelse:\n"
            + textwrap.indent(runner, "    ") + "\n")


class PrepareJudgedCells(NbGraderPreprocessor):
    """Hidden blocks become runner calls carrying the cases (see the module docstring)."""

    def preprocess(self, nb, resources):
        plan = resources.setdefault("autograder", {}).setdefault(PLAN, {})
        for cell in nb.cells:
            if not is_instructor_test(cell) or not HIDDEN_BLOCK.search(cell.source):
                continue
            gid = grade_id(cell)
            calls = []
            for module, name, args in hidden_calls(cell.source):
                check = load_check(module, name)
                cases = check.cases()
                calls.append({"module": module, "check": name, "arg": args[0], "cases": cases,
                              "token": secrets.token_hex(8), "payload": wire.dumps(public(cases))})
            plan[gid] = {"source": cell.source, "calls": calls}
            cell.source = kernel_source(HIDDEN_BLOCK.sub("", cell.source), calls)
        return nb, resources


def _answer_outputs(cell):
    """(answer outputs by token, the other outputs) of an executed cell."""
    answers, others = {}, []
    for out in cell.get("outputs", []):
        data = out.get("data", {}) if out.get("output_type") in ("display_data", "execute_result") else {}
        if MIME in data:
            body = data[MIME]
            token = body.get("token") if isinstance(body, dict) else None
            answers.setdefault(token, []).append(body)
        else:
            others.append(out)
    return answers, others


def judge_call(call, found, cell_errors):
    """The verdict of one check call from the answer outputs found for its token."""
    check = load_check(call["module"], call["check"])
    prefix, name = check.prefix, check.name
    if not found:
        why = (f"the cell stopped before its hidden checks reported ({cell_errors[0]})" if cell_errors
               else "the hidden checks never reported back (was the cell's output changed or an error hidden?)")
        return Verdict(False, f"{prefix}.no_answers", f"{name}: {why}")
    if len(found) > 1:
        return Verdict(False, f"{prefix}.duplicate_answers",
                       f"{name}: the grader received {len(found)} answers to one check; was the output tampered with?")
    try:
        answers = wire.loads(found[0].get("answers"))
    except wire.WireError as exc:
        return Verdict(False, f"{prefix}.malformed_answers", f"{name}: the answers could not be read ({exc})")
    return check.verdict(call["cases"], answers)


class JudgeCells(NbGraderPreprocessor):
    """Judge the answers of every planned cell here and write its outcome (see the module docstring)."""

    def preprocess(self, nb, resources):
        info = resources.setdefault("autograder", {})
        plan = info.get(PLAN, {})
        verdicts = {}
        for cell in nb.cells:
            gid = grade_id(cell)
            if gid not in plan or not is_instructor_test(cell):
                continue
            found, others = _answer_outputs(cell)
            errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in others if o.get("output_type") == "error"]
            results = [judge_call(call, found.get(call["token"], []), errors) for call in plan[gid]["calls"]]
            cell.outputs = others
            for verdict in results:
                if not verdict.passed and not (verdict.tag.endswith(".no_answers") and errors):
                    cell.outputs.append(error_output("CheckFailed", verdict.message))
            cell.source = plan[gid]["source"]
            verdicts[gid] = [{"check": call["check"], "passed": v.passed, "tag": v.tag, "message": v.message}
                             for call, v in zip(plan[gid]["calls"], results)]
        info["verdicts"] = verdicts
        if verdicts and "nbgrader" in resources:
            update_sidecar(resources_sidecar_path(self, resources), verdicts=verdicts)
        return nb, resources
