"""Feedback that shows each test's points and message, never the hidden tests.

nbgrader's generate_feedback renders the autograded notebook: test cells with
their hidden tests (OverwriteCells put them back for grading), and full
tracebacks, whose frames quote hidden-test lines even when the source is cleared.

`RedactFeedback` runs first in c.GenerateFeedback.preprocessors and:

- gives each test cell the source the student saw (the release's cell; without
  a release, the source minus its `### BEGIN/END HIDDEN TESTS` block);
- replaces every error output's traceback with one line, `ename: evalue`: the
  diagnostic message stays, frames, file paths and source lines go;
- removes from all outputs any line of a hidden-test block, and names of the
  grader's inlined modules (`<hidden autograder...>`) or files;
- puts a banner at the top with what the grader noticed (sidecar file, see
  autograder.plugins.sidecar): the file could not be read, flags, restored test cells,
  kernel events.

nbgrader's GetGrades and the feedback template then add each test's points.
"""

import re

from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.coursedir import release_notebook
from autograder.plugins.cells import (HIDDEN_BEGIN, HIDDEN_END, grade_id, hidden_blocks, is_test_meta, nbgrader_meta,
                                      strip_hidden_tests)
from autograder.plugins.sidecar import read_sidecar, resources_sidecar_path

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_GRADER_NAMES = [
    (re.compile(r"<hidden autograder[\w.]*>"), "<grader>"),
    (re.compile(r"[^\s'\":]*[/\\]autograder[/\\][^\s'\":]*"), "<grader file>"),
    (re.compile(r"\bautograder(\.\w+)+"), "<grader module>"),
]
BANNER_TITLE = "Grading notes"


def hidden_lines(source):
    """The non-trivial lines of a cell's hidden-test blocks (and the markers)."""
    lines = {HIDDEN_BEGIN, HIDDEN_END}
    for block in hidden_blocks(source):
        lines |= {line.strip() for line in block.splitlines() if len(line.strip()) >= 6}
    return lines


def scrub_text(text, secret_lines):
    """text without lines that contain a hidden-test line, and without the grader's module/file names."""
    if not text:
        return text
    kept = []
    for line in text.splitlines(True):
        plain = _ANSI.sub("", line)
        if any(secret in plain for secret in secret_lines):
            continue
        kept.append(line)
    text = "".join(kept)
    for pattern, replacement in _GRADER_NAMES:
        text = pattern.sub(replacement, text)
    return text


def banner(record):
    """Markdown for the feedback's first cell, or None when there is nothing to say."""
    items = []
    if record.get("broken"):
        items.append(f"**This notebook could not be read**: {record['broken']}.")
    for flag in record.get("flags") or []:
        items.append(f"**Flagged**: {flag}. Student code may not use the grader or the course's files.")
    restored = record.get("restored_cells") or []
    if restored:
        items.append("**Restored test cells**: " + ", ".join(f"`{g}`" for g in restored)
                     + " were deleted or altered in the submission and have been restored from the gradebook.")
    for event in record.get("events") or []:
        items.append(f"**Note**: {event}.")
    if not items:
        return None
    return f"### {BANNER_TITLE}\n\n" + "\n".join(f"- {item}" for item in items)


class RedactFeedback(NbGraderPreprocessor):
    """generate_feedback: hide hidden tests and tracebacks, add the banner (see the module docstring)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        release = release_notebook(self, info["assignment"], info["notebook"])
        visible = {}
        if release is not None:
            for cell in release.cells:
                gid = grade_id(cell)
                if gid:
                    visible[gid] = cell.source

        secret = set()
        for cell in nb.cells:
            secret |= hidden_lines(cell.source)
        for cell in nb.cells:
            if is_test_meta(nbgrader_meta(cell)):
                cell.source = visible.get(grade_id(cell), strip_hidden_tests(cell.source))
            elif HIDDEN_BEGIN in cell.source:
                cell.source = strip_hidden_tests(cell.source)
            if cell.cell_type == "code":
                for out in cell.outputs:
                    self._redact(out, secret)

        note = banner(read_sidecar(resources_sidecar_path(self, resources)))
        if note:
            nb.cells.insert(0, new_markdown_cell(note))
        return nb, resources

    @staticmethod
    def _redact(out, secret):
        kind = out.get("output_type")
        if kind == "error":
            out["ename"] = scrub_text(str(out.get("ename", "")), secret)
            out["evalue"] = scrub_text(_ANSI.sub("", str(out.get("evalue", ""))), secret)
            out["traceback"] = [f"{out['ename']}: {out['evalue']}"]
        elif kind == "stream":
            out["text"] = scrub_text(out.get("text", ""), secret)
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            for mime in list(data):
                if isinstance(data[mime], str) and (mime.startswith("text/") or mime.endswith("json")):
                    data[mime] = scrub_text(data[mime], secret)
