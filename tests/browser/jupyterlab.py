"""A real JupyterLab server and headless Chromium, for the browser tests.

Server (`lab_server`): `python -m jupyterlab` on 127.0.0.1, a port chosen by the
OS (read back from the server's runtime file), a random token, and its config,
data and runtime directories in a temporary folder. The venv's
``share/jupyter`` stays on the Jupyter path, so the python3 kernelspec and the
ipywidgets labextension (@jupyter-widgets/jupyterlab-manager) are found. It is
stopped by its PID (SIGTERM, which also shuts its kernels down; SIGKILL if it
hangs).

Browser (`launch_chromium`): Debian's /usr/bin/chromium through Playwright's
``executable_path``; nothing is downloaded (``playwright install`` is never
needed).

Explorer DOM contract (see `EXPLORER`): an explorer is the VBox built by
``course.widgets.Explorer``, with CSS classes on its parts: ``course-explorer``
on the root, ``course-explorer-plot`` on the plot ``img`` and
``course-explorer-status`` on the status label, which the explorer sets *after*
the image, so it is what a test waits for. In the error state (a stub or a
crash while the explorer is built) the root holds only the status label, with
the message. Controls are found by their description (`control`): a slider by
its label, typed into through its ``.widget-readout`` (contenteditable, only
while the slider is enabled); toggle buttons by the button's text.

Running past errors (`run_all(keep_going=True)`): JupyterLab's Run All sends
every cell's execute request at once, each with ``stop_on_error: true``; the
first error makes ipykernel abort the requests already queued, so the cells
after the first failing test cell do not run (their prompts stay empty). Which
requests are "already queued" is a race (ipykernel's stop_on_error_timeout is
0): under load a later cell sometimes runs anyway, so a plain Run All past an
error is not even deterministic. JupyterLab
sends ``stop_on_error: false`` for cells tagged ``raises-exception`` (the same
tag nbclient/nbconvert honour; jupyterlab/jupyterlab#6424, OutputArea.execute),
and there is no JupyterLab setting for this.
So `prepare_notebook` writes the copy with that tag on every code cell and no
outputs or execution counts; one Run All then executes every cell, in order,
errors included, and the run is finished when every non-empty code cell has an
execution count. This is one Run All (no timing-dependent re-runs, no
focus-dependent Shift+Enter loop), and it changes only the copy's metadata,
never a cell's source.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in a container: Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# JupyterLab settings for a quiet, deterministic page (written as overrides.json).
LAB_OVERRIDES = {
    # no news/update toasts, and no toasts at all (do-not-disturb)
    "@jupyterlab/apputils-extension:notification": {
        "checkForUpdates": False, "fetchNews": "false", "doNotDisturbMode": True,
    },
    "@jupyterlab/notebook-extension:tracker": {
        # every cell in the DOM (no virtual scrolling), so locators find all outputs
        "windowingMode": "none",
        # never ask "Select Kernel": start the notebook's (or the default) kernel
        "autoStartDefaultKernel": True,
    },
    # the copy is never written back (the copy is throwaway anyway)
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    # no PyPI queries and no "third-party extensions" disclaimer
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}
# nbgrader's UI is not what students see (and wants a course directory); the
# Notebook 7 UI and terminals are not used. Fewer extensions, faster start.
LAB_DISABLED = {"@jupyter/nbgrader": True}
SERVER_CONFIG = {
    "ServerApp": {
        "jpserver_extensions": {
            **{f"nbgrader.server_extensions.{name}": False
               for name in ("formgrader", "validate_assignment", "assignment_list", "course_list")},
            "notebook": False,
            "jupyter_server_terminals": False,
        },
        "terminals_enabled": False,
    },
}

# Explorer selectors (see the module docstring).
EXPLORER = ".course-explorer"
EXPLORER_PLOT = ".course-explorer-plot"
EXPLORER_STATUS = ".course-explorer-status"
SLIDER_READOUT = ".widget-readout[contenteditable='true']"

# (explorer, [(what changed, ms from Enter or click to the new label), ...]), appended by the tests;
# summed up at the end of the run (conftest.py)
LATENCIES = []


def latency_summary(ms):
    """{"median": ..., "max": ...} of a list of latencies in ms."""
    import statistics

    return {"median": statistics.median(ms), "max": max(ms)}


# ----------------------------------------------------------------------------- server

@dataclass
class LabServer:
    url: str  # http://127.0.0.1:PORT/
    token: str
    root_dir: Path  # the server's root: notebooks to open go here
    pid: int
    log: Path

    def lab_url(self, path):
        """The JupyterLab URL opening `path` (relative to root_dir) in a fresh workspace."""
        return f"{self.url}lab/tree/{quote(str(path))}?reset&token={self.token}"

    def api(self, path, method="GET"):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """Shut down every kernel (after a test, to keep the session lean)."""
        for session in self.api("api/sessions"):
            self.api(f"api/sessions/{session['id']}", method="DELETE")


def _log_tail(log, n=40):
    lines = Path(log).read_text(errors="replace").splitlines()
    return "\n".join(lines[-n:])


@contextlib.contextmanager
def lab_server(base_dir, timeout=60, course_dir=None):
    """Start JupyterLab with everything it writes under `base_dir`; yield a LabServer.

    With `course_dir`, the server's root (and working directory) is that nbgrader course and
    nbgrader's formgrader server extension is on (`{url}formgrader/...`), as for an instructor.
    """
    base = Path(base_dir)
    dirs = {name: base / name for name in ("root", "config", "data", "runtime", "ipython", "settings")}
    server_config = SERVER_CONFIG
    if course_dir is not None:
        dirs["root"] = Path(course_dir)
        server_config = json.loads(json.dumps(SERVER_CONFIG))
        server_config["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] = True
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    (dirs["settings"] / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=1))
    (dirs["config"] / "labconfig").mkdir(exist_ok=True)
    (dirs["config"] / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": LAB_DISABLED}))
    (dirs["config"] / "jupyter_server_config.json").write_text(json.dumps(server_config))
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "IPYTHONDIR": str(dirs["ipython"]),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # quiet debugpy warning in the kernel log
    }
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port=0", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={dirs['root']}",
        f"--LabApp.app_settings_dir={dirs['settings']}",  # where overrides.json is read
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run commands, read the model
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = base / "jupyterlab.log"
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(cmd, cwd=dirs["root"], env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        info_file = dirs["runtime"] / f"jpserver-{proc.pid}.json"
        deadline = time.monotonic() + timeout
        server = None
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{_log_tail(log)}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"JupyterLab not ready after {timeout}s:\n{_log_tail(log)}")
            if server is None and info_file.exists():
                with contextlib.suppress(ValueError):  # file being written
                    info = json.loads(info_file.read_text())
                    server = LabServer(url=info["url"], token=token, root_dir=dirs["root"], pid=proc.pid, log=log)
            if server is not None:
                with contextlib.suppress(OSError, urllib.error.URLError):
                    server.api("api/status")
                    urllib.request.urlopen(f"{server.url}lab?token={token}", timeout=10).read()
                    break
            time.sleep(0.1)
        yield server
    finally:
        stop_by_pid(proc)
        # A kernel the server failed to shut down still names its connection
        # file in our runtime dir on its command line: end it by its PID.
        for pid in _pids_with_arg_under(dirs["runtime"]):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def stop_by_pid(proc, timeout=15):
    """SIGTERM (the server then shuts its kernels down), SIGKILL if it does not exit."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _pids_with_arg_under(folder):
    """PIDs of processes with a command-line argument inside `folder` (Linux /proc)."""
    prefix = str(folder) + os.sep
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if any(arg.startswith(prefix) for arg in cmdline.read_text(errors="replace").split("\0")):
                pids.append(int(cmdline.parent.name))
    return pids


# ----------------------------------------------------------------------------- notebook copies

def prepare_notebook(src, dest_dir, name=None, keep_going=True):
    """Write a copy of `src` into `dest_dir` (the server's root or below) and return its path.

    The copy has no outputs and no execution counts (so "every cell has a count"
    means "every cell ran in this run"), and with keep_going every code cell is
    tagged ``raises-exception`` so Run All goes on past errors (module docstring).
    Run on a copy: JupyterLab would otherwise write outputs into the original.
    """
    nb = nbformat.read(str(src), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if keep_going:
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
    dest = Path(dest_dir) / (name or Path(src).name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(dest))
    return dest


# ----------------------------------------------------------------------------- browser

def launch_chromium(playwright, executable=CHROMIUM):
    """Debian's Chromium, headless, through Playwright (no browser download)."""
    return playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)


def open_notebook(page, server, path, timeout=60_000):
    """Open `path` (relative to the server root) in JupyterLab and wait for an idle kernel.

    Waits for the kernel's name in the notebook toolbar before anything runs:
    running earlier would be swallowed by a "Select Kernel" dialog.
    """
    page.goto(server.lab_url(path), timeout=timeout)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.wait_for(timeout=timeout)
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const ctx = w && w.sessionContext;
            if (!(ctx && ctx.session && ctx.session.kernel && ctx.kernelDisplayStatus === 'idle')) return false;
            // the kernel's name is shown in the notebook toolbar
            const shown = w.node.querySelector('.jp-Toolbar-kernelName');
            return !!shown && shown.innerText.trim() === ctx.kernelDisplayName;
        }""", timeout=timeout)
    fail_on_dialog(page)
    return panel


def fail_on_dialog(page):
    """Raise if a JupyterLab dialog is open (it would swallow the next action)."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        raise AssertionError(f"JupyterLab dialog open: {dialog.first.inner_text()!r}")


_RUN_ALL_DONE = """() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    return nb.widgets.every(c => c.model.type !== 'code'
        || c.model.sharedModel.getSource().trim() === ''
        || (c.model.executionCount !== null && c.model.executionState !== 'running'));
}"""


def run_all(page, timeout=120_000, keep_going=True):
    """Run All Cells (the Run menu's command) and wait until the run is over.

    keep_going=True (the copy came from prepare_notebook(keep_going=True)): wait
    until every non-empty code cell has an execution count. Use it for source
    notebooks too (assert they have no errors): one code path, and an
    unexpected error still shows every later cell's state. keep_going=False:
    wait for the command and an idle kernel; after an error, which later cells
    ran is a race (module docstring).
    """
    fail_on_dialog(page)
    # not awaited in evaluate (that has no timeout): a flag marks the command's end
    page.evaluate("""() => {
        window.__courseRunAllDone = false;
        window.jupyterapp.commands.execute('notebook:run-all-cells')
            .finally(() => { window.__courseRunAllDone = true; });
    }""")
    page.wait_for_function("() => window.__courseRunAllDone", timeout=timeout, polling=100)
    if keep_going:  # the command returns at the first error; the tagged cells still run
        page.wait_for_function(_RUN_ALL_DONE, timeout=timeout, polling=100)
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.kernelDisplayStatus === 'idle'",
        timeout=timeout, polling=100)


def cells(page):
    """Every cell as a dict: index, type, source, nbgrader metadata, output text as
    shown on the page, and the error names (ename) of its error outputs."""
    return page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets.map((c, index) => {
        const outputs = c.model.type === 'code' ? c.model.outputs.toJSON() : [];
        const area = c.node.querySelector('.jp-OutputArea');
        return {
            index, type: c.model.type, source: c.model.sharedModel.getSource(),
            nbgrader: c.model.getMetadata('nbgrader') || null,
            execution_count: c.model.type === 'code' ? c.model.executionCount : null,
            text: area ? area.innerText : '',
            errors: outputs.filter(o => o.output_type === 'error').map(o => o.ename),
        };
    })""")


def explorers(page, count=None, timeout=30_000):
    """Locator of the explorers on the page (see EXPLORER); with `count`, first
    wait until exactly that many are rendered."""
    found = page.locator(EXPLORER)
    if count is not None:
        from playwright.sync_api import expect
        expect(found).to_have_count(count, timeout=timeout)
    return found


def explorer_parts(explorer):
    """(plot img, status label) locators of one explorer."""
    return explorer.locator(EXPLORER_PLOT), explorer.locator(EXPLORER_STATUS)


def image_digest(img):
    """SHA-256 of the bytes the <img> shows (ipywidgets gives every update a new
    blob: URL, so comparing src alone would not prove the plot changed)."""
    return img.evaluate("""async img => {
        const bytes = await (await fetch(img.src)).arrayBuffer();
        const digest = await crypto.subtle.digest('SHA-256', bytes);
        return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
    }""")


def control(explorer, description):
    """("slider", readout) or ("buttons", button group) locator of the explorer's
    control with this description (the label left of it)."""
    import re

    label = explorer.page.locator("label.widget-label", has_text=re.compile(rf"^\s*{re.escape(description)}\s*$"))
    slider = explorer.locator(".widget-slider").filter(has=label)
    if slider.count():
        return "slider", slider.first.locator(".widget-readout")
    buttons = explorer.locator(".widget-toggle-buttons").filter(has=label)
    if buttons.count():
        return "buttons", buttons.first
    raise AssertionError(f"no slider or toggle buttons labelled {description!r} in the explorer")


def type_into_slider(readout, value):
    """Type `value` into a slider's readout and press Enter.

    (Arrow keys on the slider handle are unreliable; the readout is the
    documented text entry of IntSlider/FloatSlider/FloatLogSlider.)
    """
    readout.scroll_into_view_if_needed()
    assert readout.get_attribute("contenteditable") == "true", "the slider is disabled"
    readout.click()
    readout.press("Control+A")  # in a focused contenteditable: select its own text only
    readout.press_sequentially(str(value))
    readout.press("Enter")
    return readout


def set_control(explorer, what, value):
    """Set one control: `what` is a description (slider: type into its readout;
    toggle buttons: click the button named `value`) or an int, the index of the
    enabled slider readouts."""
    if isinstance(what, int):
        return type_into_slider(explorer.locator(SLIDER_READOUT).nth(what), value)
    kind, locator = control(explorer, what)
    if kind == "slider":
        return type_into_slider(locator, value)
    button = locator.get_by_role("button", name=str(value), exact=True)
    button.click()
    return button


def wait_text_change(locator, old_text, timeout=30_000):
    """Wait until `locator`'s text is no longer `old_text`; return the new text."""
    handle = locator.element_handle(timeout=timeout)
    locator.page.wait_for_function("([el, old]) => el.innerText !== old", arg=[handle, old_text], timeout=timeout)
    return locator.inner_text()


# the image is decoded and two frames have been painted since (for screenshots)
_DECODED_AND_PAINTED = """img => img.decode().then(
    () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))))"""


def change_control(explorer, what, value, shots_dir=None, name="explorer", timeout=30_000):
    """Set one control of an explorer (see set_control) and wait for the status label.

    Returns a dict with the label, image digest and src before and after, and
    ``ms``: from the key press or click to the new label, as the page saw it.
    Saves `<name>-before.png` and `<name>-after.png` screenshots of the explorer
    in shots_dir when given.
    """
    img, status = explorer_parts(explorer)
    explorer.scroll_into_view_if_needed()
    img.evaluate(_DECODED_AND_PAINTED)
    before = {"label": status.inner_text(), "image": image_digest(img), "src": img.get_attribute("src")}
    if shots_dir is not None:
        explorer.screenshot(path=str(Path(shots_dir) / f"{name}-before.png"))
    # stamps on the page's clock: the last Enter or click in the explorer, and the
    # label's first change after it (a MutationObserver)
    status.evaluate("""(el) => {
        const root = el.closest('.course-explorer');
        window.__courseStart = null;
        window.__courseChanged = null;
        if (!root.__courseStamp) {
            root.__courseStamp = e => {
                if (e.type === 'click' || e.key === 'Enter') window.__courseStart = performance.now();
            };
            root.addEventListener('keydown', root.__courseStamp, true);
            root.addEventListener('click', root.__courseStamp, true);
        }
        const obs = new MutationObserver(() => {
            if (window.__courseChanged === null) { window.__courseChanged = performance.now(); obs.disconnect(); }
        });
        obs.observe(el, {subtree: true, childList: true, characterData: true});
    }""")
    set_control(explorer, what, value)
    label = wait_text_change(status, before["label"], timeout=timeout)
    ms = explorer.page.evaluate("() => window.__courseChanged - window.__courseStart")
    # the label is set after the image; the image model may still be applying its update
    img.page.wait_for_function("([el, old]) => el.getAttribute('src') !== old",
                               arg=[img.element_handle(), before["src"]], timeout=timeout)
    img.evaluate(_DECODED_AND_PAINTED)
    after = {"label": label, "image": image_digest(img), "src": img.get_attribute("src")}
    if shots_dir is not None:
        explorer.screenshot(path=str(Path(shots_dir) / f"{name}-after.png"))
    return {"before": before, "after": after, "ms": ms}
