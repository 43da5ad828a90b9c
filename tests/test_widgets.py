"""Every slider explorer follows the design of course/widgets/explorer.py, checked headless.

Built with the reference functions and the notebook's data (tests/explorers.py):
a slider change redraws in well under 200 ms (median of 5 first visits, so a
busy machine does not fail it; `python -m tests.benchmark` reports the real
numbers), the plot is set before the label, nothing reaches stdout or stderr.
With a stub, the explorer says which function to implement first; with a
crashing function, a one-line message and no traceback. The last test runs the
explorer cells of the release notebooks headless (nbclient), as autograding does.
"""

import statistics
import warnings

import pytest

from course.widgets import explorer as widgets
from tests.conftest import ROOT
from tests.explorers import CASES, move, tour_redraws
from tests.notebook_runner import execute

NAMES = sorted(CASES)


def stub(name):
    """A student's untouched stub: a function called `name` that raises NotImplementedError."""
    namespace = {}
    exec(f"def {name}(*args, **kwargs):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n", namespace)
    return namespace[name]


def crashing(name):
    """A function called `name` that fails with a two-line message and prints on the way."""
    namespace = {}
    exec(f"def {name}(*args, **kwargs):\n"
         "    import sys, warnings\n"
         "    print('debug output', file=sys.stderr)\n"
         "    warnings.warn('a warning from student code')\n"
         "    raise ValueError('operands could not be broadcast together\\nwith shapes (3,2) (2,3)')\n", namespace)
    return namespace[name]


def build(case, capfd, **replace):
    """Build the explorer (the case's fast options); assert it printed and warned nothing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explorer = case.build(case.functions(**replace), **case.fast)
    out, err = capfd.readouterr()
    assert (out, err) == ("", ""), "the explorer printed while it was built"
    assert [str(w.message) for w in caught] == []
    return explorer


@pytest.fixture(scope="module")
def built():
    """One explorer per case, built with the reference functions (shared: building trains models)."""
    return {name: CASES[name].build(CASES[name].functions(), **CASES[name].fast) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_follows_the_contract(name, built):
    explorer = built[name]
    assert explorer.error is None
    assert "course-explorer" in explorer._dom_classes
    assert "course-explorer-plot" in explorer.image._dom_classes
    assert "course-explorer-status" in explorer.status._dom_classes
    assert explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert explorer.status.value


@pytest.mark.parametrize("name", NAMES)
def test_every_move_redraws_plot_then_label_quietly(name, built, capfd):
    explorer = built[name]
    explorer.clear_cache()
    events = []
    explorer.image.observe(lambda change: events.append("image"), names="value")
    explorer.status.observe(lambda change: events.append("label"), names="value")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for control, value in CASES[name].tour:
            events.clear()
            move(explorer, control, value)
            assert events == ["image", "label"], f"{control} = {value!r}: {events}"
    assert capfd.readouterr() == ("", "")
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("name", NAMES)
def test_redraw_under_200_ms(name, built):
    explorer = built[name]
    sliders = [(c, v) for c, v in CASES[name].tour if isinstance(v, float)]
    times = tour_redraws(explorer, sliders[:5])  # first visits, cache cleared before each
    assert len(times) == 5
    assert statistics.median(times) < 0.2, f"redraws took {[round(1000 * t) for t in times]} ms"
    # a position seen before is served from the cache
    (control, a), (_, b) = sliders[0], sliders[1]
    move(explorer, control, a)
    move(explorer, control, b)
    move(explorer, control, a)
    assert explorer.redraw_seconds[-1] < 0.02


@pytest.mark.parametrize("name,function", [(n, f) for n in NAMES for f in CASES[n].needs])
def test_stub_shows_implement_first(name, function, capfd):
    explorer = build(CASES[name], capfd, **{function: stub(function)})
    assert explorer.error == f"implement `{function}` above first"
    assert explorer.children == (explorer.status,)  # the message only, no controls or plot
    assert f"implement `{function}` above first" in explorer.status.value
    assert "course-explorer" in explorer._dom_classes


@pytest.mark.parametrize("name", NAMES)
def test_every_stub_names_the_first_function_to_write(name, capfd):
    needs = CASES[name].needs
    explorer = build(CASES[name], capfd, **{f: stub(f) for f in needs})
    assert explorer.error == f"implement `{needs[0]}` above first"


@pytest.mark.parametrize("name,function", [(n, f) for n in NAMES for f in CASES[n].needs])
def test_crash_shows_one_line(name, function, capfd):
    explorer = build(CASES[name], capfd, **{function: crashing(function)})
    message = explorer.error
    assert message.startswith(f"`{function}` raised ValueError: operands could not be broadcast together;")
    assert message.endswith("fix it above and re-run this cell")
    assert "\n" not in message and "Traceback" not in message and "File " not in message


def test_message_is_escaped():
    assert "&lt;lambda&gt;" in widgets.message_html("`<lambda>` raised")


# ---------------------------------------------------------------- fast pictures (course/widgets/fastdraw.py)

def _decode(png):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _labelled_figure():
    """Texts of every alignment, size and colour the explorers use, over a line, not overlapping."""
    fig = widgets.new_figure((4.5, 2.4))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 12)
    ax.plot([0, 3], [0, 12], color="#d95f02")
    for i, (ha, va) in enumerate([(h, v) for v in ("top", "bottom", "center", "baseline")
                                  for h in ("left", "center", "right")]):
        ax.text(0.05 + 1.45 * (i % 3), 0.6 + 0.93 * i, f"layer {i}: std 0.53 (52% = 0) ‖dW‖ × 2", ha=ha, va=va,
                fontsize=(7, 8.5, 11)[i % 3], color=("k", "#1b9e77", (0.2, 0.3, 0.9))[i % 3])
    return fig


def test_encode_png_round_trips():
    import numpy as np

    pixels = (np.random.RandomState(0).rand(7, 5, 4) * 255).astype(np.uint8)
    assert (_decode(widgets.encode_png(pixels)) == pixels[..., :3]).all()
    assert (_decode(widgets.encode_png(np.ascontiguousarray(pixels[..., :3]))) == pixels[..., :3]).all()


def test_fast_text_draws_what_matplotlib_draws():
    fig = _labelled_figure()
    slow, fast = _decode(widgets.png_bytes(fig)), _decode(widgets.png_bytes(fig, fast_text=True))
    assert slow.shape == fast.shape
    assert (abs(slow - fast) > 8).sum() < 10, "fast text should give the same pixels as matplotlib's"
    assert (255 - slow).sum() > 0


def test_canvas_redraws_only_what_changes():
    canvas = widgets.Canvas((3, 1.5))
    ax = canvas.fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.text(0.5, 0.9, "a static title", ha="center", va="top")
    line = canvas.dynamic(ax.plot([0, 1], [0, 0.5])[0])
    label = canvas.dynamic(ax.text(0.1, 0.1, "", fontsize=8))
    pictures = []
    for k in (0.5, 1.0, 0.5):
        line.set_ydata([0, k])
        label.set_text(f"k = {k}")
        pictures.append(_decode(canvas.png()))
        full = _decode(widgets.png_bytes(canvas.fig))   # what a full draw shows
        assert (abs(pictures[-1] - full) > 8).sum() < 10
    assert (pictures[0] == pictures[2]).all() and (pictures[0] != pictures[1]).any()


RELEASE = sorted((ROOT / "release").glob("week*/*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in RELEASE if "_explorer(" in p.read_text()],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_explorer_cells_headless_in_release(path):
    """Headless (nbclient, as nbgrader runs a submission), an explorer cell under
    untouched stubs neither fails nor writes to stderr nor hangs: it shows its message."""
    nb, seconds, _ = execute(path, timeout=60, allow_errors=True)
    cells = [c for c in nb.cells if c.cell_type == "code" and "_explorer(" in c.source]
    assert cells
    for cell in cells:
        kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
        assert ("error", None) not in kinds and ("stream", "stderr") not in kinds, cell.outputs
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    messages = [m["state"]["value"] for m in state.values()
                if m["model_name"] == "HTMLModel" and "above first" in m["state"].get("value", "")]
    assert len(messages) == len(cells), messages
