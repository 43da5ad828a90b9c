"""The mistake report's HTML page: one self-contained file with its charts inline (SVG).

`write_page(report, release_dir, out_dir)` writes out_dir/index.html and, for the
section links, each release notebook rendered by nbconvert (out_dir/<nb>.html).
The report itself is built by autograder/commands/report.py.
"""

import html
import io
import re
from collections import Counter
from pathlib import Path

PASS, TAGGED, OTHER = "#2e7d32", "#e65100", "#9e9e9e"

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; }
h1 { margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 2px solid #ddd; padding-bottom: .2em; }
h3 { margin: 1.4em 0 .3em; font-family: ui-monospace, monospace; font-size: 1.05em; }
.summary { color: #555; } .section { color: #555; font-size: .92em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f6f6f6; font-weight: 600; }
td.n { text-align: right; white-space: nowrap; width: 5em; }
td.tag { font-family: ui-monospace, monospace; font-size: .88em; white-space: nowrap; }
.bar { display: inline-block; height: .8em; background: #e65100; vertical-align: middle; margin-right: .4em; }
.bar.other { background: #9e9e9e; }
.pass { color: #2e7d32; font-weight: 600; } .none { color: #2e7d32; }
.chart svg { max-width: 100%; height: auto; }
.students { color: #777; font-size: .85em; }
"""


# ---------------------------------------------------------------- charts

def _svg(fig):
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: inline in HTML


def notebook_chart(functions, total):
    """Stacked horizontal bars, one per graded function: passed, a named mistake, another failure."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in the page
    names = [fn.name for fn in functions][::-1]
    passed = [len(fn.passed) for fn in functions][::-1]
    tagged = [len(set().union(*[m.students for m in fn.mistakes.values() if m.tagged]) - fn.passed)
              for fn in functions][::-1]
    other = [len(fn.graded) - p - t for fn, p, t in zip(functions[::-1], passed, tagged)]
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(names) + 1.1))
    ax.barh(names, passed, color=PASS, label="passed")
    ax.barh(names, tagged, left=passed, color=TAGGED, label="a mistake the checks named")
    ax.barh(names, other, left=[p + t for p, t in zip(passed, tagged)], color=OTHER,
            label="not attempted, error, timeout or not handed in")
    ax.set_xlim(0, max(total, 1))
    ax.set_xlabel("students")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def score_chart(scores, max_score):
    """A histogram of the students' total scores, one bar per point."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.fonttype"] = "none"
    counts = Counter(round(s) for s, _ in scores.values())
    xs = list(range(0, int(round(max_score)) + 1))
    fig, ax = plt.subplots(figsize=(8, 2.6))
    ax.bar(xs, [counts.get(x, 0) for x in xs], color="#1565c0", width=0.8)
    ax.set_xlabel(f"score (out of {max_score:g})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


# ---------------------------------------------------------------- the release notebooks, for the links

def _anchor_key(text):
    return re.sub(r"[^0-9a-z]+", "", html.unescape(text).lower())


def render_release(release_dir, notebook, out_dir):
    """Render release/<a>/<notebook>.ipynb to out_dir/<notebook>.html; returns {heading key: id} ({} if none)."""
    from nbconvert import HTMLExporter

    import nbformat

    path = Path(release_dir) / f"{notebook}.ipynb"
    if not path.is_file():
        return {}  # no release to link to: the sections are named without a link
    nb = nbformat.read(str(path), as_version=4)
    body, _ = HTMLExporter().from_notebook_node(nb)
    (Path(out_dir) / f"{notebook}.html").write_text(body, encoding="utf-8")
    anchors = {}
    for hid, inner in re.findall(r'<h[1-6] id="([^"]+)"[^>]*>(.*?)</h[1-6]>', body, re.DOTALL):
        text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner, flags=re.DOTALL)
        anchors.setdefault(_anchor_key(re.sub(r"<[^>]+>", "", text)), hid)
    return anchors


# ---------------------------------------------------------------- the page

def _e(text):
    return html.escape(str(text))


def _function_html(fn, total):
    link = f'<a href="{_e(fn.notebook)}.html#{_e(fn.anchor)}">{_e(fn.section)}</a>' if fn.anchor \
        else _e(fn.section)
    where = f"{_e(fn.chapter)} › {link}" if fn.chapter else link
    out = [f'<h3 id="{_e(fn.notebook)}-{_e(fn.name)}">{_e(fn.name)}</h3>',
           f'<div class="section">Taught in: {where} · {fn.max_points:g} point(s) · '
           f'<span class="pass">{len(fn.passed)} of {len(fn.graded)} passed</span></div>']
    mistakes = fn.sorted_mistakes()
    if not mistakes:
        out.append('<p class="none">No mistakes: every graded student passed.</p>')
        return "\n".join(out)
    out.append("<table><tr><th>students</th><th>mistake</th><th>what the check says</th></tr>")
    widest = max(len(m.students) for m in mistakes)
    for m in mistakes:
        n = len(m.students)
        bar = f'<span class="bar{"" if m.tagged else " other"}" style="width:{4 * n / widest:.2f}em"></span>'
        variants = f" <span class='students'>({len(m.messages)} variants)</span>" if len(m.messages) > 1 else ""
        who = ", ".join(sorted(m.students))
        out.append(f'<tr><td class="n">{bar}{n}</td><td class="tag">{_e(m.key)}</td>'
                   f'<td>{_e(m.message) or "—"}{variants}<div class="students">{_e(who)}</div></td></tr>')
    out.append("</table>")
    return "\n".join(out)


def render_html(report, charts, score_svg):
    total = len(report.scores)
    mean = sum(s for s, _ in report.scores.values()) / total if total else 0.0
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{_e(report.assignment)}: "
             f"mistakes of the class</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(report.assignment)}: what the class got wrong</h1>",
             f'<p class="summary">{total} students graded · mean score {mean:.1f} / {report.max_score:g}. '
             "Per graded function: who passed its tests, then each mistake the hidden checks named, "
             "most frequent first; the section links open the release notebook.</p>",
             _top_mistakes(report),
             "<h2>Scores</h2>", f'<div class="chart">{score_svg}</div>', _score_table(report)]
    for nb in report.notebooks:
        functions = [fn for fn in report.functions if fn.notebook == nb]
        parts.append(f'<h2 id="{_e(nb)}">{_e(nb)}</h2>')
        parts.append(f'<div class="chart">{charts[nb]}</div>')
        parts.extend(_function_html(fn, total) for fn in functions)
    parts.append("</body></html>")
    return "\n".join(parts)


def _top_mistakes(report, limit=10):
    """The most frequent mistakes the checks named, across the assignment, with links to their function."""
    named = sorted(((len(m.students), fn, m) for fn in report.functions for m in fn.mistakes.values() if m.tagged),
                   key=lambda t: (-t[0], t[1].notebook, t[1].name, t[2].key))[:limit]
    if not named:
        return "<h2>Most frequent mistakes</h2><p class='none'>The hidden checks named no mistake.</p>"
    rows = "".join(f"<tr><td class='n'>{n}</td><td><a href='#{_e(fn.notebook)}-{_e(fn.name)}'>"
                   f"{_e(fn.notebook)}.{_e(fn.name)}</a></td><td class='tag'>{_e(m.key)}</td>"
                   f"<td>{_e(m.message)}</td></tr>" for n, fn, m in named)
    return ("<h2>Most frequent mistakes</h2><table><tr><th>students</th><th>function</th><th>mistake</th>"
            f"<th>what the check says</th></tr>{rows}</table>")


def _score_table(report):
    counts = Counter(s for s, _ in report.scores.values())
    cells = "".join(f"<tr><td class='n'>{s:g}</td><td class='n'>{n}</td></tr>"
                    for s, n in sorted(counts.items(), reverse=True))
    return f"<table style='width:auto'><tr><th>score</th><th>students</th></tr>{cells}</table>"


def write_page(report, release_dir, out_dir):
    """Write out_dir/index.html (and the rendered release notebooks); returns the page's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    total = len(report.scores)
    for nb in report.notebooks:
        anchors = render_release(release_dir, nb, out_dir)
        for fn in report.functions:
            if fn.notebook == nb:
                fn.anchor = anchors.get(_anchor_key(fn.section), "")
    charts = {nb: notebook_chart([fn for fn in report.functions if fn.notebook == nb], total)
              for nb in report.notebooks}
    page = out_dir / "index.html"
    page.write_text(render_html(report, charts, score_chart(report.scores, report.max_score)), encoding="utf-8")
    return page
