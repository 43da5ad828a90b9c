"""Submitted notebooks that cannot be read: graded as 0 with the reason, never dropped.

nbgrader reads each submitted notebook before any preprocessor runs; a file that
is not a notebook (truncated, not JSON, an unknown format version, no cells...)
makes it drop the student's whole assignment with a traceback in the log.

`set_aside_broken_notebooks` is nbgrader's pre-convert hook for `autograde`
(c.Autograde.pre_convert_hook in nbgrader_config.py). For each submitted
notebook that cannot be read it:

- moves the file aside as `<name>.ipynb.broken` (nothing is deleted; nbgrader
  copies it to autograded/ with the student's other files), and
- writes in its place a small placeholder notebook whose metadata holds the
  reason (`autograder_broken`). RestoreCells gives it the release's cells,
  RobustExecute does not run it and puts a `BrokenSubmission` error with the
  reason on every test cell: 0 points for that notebook, the others are graded.

Grading again gives the same result (the placeholder carries the reason). When
the student hands in a readable file again, it is graded normally; the
`.broken` copy stays.

A file that reads but does not validate against the notebook format (which
nbgrader tolerates, up to a point) is repaired instead when its cells are
intact: rebuilt from its cells' type, source and metadata, the original kept as
`<name>.ipynb.original`, and the repair noted in the sidecar's events.
"""

import json
import os
import shutil
import warnings

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from autograder.notebooks import KERNELSPEC
from autograder.plugins.cells import has_nbgrader_meta, nbgrader_meta
from autograder.plugins.sidecar import BROKEN_KEY, REPAIRED_KEY

_MAKERS = {"code": new_code_cell, "markdown": new_markdown_cell, "raw": new_raw_cell}


class Unreadable(Exception):
    """The file is not a notebook nbgrader can grade; str(exc) says why."""


def _source(value):
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    raise ValueError


def read_submission(path):
    """(notebook, repair message or None). Raises Unreadable with the reason."""
    if os.path.islink(path):
        raise Unreadable("the file is a symbolic link, not a notebook")
    if not os.path.isfile(path):
        raise Unreadable("it is not a regular file")
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.strip():
        raise Unreadable("the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Unreadable(f"the file is not UTF-8 text (byte {e.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise Unreadable(f"the file is not valid JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("nbformat"), int):
        raise Unreadable("the file is JSON but not a notebook (no nbformat version)")
    if data["nbformat"] not in (3, 4):
        raise Unreadable(f"the notebook format version {data['nbformat']!r} is not supported")
    if not isinstance(data.get("cells", []), list) or (data["nbformat"] == 4 and "cells" not in data):
        raise Unreadable("the notebook has no list of cells")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbformat's MissingIDFieldWarning, DuplicateCellId...
        try:
            nb = nbformat.reads(text, as_version=4, capture_validation_error={})
        except Exception as e:  # nbformat's readers raise many kinds
            if data["nbformat"] != 4:
                raise Unreadable(f"the notebook could not be read ({type(e).__name__}: {str(e)[:200]})") from None
            nb, problem = data, f"{type(e).__name__}: {str(e).strip().splitlines()[0][:200]}"
        else:
            try:
                nbformat.validate(nb)
                return nb, None
            except nbformat.ValidationError as e:
                problem = str(e).strip().splitlines()[0][:200]
        return _rebuild(nb, nb["cells"]), f"the submitted file did not match the notebook format ({problem}); " \
                                          "graded a copy rebuilt from its cells"


def _rebuild(nb, cells):
    """A valid notebook from cells that have a type and a source (raises Unreadable otherwise)."""
    rebuilt = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in _MAKERS:
            raise Unreadable(f"cell {number} is not a notebook cell")
        try:
            source = _source(cell.get("source", ""))
        except ValueError:
            raise Unreadable(f"cell {number} has no readable source") from None
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        new = _MAKERS[cell["cell_type"]](source, metadata=json.loads(json.dumps(metadata)))
        if isinstance(cell.get("id"), str) and cell["id"] not in {c.get("id") for c in rebuilt}:
            new["id"] = cell["id"]
        rebuilt.append(new)
    metadata = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    out = new_notebook(cells=rebuilt, metadata=json.loads(json.dumps(metadata)))
    try:
        nbformat.validate(out)
    except nbformat.ValidationError:  # e.g. metadata of the wrong shape: drop all but nbgrader's
        for cell in out.cells:
            keep = {"nbgrader": nbgrader_meta(cell)} if has_nbgrader_meta(cell) else {}
            cell.metadata = nbformat.from_dict(keep)
        out.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC})
        try:
            nbformat.validate(out)
        except nbformat.ValidationError as e:
            raise Unreadable(f"the notebook does not match the notebook format ({str(e).splitlines()[0][:200]})") \
                from None
    return out


def _set_aside(path, suffix):
    """Move path to path + suffix (another free name if taken by a different file). Returns the new name."""
    target = path + suffix
    number = 1
    while os.path.lexists(target):
        if os.path.isfile(target) and not os.path.islink(target) and os.path.isfile(path) \
                and not os.path.islink(path) and _same_bytes(target, path):
            os.remove(path)  # the very same file is already kept
            return target
        number += 1
        target = f"{path}{suffix}-{number}"
    shutil.move(path, target)
    return target


def _same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def placeholder(reason, kept_as):
    """The notebook written where an unreadable file was."""
    message = f"{reason}: graded as 0; the original is kept as {kept_as}"
    nb = new_notebook(cells=[new_markdown_cell(
        f"**This notebook could not be graded.** The submitted file could not be read: {message}.")],
        metadata={"kernelspec": KERNELSPEC, BROKEN_KEY: message})
    return nb


def check_submission(path, log=None):
    """Make one submitted notebook gradable. Returns None if it was fine, else what was done (str)."""
    try:
        nb, repaired = read_submission(path)
    except Unreadable as e:
        kept = _set_aside(path, ".broken")
        nb = placeholder(str(e), os.path.basename(kept))
        nbformat.write(nb, path)
        message = nb.metadata[BROKEN_KEY]
        if log:
            log.warning("Unreadable notebook %s: %s", path, message)
        return message
    if repaired:
        kept = _set_aside(path, ".original")
        nb.metadata[REPAIRED_KEY] = f"{repaired}; the original is kept as {os.path.basename(kept)}"
        nbformat.write(nb, path)
        if log:
            log.warning("Repaired notebook %s: %s", path, nb.metadata[REPAIRED_KEY])
        return nb.metadata[REPAIRED_KEY]
    return None


def set_aside_broken_notebooks(assignment=None, student=None, notebooks=(), **_):
    """nbgrader pre-convert hook (Autograde): see the module docstring."""
    from traitlets.log import get_logger

    log = get_logger()
    for path in notebooks:
        try:
            check_submission(path, log)
        except Exception:  # never stop grading because of this hook
            log.exception("Could not check %s", path)
