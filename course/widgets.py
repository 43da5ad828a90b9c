"""Slider explorers. They all follow one design:

- They take the student's functions as arguments and run them.
- Controls on top, then a PNG plot, then a status label. On every change the
  plot is redrawn first and the label is set last, so a browser test can wait
  for the label.
- Anything slow is computed once when the explorer is built; a slider step only
  looks results up and draws (well under 200 ms).
- If a student function is still a stub, the explorer shows
  "implement `name` above first" instead of a traceback; if it raises another
  error, a one-line message names the function and the error.
- Built headless (under nbgrader or nbclient) it renders once and never blocks.
"""

import traceback

import ipywidgets as widgets

from course.plots import figure_png


class StudentCodeError(Exception):
    """A student function raised; the message is ready to show."""


def _student_frame_name(exc):
    """Name of the innermost function in the traceback (where the error was raised)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].name if frames else "?"


def run_student_code(fn, *args, **kwargs):
    """Call a student's function; turn its failure into a StudentCodeError with a short message."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as exc:
        name = _student_frame_name(exc)
        if name in ("<module>", "?"):
            name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"implement `{name}` above first") from None
    except Exception as exc:  # noqa: BLE001 - any student bug becomes a message
        name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"`{name}` raised {type(exc).__name__}: {exc}; fix it above and re-run this cell") from None


def message_html(text):
    return f"<div style='padding:6px 10px;background:#fff3cd;border:1px solid #e0c36c;border-radius:4px'>⚠️ {text}</div>"


class Explorer(widgets.VBox):
    """Controls + plot + status label.

    Inputs:
    - controls: list of widgets whose ``value`` changes trigger a redraw
    - names: one keyword name per control
    - draw: callable(**values) -> (matplotlib Figure, label text); values are
      keyed by ``names``. It calls student code through run_student_code.
    - prepare: optional callable() run once before the first draw (precompute);
      a StudentCodeError it raises is shown instead of the plot.
    """

    def __init__(self, controls, names, draw, prepare=None):
        self.controls = list(controls)
        self.names = list(names)
        self._draw = draw
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="760px"))
        self.status = widgets.HTML(value="")
        self.error = None
        super().__init__([widgets.HBox(self.controls), self.image, self.status])
        try:
            if prepare is not None:
                prepare()
        except StudentCodeError as exc:
            self._show_error(str(exc))
            return
        for c in self.controls:
            c.observe(self._on_change, names="value")
        self.redraw()

    def values(self):
        return {n: c.value for n, c in zip(self.names, self.controls)}

    def _show_error(self, text):
        self.error = text
        for c in self.controls:
            c.disabled = True
        self.children = (widgets.HTML(message_html(text)),)

    def _on_change(self, _change):
        self.redraw()

    def redraw(self):
        try:
            fig, label = self._draw(**self.values())
        except StudentCodeError as exc:
            self.status.value = message_html(str(exc))
            return
        self.image.value = figure_png(fig)
        self.status.value = label  # last: tests wait for this

