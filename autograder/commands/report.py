"""`python -m autograder report <assignment>`: the class's mistakes, per graded function.

    python -m autograder report week1                 # reports/week1/index.html, and a table here
    python -m autograder report week1 -o /tmp/week1   # the page and its notebooks in another folder

After grading (`python -m autograder grade`), for each graded function of each
notebook: how many students passed its tests, and each mistake that the hidden
checks named (the judge's stable tag, autograder/plugins/judge.py), with how
many students made it, its message and a link to the notebook section that
teaches it. Failures without a tag (a stub left as it was, a timeout, a kernel
death, a notebook not handed in or unreadable) are counted under their status.
Sorted by frequency. The page also has a bar chart per notebook and the
distribution of scores (autograder/commands/report_page.py draws it).

Where it reads:
- scores, statuses and tags: `autograder.commands.export.collect` (the gradebook, the
  autograded notebooks and their sidecars), the rows grades_by_test.csv holds;
- the judge's messages and which check gave them: the sidecars' "verdicts"
  (autograded/<student>/<assignment>/<notebook>.autograder.json, autograder/plugins/sidecar.py);
- which function a test cell grades: its check's name (`check_<function>`), else its
  grade_id (`test_<function>`), else the solution cell before it in source/;
- the section: the last markdown heading before the function's cell in source/. The
  link goes to the release notebook rendered as HTML beside the page
  (`<nb>.html#<heading id>`, by nbconvert), which is what the students have.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from autograder import notebooks as nbt
from autograder.commands.export import collect
from autograder.coursedir import course_argument
from autograder.plugins.cells import grade_id, is_grade, is_solution
from autograder.plugins.sidecar import read_sidecar, sidecar_file

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
FENCED = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.MULTILINE | re.DOTALL)
# What a failure without a mistake tag is counted as, by its status in grades_by_test.csv.
UNTAGGED = {"missing": "notebook not handed in", "broken": "notebook unreadable", "timeout": "timed out",
            "kernel died": "kernel died", "not run": "not run (notebook out of time)",
            "not graded": "not graded", "needs manual grading": "needs manual grading"}
NOT_IMPLEMENTED = "not attempted (NotImplementedError)"


@dataclass
class Mistake:
    key: str                                    # the judge's tag, or what UNTAGGED names
    tagged: bool                                # named by a hidden check
    students: set = field(default_factory=set)
    messages: Counter = field(default_factory=Counter)

    @property
    def message(self):
        """The most common message (ties: the shortest)."""
        if not self.messages:
            return ""
        return min(self.messages.items(), key=lambda kv: (-kv[1], len(kv[0])))[0]


@dataclass
class Function:
    notebook: str
    name: str
    section: str = ""                           # the heading before the function's cell
    chapter: str = ""                           # the level-2 heading above it, if another
    anchor: str = ""                            # the heading's id in the rendered release notebook
    tests: list = field(default_factory=list)
    max_points: float = 0.0
    passed: set = field(default_factory=set)
    graded: set = field(default_factory=set)
    mistakes: dict = field(default_factory=dict)

    def sorted_mistakes(self):
        return sorted(self.mistakes.values(), key=lambda m: (-len(m.students), not m.tagged, m.key))


@dataclass
class ClassReport:
    assignment: str
    notebooks: list                             # names, in gradebook order
    functions: list                             # Function, notebook then source order
    scores: dict                                # {student: (score, max_score)} of graded students
    max_score: float


# ---------------------------------------------------------------- the source notebook

def headings(markdown):
    """[(level, text)] of the markdown headings in a cell's source (not the `#` lines of code blocks)."""
    prose = FENCED.sub("", markdown)
    return [(len(h), t.strip()) for h, t in HEADING.findall(prose)]


def plain_heading(text):
    """A heading's text without markdown markup (`code`, *emphasis*, links)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[`*]", "", text).strip()


def notebook_functions(source_nb, notebook):
    """({function name: Function with its section}, {test grade_id: function name}) of a source notebook."""
    functions, test_of, last = {}, {}, None
    current, chapter = "", ""
    for cell in source_nb.cells:
        if cell.cell_type == "markdown":
            for level, text in headings(cell.source):
                current = plain_heading(text)
                if level <= 2:
                    chapter = current
            continue
        gid = grade_id(cell)
        if gid and is_solution(cell) and not is_grade(cell):
            functions[gid] = Function(notebook, gid, section=current,
                                      chapter=chapter if chapter != current else "")
            last = gid
        elif gid and is_grade(cell):
            named = gid[len("test_"):] if gid.startswith("test_") else None
            test_of[gid] = named if named in functions else last
    return functions, test_of


# ---------------------------------------------------------------- the class

def _function_of(verdict, test, test_of, functions):
    name = str(verdict.get("check") or "")
    name = name[len("check_"):] if name.startswith("check_") else name
    return name if name in functions else test_of.get(test)


def _untagged(row):
    if row["status"] == "failed" and "NotImplemented" in row["reason"]:
        return NOT_IMPLEMENTED
    if row["status"] in UNTAGGED:
        return UNTAGGED[row["status"]]
    ename = row["reason"].split(":", 1)[0].strip() if row["reason"] else ""
    return f"failed ({ename})" if ename else "failed"


def build_report(course_dir, assignment, url=None):
    """The ClassReport of a graded assignment (see the module docstring)."""
    course_dir = Path(course_dir).resolve()
    test_rows, student_rows = collect(course_dir, assignment, url=url)
    notebooks = list(dict.fromkeys(r["notebook"] for r in test_rows))
    functions, test_of = {}, {}                 # {nb: {name: Function}}, {nb: {test: name}}
    for nb in notebooks:
        source = nbt.read(course_dir / "source" / assignment / f"{nb}.ipynb")
        functions[nb], test_of[nb] = notebook_functions(source, nb)
    graded = {r["student"] for r in student_rows if r["score"] != ""}
    verdicts = {(s, nb): read_sidecar(sidecar_file(course_dir / "autograded" / s / assignment, nb))["verdicts"]
                for s in graded for nb in notebooks}

    lost = defaultdict(set)                     # Function -> students who lost a point in its tests
    for row in test_rows:
        student, nb, test = row["student"], row["notebook"], row["test"]
        fn = functions[nb].get(test_of[nb].get(test))
        if student not in graded or fn is None:
            continue
        if test not in fn.tests:
            fn.tests.append(test)
            fn.max_points += float(row["max_points"] or 0)
        fn.graded.add(student)
        if row["status"] in ("ok", "flagged"):
            continue
        lost[id(fn)].add(student)
        tagged = [v for v in verdicts[(student, nb)].get(test, []) if not v.get("passed") and v.get("tag")
                  and not str(v["tag"]).endswith(".not_implemented")]  # a stub: counted as not attempted
        if row["status"] == "failed" and tagged:
            for v in tagged:
                owner = functions[nb].get(_function_of(v, test, test_of[nb], functions[nb]), fn)
                lost[id(owner)].add(student)
                _add(owner, v["tag"], True, student, _clean(v.get("message") or row["reason"], owner.name))
        else:
            _add(fn, _untagged(row), False, student, _clean(row["reason"], fn.name))
    ordered = [fn for nb in notebooks for fn in functions[nb].values() if fn.tests]
    for fn in ordered:
        fn.passed = fn.graded - lost[id(fn)]
    scores = {r["student"]: (float(r["score"]), float(r["max_score"])) for r in student_rows if r["score"] != ""}
    max_score = max((m for _, m in scores.values()), default=0.0)
    return ClassReport(assignment, notebooks, ordered, scores, max_score)


def _add(fn, key, tagged, student, message):
    mistake = fn.mistakes.setdefault(key, Mistake(key, tagged))
    mistake.students.add(student)
    mistake.messages[message] += 1


def _clean(message, function):
    """One line, without the exception's name or the function's name in front (the page names both)."""
    text = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", str(message or "")).split())
    text = re.sub(r"^(AssertionError|AutograderFailure)\s*:\s*", "", text)
    return re.sub(rf"^{re.escape(function)}\s*:\s*", "", text)


# ---------------------------------------------------------------- the terminal

def terminal_table(report):
    """Per function: passed / graded and its mistakes by frequency (students, key), one a line."""
    lines = [f"{report.assignment}: {len(report.scores)} students graded, "
             f"mean score {_mean(report.scores):.1f} / {report.max_score:g}", ""]
    name_w = max([len(f"{fn.notebook}.{fn.name}") for fn in report.functions] + [15])
    lines.append(f"{'graded function'.ljust(name_w)}   passed  students  mistake")
    for fn in report.functions:
        head = f"{(fn.notebook + '.' + fn.name).ljust(name_w)}  {len(fn.passed):>3} / {len(fn.graded):<3}"
        mistakes = fn.sorted_mistakes() or [None]
        for i, m in enumerate(mistakes):
            what = f"{len(m.students):>8}  {m.key}" if m else f"{'':>8}  -"
            lines.append((head if i == 0 else " " * len(head)) + what)
    return "\n".join(lines)


def _mean(scores):
    return sum(s for s, _ in scores.values()) / len(scores) if scores else 0.0


# ---------------------------------------------------------------- the command

def write_report(course_dir, assignment, out_dir=None, url=None):
    """Build the report, write the page and the rendered release notebooks; returns (report, page path)."""
    from autograder.commands.report_page import write_page

    course_dir = Path(course_dir).resolve()
    out_dir = Path(out_dir) if out_dir else course_dir / "reports" / assignment
    report = build_report(course_dir, assignment, url=url)
    page = write_page(report, course_dir / "release" / assignment, out_dir)
    return report, page


def add_arguments(parser):
    parser.add_argument("assignment")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="folder of the page and its notebooks (default: reports/<assignment>/)")
    parser.add_argument("--course", default=".", help="the course root (default: the current directory)")


def main(args):
    course = course_argument(args.course)
    if course is None:
        return 2
    report, page = write_report(course, args.assignment, args.output)
    print(terminal_table(report))
    print(f"\nMistake report: {page}")
    return 0
