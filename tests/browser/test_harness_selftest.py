"""Self-test of the browser harness on throwaway notebooks built here.

Proves: the server starts and the ipywidgets manager renders widgets; a
notebook opens and Run All runs; typing into a slider readout changes an
explorer's plot and label (screenshots saved); and with keep_going a notebook
whose stub raises still runs to the end and shows the explorers' "implement …
first" message. (No test pins down that a plain Run All stops at the error:
it usually does, but which later requests ipykernel aborts is a race; see
jupyterlab.py.)
"""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from . import jupyterlab as jl

pytestmark = pytest.mark.browser

SETUP = """\
import matplotlib.pyplot as plt
import numpy as np
import ipywidgets as widgets
from course.widgets.explorer import Explorer, run_student_code

def draw(k):
    fig, ax = plt.subplots(figsize=(3, 2))
    x = np.linspace(0, 6, 100)
    ax.plot(x, np.sin(k * x))
    return fig, f"k = {k:g}"
"""
PLAIN_EXPLORER = """\
Explorer([widgets.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.1, description="k")], ["k"], draw)
"""
# two sliders, the second a FloatLogSlider, and toggle buttons, as in the week-1 explorers
MIXED_EXPLORER = """\
Explorer([widgets.IntSlider(value=1, min=1, max=5, description="k"),
          widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, description="gain"),
          widgets.ToggleButtons(options=["sin", "cos"], description="wave")],
         ["k", "gain", "wave"], lambda k, gain, wave: draw(k * gain if wave == "sin" else -k * gain))
"""
STUB = """\
def stub(x):
    # YOUR CODE HERE
    raise NotImplementedError()
"""
STUB_TEST = "assert stub(1.0) == 2.0\n"
# the stub raises while the explorer prepares (it shows only the message) ...
EXPLORER_PREPARE_STUB = """\
Explorer([widgets.FloatSlider(value=1.0, min=0.5, max=3.0)], ["k"], draw,
         prepare=lambda: run_student_code(stub, 1.0))
"""
# ... or while it draws (plot stays empty, the status label shows the message)
EXPLORER_DRAW_STUB = """\
Explorer([widgets.FloatSlider(value=1.0, min=0.5, max=3.0)], ["k"],
         lambda k: (run_student_code(stub, k), "never shown"))
"""
LAST = 'print("last cell ran")\n'


def write_notebook(path, *sources):
    nb = new_notebook(cells=[new_markdown_cell("# Throwaway notebook")]
                      + [new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def test_slider_changes_plot_and_label(open_in_lab, tmp_path, browser_artifacts):
    src = write_notebook(tmp_path / "explorers.ipynb", SETUP, PLAIN_EXPLORER, MIXED_EXPLORER)
    page = open_in_lab(src)
    jl.run_all(page)

    assert all(c["errors"] == [] for c in jl.cells(page))
    found = jl.explorers(page, count=2)  # the ipywidgets manager renders them
    # (explorer, control: readout index or description, value, expected label)
    for n, (i, what, value, label) in enumerate([(0, 0, "2.5", "k = 2.5"), (1, "gain", "0.1", "k = 0.1"),
                                                 (1, "wave", "cos", "k = -0.1")]):
        change = jl.change_control(found.nth(i), what, value, shots_dir=browser_artifacts, name=f"selftest-{n}")
        before, after = change["before"], change["after"]
        assert after["label"] == label != before["label"]
        assert after["image"] != before["image"]
        assert after["src"] != before["src"]
        assert 0 < change["ms"] < 30_000
        for when in ("before", "after"):
            shot = browser_artifacts / f"selftest-{n}-{when}.png"
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_keep_going_runs_past_errors(open_in_lab, tmp_path):
    src = write_notebook(tmp_path / "release.ipynb", SETUP, STUB, STUB_TEST, EXPLORER_PREPARE_STUB,
                         EXPLORER_DRAW_STUB, LAST)
    page = open_in_lab(src, keep_going=True)
    jl.run_all(page, keep_going=True)

    by_source = {c["source"].strip(): c for c in jl.cells(page)}
    failing = by_source[STUB_TEST.strip()]
    assert failing["errors"] == ["NotImplementedError"]
    assert "NotImplementedError" in failing["text"]  # shown on the page, not just in the model
    assert "last cell ran" in by_source[LAST.strip()]["text"]
    found = jl.explorers(page, count=2)
    for i in range(2):
        assert "implement `stub` above first" in found.nth(i).locator(jl.EXPLORER_STATUS).inner_text()

