"""A hidden check is cases plus a judge.

    check_foo = Check("foo", prefix="foo", cases=foo_cases, judge=foo_judge)

- `cases()` builds the inputs in the grader's process, deterministically (its own
  seeded RandomState): a list of case dicts in course.grading.runner's format. A
  case's "meta" entry is the judge's own (for example which bug a case planted);
  it never reaches the student's kernel.
- `judge(cases, answers)` compares the answers (plain data, one per case) with
  the reference, and calls `fail(name, message, tag)` on the first mistake.

`check.verdict(cases, answers)` returns a `Verdict` (passed, tag, message); it
never raises, whatever the answers hold. Calling the check, `check_foo(fn)`,
runs the cases on fn in this process, through the same wire format the kernel
uses, and raises CheckFailed (with the tag) when the verdict is a fail: that is
what a source notebook's hidden test cell does when an instructor runs it, and
what the tests do. During autograde only `public(cases)` crosses into the
kernel (autograder/plugins/judge.py), and the verdict is reached here.
"""

from dataclasses import dataclass

from autograder.hidden.common import TAG, CheckFailed, preserved_rng
from course.grading import runner, wire


@dataclass(frozen=True)
class Verdict:
    passed: bool
    tag: str = ""
    message: str = ""


def case(*args, seed=None, globals=None, spy=(), keep_args=False, meta=None, **kwargs):
    """A case dict: call the function with args and kwargs (see course.grading.runner)."""
    c = {"args": list(args), "kwargs": kwargs}
    if seed is not None:
        c["seed"] = int(seed)
    if globals:
        c["globals"] = {k: wire.Ref(v) for k, v in globals.items()}
    if spy:
        c["spy"] = list(spy)
    if keep_args:
        c["keep_args"] = True
    if meta is not None:
        c["meta"] = meta
    return c


def public(cases):
    """What the kernel receives: the cases without their "meta"."""
    return [{k: v for k, v in c.items() if k != "meta"} for c in cases]


class Check:
    """A hidden check of one graded function (see the module docstring)."""

    def __init__(self, name, prefix, cases, judge):
        self.name, self.prefix = name, prefix
        self._cases, self._judge = cases, judge

    def __repr__(self):
        return f"<hidden check of {self.name}>"

    def cases(self):
        with preserved_rng():
            return self._cases()

    def verdict(self, cases, answers):
        """Judge answers (decoded plain data); never raises."""
        if not isinstance(answers, list) or len(answers) != len(cases) or \
                not all(isinstance(a, dict) for a in answers):
            return Verdict(False, f"{self.prefix}.no_answers",
                           f"{self.name}: the grader received no usable answers from the notebook "
                           f"(expected {len(cases)}); was the test cell's output changed?")
        try:
            with preserved_rng():
                self._judge(cases, answers)
        except CheckFailed as exc:
            tag = exc.tag if isinstance(exc.tag, str) and TAG.match(exc.tag) else f"{self.prefix}.failed"
            return Verdict(False, tag, str(exc))
        except Exception as exc:  # noqa: BLE001 (answers of a shape the judge did not foresee)
            return Verdict(False, f"{self.prefix}.unreadable_answer",
                           f"{self.name}: the grader could not read what your function returned "
                           f"({type(exc).__name__}: {exc}); check the return type against the docstring")
        return Verdict(True)

    def run(self, fn):
        """Cases, then fn on them in this process through the wire format, then the verdict."""
        cases = self.cases()
        answers = wire.roundtrip(runner.run_cases(fn, wire.roundtrip(public(cases))))
        return self.verdict(cases, answers)

    def __call__(self, fn):
        verdict = self.run(fn)
        if not verdict.passed:
            raise CheckFailed(verdict.message, verdict.tag)
