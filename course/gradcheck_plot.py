"""A small log-log line plot drawn as SVG, for the gradient-checking notebook's epsilon plot.

Plain NumPy and text: no matplotlib, so the notebook starts fast (importing
matplotlib costs more than everything else the notebook does). The returned
object displays itself in Jupyter (`_repr_svg_`) when it ends a cell.

    loglog([Series(eps, err, "one-sided", color="#1f77b4", marker="o"), ...],
           xlim=(1e-13, 1e-1), ylim=(1e-17, 1e1), xlabel="ε", ylabel="relative error")
"""

import itertools
import math
from dataclasses import dataclass
from html import escape

import numpy as np

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
DASHES = {"solid": "", "dotted": "1.5,3", "dashed": "6,4", "dashdot": "7,3,1.5,3"}
_ids = itertools.count(1)   # clip-path ids, unique per plot on a page


@dataclass
class Series:
    x: np.ndarray
    y: np.ndarray
    label: str
    color: str = "black"
    line: str = "solid"      # solid, dotted, dashed, dashdot
    marker: str = ""         # "", "o" (circle) or "s" (square)
    width: float = 1.5


class SVGPlot(str):
    """SVG text that Jupyter shows as a picture."""

    def _repr_svg_(self):
        return str(self)


def _decade(e):
    return "1" if e == 0 else "10" + str(e).translate(SUPERSCRIPT)


def loglog(series, *, xlim, ylim, xlabel="", ylabel="", title="", vline=None, width=640, height=400):
    """A log-log plot of the series, with decade ticks, a legend at the lower left and an optional vertical band.

    Inputs:
    - series: list of Series (points with y <= 0 or outside ylim are left out, splitting the line)
    - xlim, ylim: (low, high), powers of 10
    - vline: optional (x, text): a gray vertical band at x, labelled

    Returns:
    - SVGPlot (a str)
    """
    left, right, top, bottom = 70, 16, 30 if title else 12, 46
    pw, ph = width - left - right, height - top - bottom
    lx, hx = math.log10(xlim[0]), math.log10(xlim[1])
    ly, hy = math.log10(ylim[0]), math.log10(ylim[1])

    def px(x):
        return left + (np.log10(x) - lx) / (hx - lx) * pw

    def py(y):
        return top + (hy - np.log10(y)) / (hy - ly) * ph

    clip = f"gradcheck-plot-{next(_ids)}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<clipPath id="{clip}"><rect x="{left}" y="{top}" width="{pw}" height="{ph}"/></clipPath>']
    if title:
        out.append(f'<text x="{left + pw / 2}" y="19" text-anchor="middle" font-size="13">{escape(title)}</text>')
    xstep = max(1, round((hx - lx) / 12))
    ystep = max(1, math.ceil((hy - ly) / 9))
    for e in range(math.ceil(lx), math.floor(hx) + 1):
        x = px(10.0 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{top + ph}" x2="{x:.1f}" y2="{top + ph + 4}" stroke="black"/>')
        if (e - math.ceil(lx)) % xstep == 0:
            out.append(f'<text x="{x:.1f}" y="{top + ph + 17}" text-anchor="middle">{_decade(e)}</text>')
    for e in range(math.ceil(ly), math.floor(hy) + 1):
        y = py(10.0 ** e)
        out.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="black"/>')
        if (e - math.ceil(ly)) % ystep == 0:
            out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{left - 7}" y="{y + 4:.1f}" text-anchor="end">{_decade(e)}</text>')
    if vline is not None:
        x = px(vline[0])
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="gray" '
                   'stroke-opacity="0.35" stroke-width="6"/>')
        out.append(f'<text x="{x + 7:.1f}" y="{top + 14}" fill="gray">{escape(vline[1])}</text>')
    out.append(f'<g clip-path="url(#{clip})" fill="none">')
    for s in series:
        x, y = np.asarray(s.x, dtype=float), np.asarray(s.y, dtype=float)
        ok = (y > 0) & np.isfinite(y) & (y >= ylim[0] / 10) & (y <= ylim[1] * 10)
        dash = f' stroke-dasharray="{DASHES[s.line]}"' if DASHES[s.line] else ""
        runs, run = [], []
        for xi, yi, good in zip(x, y, ok):
            if good:
                run.append(f"{px(xi):.1f},{py(yi):.1f}")
            elif run:
                runs.append(run)
                run = []
        runs.append(run)
        for run in runs:
            if len(run) > 1:
                out.append(f'<polyline points="{" ".join(run)}" stroke="{s.color}" stroke-width="{s.width}"{dash}/>')
        for xi, yi in zip(x[ok], y[ok]):
            if s.marker == "o":
                out.append(f'<circle cx="{px(xi):.1f}" cy="{py(yi):.1f}" r="2.3" fill="{s.color}"/>')
            elif s.marker == "s":
                out.append(f'<rect x="{px(xi) - 2:.1f}" y="{py(yi) - 2:.1f}" width="4" height="4" fill="{s.color}"/>')
    out.append("</g>")
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="black"/>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 8}" text-anchor="middle" font-size="12">{escape(xlabel)}</text>')
    out.append(f'<text transform="translate(16,{top + ph / 2}) rotate(-90)" text-anchor="middle" '
               f'font-size="12">{escape(ylabel)}</text>')
    # legend, lower left
    rows = [s for s in series if s.label]
    box_w = 12 + 34 + max([len(s.label) for s in rows] + [0]) * 6.2
    box_h = 8 + 16 * len(rows)
    bx, by = left + 8, top + ph - 8 - box_h
    out.append(f'<rect x="{bx}" y="{by}" width="{box_w:.0f}" height="{box_h}" fill="white" fill-opacity="0.9" '
               'stroke="#ccc"/>')
    for i, s in enumerate(rows):
        y = by + 12 + 16 * i
        dash = f' stroke-dasharray="{DASHES[s.line]}"' if DASHES[s.line] else ""
        out.append(f'<line x1="{bx + 6}" y1="{y}" x2="{bx + 34}" y2="{y}" stroke="{s.color}" '
                   f'stroke-width="{s.width}"{dash}/>')
        out.append(f'<text x="{bx + 40}" y="{y + 4}">{escape(s.label)}</text>')
    out.append("</svg>")
    return SVGPlot("\n".join(out))
