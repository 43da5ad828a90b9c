"""Fixtures for the browser tests: one JupyterLab server and one Chromium per session.

Outside CI the tests skip when /usr/bin/chromium (or Playwright) is missing; with
CI=true that is a failure, so CI can never pass without running them.
Screenshots go to $BROWSER_ARTIFACTS if set, else to a pytest temporary folder
(its path is printed at the end of the run).
"""

import os
import re
from pathlib import Path

import pytest

from . import jupyterlab as jl

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
_artifacts = []


def _require(ok, reason):
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: the browser tests must run; .ci/run installs Chromium)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_artifacts(tmp_path_factory):
    """Folder for screenshots (kept after the run)."""
    path = Path(os.environ["BROWSER_ARTIFACTS"]) if os.environ.get("BROWSER_ARTIFACTS") \
        else tmp_path_factory.mktemp("browser-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    _artifacts.append(path)
    return path


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright."""
    _require(jl.CHROMIUM.exists(), f"{jl.CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "the playwright package is not installed (pip install -r requirements.txt)")
    pw = sync_playwright().start()
    try:
        browser = jl.launch_chromium(pw)
        yield browser
        browser.close()
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """A JupyterLab server for the session (started after the browser check, so a
    skipped run starts nothing)."""
    with jl.lab_server(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="session")
def browser_context(chromium):
    # one context for the session: JupyterLab's bundles stay in its HTTP cache
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def lab_page(lab, browser_context):
    """A fresh page; afterwards it is closed and every kernel shut down."""
    page = browser_context.new_page()
    yield page
    page.close()
    lab.shutdown_kernels()


@pytest.fixture
def open_in_lab(request, lab, lab_page):
    """open_in_lab(src, keep_going=True) -> page: copy the notebook `src` into the
    server root (a folder per test), open the copy and wait for its kernel.
    Run it with jl.run_all(page, keep_going=...) using the same keep_going."""
    folder = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    count = iter(range(1000))

    def _open(src, keep_going=True):
        dest = jl.prepare_notebook(src, lab.root_dir / folder / str(next(count)), keep_going=keep_going)
        jl.open_notebook(lab_page, lab, dest.relative_to(lab.root_dir))
        return lab_page

    return _open


def pytest_terminal_summary(terminalreporter):
    for path in _artifacts:
        terminalreporter.write_line(f"browser screenshots: {path}")
    if jl.LATENCIES:
        terminalreporter.write_line("explorer control -> new label in the browser (goal: median < 150 ms, max < 200 ms):")
        for name, moves in jl.LATENCIES:
            summary = jl.latency_summary([ms for _, ms in moves])
            terminalreporter.write_line(f"  {name}: median {summary['median']:.0f} ms, max {summary['max']:.0f} ms "
                                        f"over {len(moves)} changes")
            for what, ms in moves:
                terminalreporter.write_line(f"    {ms:6.0f} ms  {what}")
