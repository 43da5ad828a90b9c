"""What the grader noticed about one notebook: the sidecar file next to the autograded notebook.

`nbgrader autograde` (with this course's nbgrader_config.py) writes, next to each
autograded notebook, `autograded/<student>/<assignment>/<notebook>.autograder.json`:

    {"broken": null | "<why the file could not be read>",
     "flags": ["imports autograder", "opens course files: gradebook.db", ...],
     "restored_cells": ["test_x", ...],
     "events": ["kernel died in cell 12 (...); re-ran the notebook from a fresh kernel", ...],
     "verdicts": {"test_x": [{"check", "passed", "tag", "message"}, ...]}}

EMPTY below defines the keys. Who writes what:
- autograder.plugins.restore_cells.RestoreCells starts a fresh file for every notebook it
  sanitizes (broken, restored_cells, events of the repair);
- autograder.plugins.robust_execute.RobustExecute adds kernel events;
- autograder.plugins.judge.JudgeCells adds the hidden checks' verdicts;
- autograder.plugins.flags.FlagSubmission adds the flags.
Who reads it: the export (`python -m autograder export`), the feedback banner
(autograder.plugins.feedback) and NoteRestoredCells.

Before the sidecar exists, autograder.plugins.broken hands its findings to
RestoreCells in the submitted notebook's own metadata: BROKEN_KEY on the
placeholder of an unreadable file, REPAIRED_KEY on a rebuilt one.
"""

import copy
import json
import os
import tempfile

from autograder.coursedir import find_coursedir

SUFFIX = ".autograder.json"
EMPTY = {"broken": None, "flags": [], "restored_cells": [], "events": [], "verdicts": {}}

BROKEN_KEY = "autograder_broken"      # notebook metadata set by autograder.plugins.broken on a placeholder
REPAIRED_KEY = "autograder_repaired"  # notebook metadata: what autograder.plugins.broken repaired in the file


def empty_record():
    """A fresh record with every key (a copy of EMPTY)."""
    return copy.deepcopy(EMPTY)


def sidecar_file(folder, notebook):
    """The sidecar of notebook `<notebook>.ipynb` in an autograded folder."""
    return os.path.join(os.fspath(folder), notebook + SUFFIX)


def sidecar_path(coursedir, student, assignment, notebook):
    """The sidecar in nbgrader's autograded folder of the student's assignment."""
    folder = coursedir.format_path(coursedir.autograded_directory, student, assignment)
    return sidecar_file(os.path.normpath(folder), notebook)


def resources_sidecar_path(configurable, resources):
    """The sidecar of the notebook a preprocessor is working on (resources['nbgrader'])."""
    info = resources["nbgrader"]
    return sidecar_path(find_coursedir(configurable), info["student"], info["assignment"], info["notebook"])


def read_sidecar(path):
    """The sidecar's content with every key of EMPTY (missing, null or unreadable parts are empty)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    record = empty_record()
    if isinstance(data, dict):
        record.update({k: v for k, v in data.items() if k in EMPTY and v is not None})
    return record


def write_sidecar(path, record):
    """Write atomically (the folder's files may be read-only after a previous run)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".sidecar-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def update_sidecar(path, **changes):
    """Merge into the sidecar: lists are extended (without duplicates), dicts updated, other keys set."""
    record = read_sidecar(path)
    for key, value in changes.items():
        if isinstance(record.get(key), list):
            record[key] += [v for v in value if v not in record[key]]
        elif isinstance(record.get(key), dict):
            record[key].update(value)
        else:
            record[key] = value
    write_sidecar(path, record)
    return record
