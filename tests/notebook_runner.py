"""Execute notebooks with nbclient on a real kernel (used by the tests and the benchmark)."""

import copy
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent


def execute(path, timeout=300, allow_errors=False, keep=None):
    """Run a notebook top to bottom in its own folder.

    Returns (executed notebook, seconds, first error or None). With
    allow_errors=False execution stops at the first error, which is returned.
    keep(cell) -> bool, if given, selects the cells that run (the others are dropped).
    """
    nb = nbformat.read(str(path), as_version=4)
    nb = copy.deepcopy(nb)
    if keep is not None:
        nb.cells = [c for c in nb.cells if keep(c)]
    env_cwd = str(Path(path).parent)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": env_cwd}})
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = exc
    return nb, time.perf_counter() - start, error


def stderr_outputs(nb):
    """(cell index, text) of everything the notebook wrote to stderr."""
    return [(i, out.get("text", "")) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stderr"]


def first_error_cell(nb):
    """(index, cell, error output) of the first cell whose outputs contain an error, or None."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, cell, out
    return None
