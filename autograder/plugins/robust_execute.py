"""nbgrader's Execute, made robust: a dead or hung kernel costs only what could not run.

Plain nbgrader 0.9.6 loses the student's whole assignment when the kernel dies
(os._exit, a segfault, the out-of-memory killer, the sandbox's time limit) or
stops answering; a cell that loops forever costs its full timeout; anything a
test cell writes to stderr (a NumPy warning) scores it 0.

`RobustExecute` replaces nbgrader.preprocessors.Execute in
c.Autograde.autograde_preprocessors. It runs the cells one by one like Execute
(same configuration: c.Execute.timeout per cell, the kernel manager class) and:

- kernel died in a cell: the cell gets a `KernelDied` error output; a fresh
  kernel starts, the cells before it are run again silently (their recorded
  outputs are kept; cells that died or timed out are not run again), and
  grading goes on after it. Tests that ran before keep their points.
- a cell over the per-cell limit is interrupted: `CellTimeout` error output.
  If it ignores the interrupt, the kernel is replaced as above.
- per-notebook time budget (`notebook_time_limit`, wall clock, replays
  included): when it runs out, the remaining test cells get `NotRun`. So do
  they when the kernel cannot be recovered (it dies again while replaying, or
  more than `max_kernel_restarts` times).
- a notebook autograder.plugins.broken replaced (unreadable file) is not run: every
  test cell gets `BrokenSubmission` with the reason.
- stderr output of test cells becomes stdout, each line prefixed "[stderr] ":
  a warning no longer zeroes a test; an error output still fails it.

Lesson cells (autograder/plugins/lessons.py) are not run (`skip_lessons`): the
notebook runs without them and they are put back, unexecuted, afterwards. If a
cell that ran raised NameError for a name only a lesson defines, the notebook
runs again in full. Events ("kernel died in cell 12 (test_x); ...", "graded in
full: ...") go to the notebook's sidecar file (autograder/plugins/sidecar.py).

Keep c.SandboxedKernelManager.time_limit_s (one kernel's life) above
notebook_time_limit: the sandbox's kill is the backstop, seen here as a death.
"""

import copy
import math
import signal
import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from autograder.plugins import lessons
from autograder.plugins.cells import grade_id
from autograder.plugins.cells import is_grade as _is_grade
from autograder.plugins.judge import error_output
from autograder.plugins.sidecar import BROKEN_KEY, resources_sidecar_path, update_sidecar


def describe_exit(code):
    """Why a kernel process ended, from its exit status."""
    if code is None:
        return "it stopped responding"
    if code < 0 or code > 128:
        number = -code if code < 0 else code - 128
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if number == signal.SIGKILL:
            return f"killed by {name}: out of memory, or a resource limit"
        if number == signal.SIGSEGV:
            return f"crashed with {name} (segmentation fault)"
        return f"killed by {name}"
    return f"exit code {code}"


class RobustExecute(Execute):
    """Execute that survives dead and hung kernels (see the module docstring)."""

    notebook_time_limit = Integer(
        600, help="Wall-clock budget for one notebook in seconds (replays included); 0 for none."
    ).tag(config=True)
    max_kernel_restarts = Integer(
        3, help="Fresh kernels started for one notebook before the remaining tests are given up."
    ).tag(config=True)
    skip_lessons = Bool(True, help="Do not run lesson cells (autograder/plugins/lessons.py).").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        if not self.skip_lessons or nb.metadata.get(BROKEN_KEY):
            return self._preprocess(nb, resources, km)
        full = copy.deepcopy(nb)
        names = lessons.lesson_only_names(nb.cells)
        taken = lessons.without_lessons(nb)
        skipped = {index for index, _ in taken}
        self._numbers = [i + 1 for i in range(len(full.cells)) if i not in skipped]
        nb, resources = self._preprocess(nb, resources, km)
        self._numbers = None
        why = lessons.needs_full_run(nb, names) if taken else None
        if why is None:
            lessons.put_back(nb, taken)
            return nb, resources
        events = self._events
        nb, resources = self._preprocess(full, resources, km)
        self._events = events + [f"graded in full, lessons included: {why}"] + self._events
        self._record_events(resources)
        return nb, resources

    def _preprocess(self, nb, resources=None, km=None):
        # As nbconvert's ExecutePreprocessor.preprocess, with our own cell loop.
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._events = []
        self._per_cell = self.timeout
        self._skip = set()   # cells never run again in a replay (died, timed out)
        broken = nb.metadata.get(BROKEN_KEY)
        try:
            if broken:
                for cell in self.nb.cells:
                    if _is_grade(cell):
                        cell.outputs = [error_output("BrokenSubmission", str(broken))]
                        cell.execution_count = None
            else:
                self._start = time.monotonic()
                self._kernel_started = time.monotonic()
                with self.setup_kernel():
                    self._kernel_info()
                    self._run_cells()
                self.set_widgets_metadata()
        finally:
            self.timeout = self._per_cell
        self._stderr_to_stdout()
        self._record_events(resources)
        return self.nb, self.resources

    # -------------------------------------------------------------- the cell loop

    def _remaining(self):
        if not self.notebook_time_limit:
            return None
        return self.notebook_time_limit - (time.monotonic() - self._start)

    def _label(self, index):
        """'cell 12 (test_x)': the cell's number in the whole notebook (lessons counted)."""
        numbers = getattr(self, "_numbers", None)
        number = numbers[index] if numbers else 1 + index
        cell = self.nb.cells[index]
        gid = grade_id(cell)
        if gid:
            return f"cell {number} ({gid})"
        first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
        return f"cell {number} ({first[:40]!r})"

    def _charge(self, index, output):
        """Put an error output on cell index."""
        self.nb.cells[index].outputs.append(output)

    def _run_cells(self):
        restarts = 0
        index = 0
        cells = self.nb.cells
        while index < len(cells):
            cell = cells[index]
            if cell.cell_type != "code" or not cell.source.strip():
                index += 1
                continue
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                self._give_up(index, f"the notebook's time limit ({self.notebook_time_limit} s) ran out "
                                     "before this test could run")
                self._events.append(f"the notebook's time limit ({self.notebook_time_limit} s) ran out at "
                                    f"{self._label(index)}; the tests after it did not run")
                return
            by_budget = remaining is not None and (self._per_cell is None or self._per_cell <= 0
                                                   or remaining < self._per_cell)
            self.timeout = max(1, math.ceil(remaining)) if by_budget else self._per_cell
            outcome, detail = self._execute(cell, index)
            if outcome == "ok":
                index += 1
                continue

            label = self._label(index)
            self._skip.add(index)
            if outcome == "timeout":
                cell.outputs = [o for o in cell.outputs if o.get("output_type") != "error"]
                if by_budget:
                    message = f"this cell was interrupted when the notebook's time limit " \
                              f"({self.notebook_time_limit} s) ran out"
                else:
                    message = f"this cell ran longer than the per-cell limit ({self._per_cell} s) and was interrupted"
                self._charge(index, error_output("CellTimeout", message))
                index += 1
                continue

            if outcome == "hung":
                output = error_output("CellTimeout", f"this cell ran longer than the per-cell limit ({self.timeout} s) "
                                                     "and did not stop when interrupted")
                event = f"{label} did not stop when interrupted"
            else:  # died
                output = error_output("KernelDied", f"the kernel died while running this cell ({detail})")
                event = f"kernel died in {label} ({detail})"
            self._charge(index, output)
            if restarts >= self.max_kernel_restarts:
                self._amend(output, "the tests after it were not run")
                self._events.append(f"{event}; gave up after {restarts + 1} kernel failures")
                self._give_up(index + 1, f"the kernel failed {restarts + 1} times (last in {label}); "
                                         "the remaining tests were not run")
                return
            restarts += 1
            ok, why = self._restart_and_replay(index)
            if not ok:
                self._amend(output, "the tests after it were not run")
                self._events.append(f"{event}; the fresh kernel did not recover ({why})")
                self._give_up(index + 1, f"the kernel died in {label} and did not recover ({why})")
                return
            self._amend(output, "grading went on in a fresh kernel")
            self._events.append(f"{event}; re-ran the notebook from a fresh kernel")
            index += 1

    def _execute(self, cell, index):
        """Run one cell: ('ok' | 'timeout' | 'hung' | 'died', detail)."""
        self._timed_out = False
        try:
            self.execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            reason = getattr(self.km, "stop_reason", "")  # SandboxedKernelManager's memory watchdog
            if isinstance(reason, str) and reason:
                return "died", reason
            limit = getattr(self.km, "time_limit_s", None)  # SandboxedKernelManager's wall clock
            if isinstance(limit, int) and limit > 0 and time.monotonic() - self._kernel_started >= limit - 0.5:
                return "died", f"stopped at the sandbox's time limit for one kernel, {limit} s"
            return "died", describe_exit(self._exit_code())
        except CellTimeoutError:
            return "hung", None
        if self._timed_out:
            return "timeout", None
        return "ok", None

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    def _exit_code(self):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        try:
            return process.poll() if process is not None else None
        except Exception:
            return None

    @staticmethod
    def _amend(output, what):
        output["evalue"] += f"; {what}"
        output["traceback"] = [f"{output['ename']}: {output['evalue']}"]

    def _give_up(self, start, reason):
        """Every test cell from start on gets NotRun (unless already charged with something)."""
        for j in range(start, len(self.nb.cells)):
            cell = self.nb.cells[j]
            if not _is_grade(cell):
                continue
            cell.execution_count = None
            cell.outputs = [error_output("NotRun", reason)]

    # -------------------------------------------------------------- fresh kernels

    def _kernel_info(self):
        info = self.wait_for_reply(self.kc.kernel_info())
        if info is not None and "language_info" in info["content"]:
            self.nb.metadata["language_info"] = info["content"]["language_info"]

    def _discard_kernel(self):
        mode = self.shutdown_kernel
        self.shutdown_kernel = "immediate"
        try:
            if self.km is not None:
                self._cleanup_kernel()
        except Exception as e:  # a dead kernel may fail to clean up: it is gone anyway
            self.log.warning("Cleaning up the old kernel failed: %s", e)
        finally:
            self.shutdown_kernel = mode
            self.km = None
            self.kc = None

    def _restart_and_replay(self, upto):
        """A fresh kernel that has run cells [0, upto) again, outputs discarded. Returns (ok, why not)."""
        self._discard_kernel()
        try:
            self.km = self.create_kernel_manager()
            self._kernel_started = time.monotonic()
            self.start_new_kernel()
            self.start_new_kernel_client()
            self._kernel_info()
        except Exception as e:  # noqa: BLE001 (whatever stops a kernel from starting)
            self.log.error("A fresh kernel could not start: %s", e)
            return False, f"a fresh kernel could not start: {type(e).__name__}"
        for j in range(upto):
            cell = self.nb.cells[j]
            if cell.cell_type != "code" or not cell.source.strip() or j in self._skip:
                continue
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                return False, f"the notebook's time limit ({self.notebook_time_limit} s) ran out"
            if remaining is not None and (self._per_cell is None or self._per_cell <= 0 or remaining < self._per_cell):
                self.timeout = max(1, math.ceil(remaining))
            else:
                self.timeout = self._per_cell
            replay = copy.deepcopy(cell)
            try:
                outcome, detail = self._execute(replay, j)
            finally:
                self.nb.cells[j] = cell  # execute_cell stores its cell there: keep the recorded one
            if outcome != "ok":
                what = {"died": f"died again in {self._label(j)} ({detail})",
                        "hung": f"{self._label(j)} hung", "timeout": f"{self._label(j)} timed out"}[outcome]
                return False, what
        return True, None

    # -------------------------------------------------------------- after execution

    def _stderr_to_stdout(self):
        for cell in self.nb.cells:
            if not _is_grade(cell):
                continue
            for out in cell.outputs:
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    out["name"] = "stdout"
                    out["text"] = "".join("[stderr] " + line for line in out.get("text", "").splitlines(True))

    def _record_events(self, resources):
        if isinstance(resources, dict):
            resources.setdefault("autograder", {})["events"] = list(self._events)
        if self._events and isinstance(resources, dict) and "nbgrader" in resources:
            update_sidecar(resources_sidecar_path(self, resources), events=self._events)
