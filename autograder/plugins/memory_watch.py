"""A watchdog on the resident memory of a sandboxed kernel's process tree (used by sandbox.py).

The sandbox limits each process's data segment (RLIMIT_DATA: heap, private
anonymous mappings, thread stacks), so an allocation past it fails inside the
kernel with a MemoryError and the kernel lives on. What RLIMIT_DATA does not
count, shared mappings (`mmap.mmap(-1, n)`), many processes each under the limit,
is caught here: a thread of the grader sums the resident set (RSS, /proc/<pid>/statm)
of the kernel's process and all its descendants every `interval` seconds and, over
the limit, kills them all with SIGKILL and records why (`reason`), which the grader
reports as the cause of the kernel's death (autograder/plugins/robust_execute.py).

Address space (RLIMIT_AS) is not limited: JAX's CPU runtime, like other XLA and
CUDA runtimes, reserves far more address space than it ever uses (about 1.5 GiB for
`import jax` on 2 cores, more with more cores), so a limit there stops JAX, not
runaway students.

Linux only (/proc). Children are read from /proc/<pid>/task/<tid>/children.
"""

import os
import signal
import threading

PAGE = os.sysconf("SC_PAGE_SIZE")


def children(pid):
    """Direct children of pid (every thread's), or [] if it is gone."""
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return out


def tree(pid):
    """pid and all its descendants (those alive now)."""
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.append(p)
        todo += children(p)
    return seen


def resident_bytes(pid):
    """Resident set size of one process in bytes (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def tree_resident_bytes(pid):
    return sum(resident_bytes(p) for p in tree(pid))


class MemoryWatch:
    """Kill the process tree of `pid` when its resident memory exceeds `limit_mb` MiB.

        watch = MemoryWatch(pid, limit_mb=3072).start()
        ...
        watch.stop(); watch.reason   # "" while the tree stayed under the limit
    """

    def __init__(self, pid, limit_mb, interval=0.1):
        self.pid, self.limit, self.interval = pid, limit_mb * 2**20, interval
        self.reason = ""
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"memory-watch-{pid}", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    def _run(self):
        while not self._stop.wait(self.interval):
            pids = tree(self.pid)
            if not pids or resident_bytes(self.pid) == 0 and len(pids) == 1:
                return  # the kernel is gone
            used = sum(resident_bytes(p) for p in pids)
            self.peak = max(self.peak, used)
            if used > self.limit:
                self.reason = (f"stopped by the sandbox: its processes held {used / 2**20:.0f} MiB of memory, "
                               f"over the limit of {self.limit / 2**20:.0f} MiB")
                for p in reversed(pids):  # innermost first, then the sandbox itself
                    try:
                        os.kill(p, signal.SIGKILL)
                    except OSError:
                        pass
                return
