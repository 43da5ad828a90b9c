"""Slider explorers. They all follow one design:

- They take the student's functions as arguments and run them.
- Controls on top, then a PNG plot, then a status label. On every change the
  plot is redrawn first and the label is set last, so a browser test can wait
  for the label. CSS classes for tests: ``course-explorer`` on the root,
  ``course-explorer-plot`` on the image, ``course-explorer-status`` on the label
  (which also carries the message in the error state).
- Anything slow is computed once when the explorer is built; a slider step only
  looks results up and draws. Goal, from a control change to the new label in
  JupyterLab: median under 150 ms, maximum under 200 ms (tests/browser reports
  it; about 40 ms of it is the round trip, the rest the kernel's redraw, which
  ``python -m tests.benchmark`` times). Drawing reuses one matplotlib figure (no
  pyplot, no layout pass) and updates its artists in place, best on a
  fastdraw.Canvas (static part drawn once, texts from a glyph cache, fast PNG
  encoding); a position already shown is served from a cache.
- A slider may update continuously while dragged: ipywidgets keeps one message
  in flight per widget and sends only the latest value when the kernel is
  idle again, so a drag never queues a backlog of redraws.
- If a student function is still a stub, the explorer shows
  "implement `name` above first" instead of a traceback; if it raises another
  error, a one-line message names the function and the error.
- Built headless (under nbgrader or nbclient) it renders once and never blocks;
  warnings and anything the student's code prints are swallowed, so an explorer
  cell never writes to stderr.
"""

import contextlib
import html
import io
import time
import traceback
import warnings

import ipywidgets as widgets
import numpy as np

from course.plots import figure_png
# the drawing helpers explorers use (imported from here by the notebooks' explorer modules)
from course.widgets.fastdraw import PNG_DPI, Canvas, encode_png, new_figure, png_bytes  # noqa: F401


class StudentCodeError(Exception):
    """A student function raised; the message is ready to show."""


def student_array(name, value, shape):
    """The student's value as a float array of the expected shape, or a StudentCodeError."""
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        a = None
    if a is None or a.shape != shape:
        got = f"shape {a.shape}" if a is not None else type(value).__name__
        raise StudentCodeError(f"`{name}` returned {got}, expected shape {shape}; fix it above and re-run this cell")
    return a


def _student_frame_name(exc):
    """Name of the innermost function in the traceback (where the error was raised)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].name if frames else "?"


def _one_line(text, limit=160):
    lines = str(text).strip().splitlines()
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def run_student_code(fn, *args, **kwargs):
    """Call a student's function; turn its failure into a StudentCodeError with a short message."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as exc:
        name = _student_frame_name(exc)
        if name in ("<module>", "?", "<lambda>"):
            name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"implement `{name}` above first") from None
    except Exception as exc:  # noqa: BLE001 - any student bug becomes a message
        name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"`{name}` raised {type(exc).__name__}: {_one_line(exc)}; "
                               "fix it above and re-run this cell") from None


def message_html(text):
    return ("<div style='padding:6px 10px;background:#fff3cd;border:1px solid #e0c36c;border-radius:4px'>"
            f"⚠️ {html.escape(text)}</div>")


@contextlib.contextmanager
def quiet():
    """No warnings, no NumPy floating-point warnings, and stdout/stderr swallowed."""
    sink = io.StringIO()
    with warnings.catch_warnings(), np.errstate(all="ignore"), \
            contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        yield


_blas = []


def single_threaded_blas():
    """Context: NumPy's BLAS on one thread (threadpoolctl, if installed). For the small
    matrix products of a redraw, BLAS threads only add overhead, and on a busy machine
    they make a 5 ms product take 100 ms."""
    if not _blas:
        try:
            from threadpoolctl import ThreadpoolController

            _blas.append(ThreadpoolController())
        except Exception:  # noqa: BLE001 - optional speed-up
            _blas.append(None)
    if _blas[0] is None:
        return contextlib.nullcontext()
    return _blas[0].limit(limits=1, user_api="blas")


class Explorer(widgets.VBox):
    """Controls + plot + status label.

    Inputs:
    - controls: list of widgets whose ``value`` changes trigger a redraw
    - names: one keyword name per control
    - draw: callable(**values) -> (PNG bytes or a matplotlib Figure, label text);
      values are keyed by ``names``. It calls student code through
      run_student_code; a StudentCodeError it raises is shown in the label.
    - prepare: optional callable() run once before the first draw (precompute);
      a StudentCodeError it raises is shown instead of the controls and plot.
    - key: optional callable(**values) -> hashable; positions with the same key
      look the same, and a position already drawn is served from a cache.

    ``redraw_seconds`` holds the wall time of every redraw (benchmark and tests).
    """

    def __init__(self, controls, names, draw, prepare=None, key=None):
        self.controls = list(controls)
        self.names = list(names)
        self._draw = draw
        self._key = key
        self._cache = {}
        self.redraw_seconds = []
        # natural size (not stretched to the output's width), at most 760 px wide
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="760px", align_self="flex-start"))
        self.status = widgets.HTML(value="")
        self.error = None
        super().__init__([widgets.HBox(self.controls), self.image, self.status])
        self.add_class("course-explorer")
        self.image.add_class("course-explorer-plot")
        self.status.add_class("course-explorer-status")
        try:
            if prepare is not None:
                with quiet():
                    prepare()
        except StudentCodeError as exc:
            self._show_error(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a message, never a traceback in the student's notebook
            self._show_error(f"the explorer failed ({type(exc).__name__}: {_one_line(exc)})")
            return
        for c in self.controls:
            c.observe(self._on_change, names="value")
        self.redraw()

    def values(self):
        return {n: c.value for n, c in zip(self.names, self.controls)}

    def _show_error(self, text):
        """Error state: only the status label (with its class), showing the message."""
        self.error = text
        for c in self.controls:
            c.disabled = True
        self.status.value = message_html(text)
        self.children = (self.status,)

    def _on_change(self, _change):
        self.redraw()

    def clear_cache(self):
        """Forget the drawn positions (the benchmark times first visits)."""
        self._cache.clear()

    def render(self, values):
        """(PNG bytes, label) for these control values, from the cache if already drawn."""
        key = self._key(**values) if self._key is not None else None
        if key is not None and key in self._cache:
            return self._cache[key]
        with quiet():
            picture, label = self._draw(**values)
            png = picture if isinstance(picture, bytes) else figure_png(picture)
        if key is not None:
            self._cache[key] = (png, label)
        return png, label

    def redraw(self):
        start = time.perf_counter()
        try:
            png, label = self.render(self.values())
        except StudentCodeError as exc:
            self.image.layout.display = "none"
            self.status.value = message_html(str(exc))
            return
        except Exception as exc:  # noqa: BLE001
            self.image.layout.display = "none"
            self.status.value = message_html(f"the explorer failed ({type(exc).__name__}: {_one_line(exc)})")
            return
        self.image.layout.display = None
        self.image.value = png
        self.status.value = html.escape(label)  # last: tests wait for this
        self.redraw_seconds.append(time.perf_counter() - start)
