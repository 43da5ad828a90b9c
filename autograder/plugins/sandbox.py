"""Sandboxed Jupyter kernels for autograding, with bubblewrap (Debian package `bubblewrap`).

nbgrader runs every submitted notebook in a Jupyter kernel. `SandboxedKernelManager`
starts that kernel inside a bubblewrap sandbox instead of as the grader's own user:

- Files: an empty root with only an allowlist mounted, read-only: the system
  (/usr, /etc and the /bin, /lib links), the Python installation (prefixes and
  site-packages) and the packages students import (`course`). So source/
  (hidden tests), autograder/ (reference and hidden checks), gradebook.db, other
  students' submissions, feedback/, release/, .git/ and the rest of the machine
  are simply not there. `hidden_paths` and `hidden_packages` are covered again
  in case a mounted tree contains them.
- The kernel's working directory (nbgrader: autograded/<student>/<assignment>/)
  shows a private, writable copy of that folder, discarded afterwards: student
  code cannot leave files (or symlinks) where the grader will write later.
- No network: a new network namespace with only its own loopback, so not even
  the host's 127.0.0.1. The grader talks to the kernel over Unix sockets
  (jupyter_client `transport = "ipc"`) in a private directory mounted inside.
- Its own PID, IPC and UTS namespaces; the kernel dies with the grader.
- An unprivileged user: when the grader runs as root the kernel runs as
  uid/gid 65534 (nobody) with no capabilities; otherwise as the grader's user
  mapped to 65534 in a user namespace, unable to create further ones.
- Resource limits (setrlimit via `prlimit`): the data segment of each process
  (RLIMIT_DATA, `memory_limit_mb`, 2 GiB: heap, private mappings, thread stacks;
  an allocation past it raises MemoryError in the kernel, which lives on), CPU
  seconds, processes, file size; a wall-clock limit for the whole notebook
  (`time_limit_s`, via `timeout`); /tmp and /dev/shm are size-capped tmpfs.
- Resident memory: a watchdog in the grader (autograder/plugins/memory_watch.py)
  sums the RSS of the kernel's whole process tree every 0.1 s and kills the
  sandbox over `resident_limit_mb` (3 GiB), for what RLIMIT_DATA does not count
  (shared mappings, many processes); the death is reported with that reason
  (`stop_reason`). Address space is not limited: JAX's CPU runtime reserves far
  more of it than it uses (1.5 GiB for `import jax` on 2 cores, more with more).
- A scrubbed environment: only locale, PATH and Jupyter/nbgrader variables
  reach the kernel (no tokens or credentials from the grader's environment).

Use it from nbgrader_config.py with
`c.Execute.kernel_manager_class = "autograder.plugins.sandbox.SandboxedKernelManager"`
(nbgrader's Execute passes AsyncKernelManager to its constructor, but nbconvert's
ExecutePreprocessor re-applies the configuration when it runs a notebook; the
slow test in tests/test_sandbox.py checks that the setting takes effect), or
from nbclient: `NotebookClient(nb, kernel_manager_class=SandboxedKernelManager)`.
The kernel must be the grader's own Python (the `python3` kernelspec): only its
installation is mounted. Files and directories mounted must be world-readable
when the grader runs as root.

What it does not protect against (see the README, "Sandboxed autograding"): the
sandbox shares the host's Linux kernel (a kernel exploit escapes); checks that
run inside the kernel share the interpreter with student code, which can tamper
with them; the resident-memory watchdog polls, so a process that allocates very
fast can overshoot its limit for a fraction of a second before it is killed.
"""

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, List, Unicode

from autograder.plugins.memory_watch import MemoryWatch

# Relative to the course root: everything the student kernel must not see.
DEFAULT_HIDDEN_PATHS = ["source", "autograder", "gradebook.db", "submitted", "autograded", "feedback",
                        "release", "exchange", "tests", ".git", ".github", ".ci"]

# System directories mounted read-only (the /bin, /lib... ones are symlinks on merged-/usr systems).
SYSTEM_PATHS = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]

# Files of the kernel's folder that are not copied into the sandbox: Python would import them.
IMPORT_HIJACK_PATTERNS = ["*.py", "*.pyc", "*.pyo", "*.pth", "*.so", "__pycache__"]

# Environment variables the kernel keeps (names, or prefixes ending in "_").
KEPT_ENV = ["PATH", "LANG", "LANGUAGE", "TZ", "TERM", "LC_", "NBGRADER_", "JPY_SESSION_NAME",
            "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONUTF8", "MPLBACKEND", "PYDEVD_"]


def sandbox_available(bwrap="bwrap"):
    """Whether bubblewrap is installed and can create its namespaces here (not in every container).

    Returns:
    - (ok, reason): ok a bool; reason a human-readable explanation when not ok
    """
    import subprocess

    exe = shutil.which(bwrap)
    if exe is None:
        return False, f"{bwrap} not found (Debian/Ubuntu: apt-get install bubblewrap)"
    args = [exe, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--die-with-parent"]
    if os.geteuid() != 0:
        args += ["--unshare-user"]
    proc = subprocess.run(args + ["--", "true"], capture_output=True, text=True)
    if proc.returncode != 0:
        return False, f"bwrap cannot create a sandbox here: {proc.stderr.strip()}"
    return True, ""


def bwrap_version(exe):
    """bubblewrap's version as a tuple, e.g. (0, 8, 0); (0,) if it cannot be told."""
    import re
    import subprocess

    out = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(g or 0) for g in match.groups()) if match else (0,)


def _is_within(path, root):
    """Whether path is root or lies below it (both absolute, already resolved)."""
    return path == root or root in path.parents


def _python_paths():
    """Directories the kernel's Python needs: its prefixes and install paths (site-packages).

    Not sys.path: pytest and `python -m` put the working directory there, which may be
    the repository with autograder/ in it.
    """
    import site

    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))]
    paths += list(sysconfig.get_paths().values()) + site.getsitepackages()
    return paths


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run inside a bubblewrap sandbox (see the module docstring).

    Configurable (nbgrader_config.py, `c.SandboxedKernelManager.<name> = ...`):
    - memory_limit_mb: data-segment limit of each process (RLIMIT_DATA): MemoryError past it
    - resident_limit_mb: resident memory of the whole sandbox; over it the sandbox is killed
    - time_limit_s: wall-clock limit for the kernel's whole life, i.e. one notebook;
      also its CPU-time limit (RLIMIT_CPU)
    - course_root: where the course lives; default: nbgrader's CourseDirectory.root,
      else three levels above the kernel's working directory if that is autograded/<s>/<a>/
    - hidden_paths: paths (relative to course_root, or absolute) covered with an
      empty directory if a mounted tree contains them; hidden_packages: the same for
      packages, wherever installed (autograder)
    - visible_packages / visible_paths: extra read-only mounts (packages by import name)
    """

    # The kernel cannot reach TCP ports on the host: talk over Unix sockets.
    transport = Unicode("ipc").tag(config=True)

    bwrap = Unicode("bwrap", help="The bubblewrap executable.").tag(config=True)
    memory_limit_mb = Integer(2048, help="Data-segment limit (RLIMIT_DATA) of each process in the sandbox, in MiB: "
                              "an allocation past it raises MemoryError.").tag(config=True)
    resident_limit_mb = Integer(3072, help="Resident memory (RSS) of the sandbox's whole process tree, in MiB, "
                                "above which the watchdog kills it; 0 for no watchdog.").tag(config=True)
    time_limit_s = Integer(900, help="Wall-clock and CPU-time limit of one kernel (one notebook), in seconds.").tag(
        config=True)
    max_processes = Integer(512, help="RLIMIT_NPROC of the sandbox user (only when the grader runs as root).").tag(
        config=True)
    max_file_mb = Integer(512, help="Largest file the kernel may write (RLIMIT_FSIZE), in MiB.").tag(config=True)
    tmp_size_mb = Integer(256, help="Size of the kernel's private /tmp (a tmpfs, in memory; bwrap >= 0.7), in MiB."
                          ).tag(config=True)
    blas_threads = Integer(1, help="OPENBLAS/OMP/MKL threads in the kernel (keeps BLAS inside the memory limit).").tag(
        config=True)
    sandbox_uid = Integer(65534, help="User the kernel runs as (nobody).").tag(config=True)
    sandbox_gid = Integer(65534, help="Group the kernel runs as (nogroup).").tag(config=True)
    course_root = Unicode("", help="The course root; see the class docstring for the default.").tag(config=True)
    hidden_paths = List(Unicode(), DEFAULT_HIDDEN_PATHS,
                        help="Paths covered in the sandbox (relative to course_root, or absolute).").tag(config=True)
    visible_packages = List(Unicode(), ["course"],
                            help="Packages the kernel may import, mounted read-only from where the grader finds them."
                            ).tag(config=True)
    visible_paths = List(Unicode(), [], help="Extra read-only mounts (relative to course_root, or absolute).").tag(
        config=True)
    hidden_packages = List(Unicode(), ["autograder"],
                           help="Packages covered wherever they are installed, like hidden_paths.").tag(config=True)

    _sandbox_dir = None  # private directory with the connection file and the kernel's Unix sockets
    _memory_watch = None

    @property
    def stop_reason(self):
        """Why the sandbox killed the kernel ("" if it did not): read by robust_execute on a death."""
        return self._memory_watch.reason if self._memory_watch is not None else ""

    # ------------------------------------------------------------------ start / stop

    async def _async_pre_start_kernel(self, **kw):
        """Put the connection file and sockets in a private directory, then wrap the command in bwrap."""
        if self._sandbox_dir is None:
            self._sandbox_dir = tempfile.mkdtemp(prefix="sandboxed-kernel-")
            self.connection_file = os.path.join(self._sandbox_dir, "kernel.json")
            self.ip = os.path.join(self._sandbox_dir, "kernel-ipc")
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        runtime = Path(self._sandbox_dir)
        cwd = Path(kw.get("cwd") or runtime / "empty").resolve()  # never the grader's own directory
        cwd.mkdir(exist_ok=True)
        work = runtime / "work"  # the kernel's private copy of its folder
        shutil.rmtree(work, ignore_errors=True)
        # Importable files a submission could plant (an ipykernel_launcher.py or numpy.py
        # next to the notebook would run in place of the real ones) are left out.
        shutil.copytree(cwd, work, symlinks=True, ignore=shutil.ignore_patterns(*IMPORT_HIJACK_PATTERNS))
        if os.geteuid() == 0:  # the kernel will run as sandbox_uid: give it its files
            paths = [runtime, Path(self.connection_file)]
            for folder, dirs, files in os.walk(work):
                paths += [Path(folder)] + [Path(folder, name) for name in dirs + files]
            for path in paths:
                os.chown(path, self.sandbox_uid, self.sandbox_gid, follow_symlinks=False)
        kw["cwd"] = str(work)  # where bwrap starts; the kernel itself starts in cwd
        kw["env"] = self._kernel_env(kw.get("env") or os.environ)
        return self._command(kernel_cmd, cwd, work), kw

    async def _async_post_start_kernel(self, **kw):
        await super()._async_post_start_kernel(**kw)
        process = getattr(self.provisioner, "process", None)
        if self.resident_limit_mb > 0 and process is not None:
            if self._memory_watch is not None:
                self._memory_watch.stop()
            self._memory_watch = MemoryWatch(process.pid, self.resident_limit_mb).start()

    post_start_kernel = _async_post_start_kernel

    async def _async_cleanup_resources(self, restart=False):
        if self._memory_watch is not None:
            self._memory_watch.stop()
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._sandbox_dir is not None:
            shutil.rmtree(self._sandbox_dir, ignore_errors=True)
            self._sandbox_dir = None

    cleanup_resources = _async_cleanup_resources

    async def _async_interrupt_kernel(self):
        """Interrupt with a control message: a SIGINT to the process group would stop bwrap instead."""
        if not self.has_kernel:
            raise RuntimeError("Cannot interrupt kernel. No kernel is running!")
        msg = self.session.msg("interrupt_request", content={})
        self._connect_control_socket()
        self.session.send(self._control_socket, msg)

    interrupt_kernel = _async_interrupt_kernel

    # ------------------------------------------------------------------ the sandbox

    def resolved_course_root(self, cwd=None):
        """The course root as a resolved Path, or None if it cannot be told."""
        root = self.course_root
        if not root and "CourseDirectory" in self.config and "root" in self.config.CourseDirectory:
            root = self.config.CourseDirectory.root
        if not root and cwd is not None and Path(cwd).parent.parent.name == "autograded":
            root = str(Path(cwd).parent.parent.parent)
        return Path(root).resolve() if root else None

    def _command(self, kernel_cmd, cwd, work):
        """The full command: bwrap (mounts, namespaces) -> timeout -> prlimit -> [setpriv] -> kernel.

        bwrap comes first, so that --die-with-parent ties the sandbox to the process that started
        it: a grader killed outright (SIGKILL, no handler runs) leaves no kernel behind.

        Inputs:
        - kernel_cmd: the kernel's own argv, e.g. [python, -m, ipykernel_launcher, -f, <file>]
        - cwd: resolved Path, the kernel's working directory as the grader chose it
        - work: Path of the private copy of cwd, mounted writable at cwd

        Returns:
        - argv (list of str)
        """
        bwrap = shutil.which(self.bwrap)
        if bwrap is None:
            raise RuntimeError(f"Sandboxed autograding needs bubblewrap: {self.bwrap} not found "
                               "(apt-get install bubblewrap)")
        version = bwrap_version(bwrap)
        if version < (0, 5):
            raise RuntimeError(f"Sandboxed autograding needs bubblewrap 0.5 or newer, found {version}")
        root = self.resolved_course_root(cwd)
        if root is not None and _is_within(root, cwd):
            raise RuntimeError(f"Refusing to run a sandboxed kernel in {cwd}: it contains the course root {root}")
        runtime = Path(self._sandbox_dir).resolve()
        as_root = os.geteuid() == 0

        def absolute(p):
            p = Path(os.path.expanduser(p))
            if not p.is_absolute():
                if root is None:
                    return None
                p = root / p
            return p.resolve()

        hidden = [p for p in map(absolute, self.hidden_paths) if p is not None]
        hidden += [p.resolve() for p in self._package_dirs(self.hidden_packages)]
        visible = [p for p in map(absolute, self.visible_paths) if p is not None]
        trees = self._trees([Path(p) for p in _python_paths()] + self._package_dirs(self.visible_packages) + visible,
                            root, visible, hidden + [runtime, cwd])

        # The launcher sets JPY_PARENT_PID; in the new PID namespace ipykernel would see pid 1
        # as its parent and exit. 1 turns its parent polling off; --die-with-parent does that job.
        args = [bwrap, "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--die-with-parent", "--new-session", "--setenv", "JPY_PARENT_PID", "1"]
        if not as_root:  # an unprivileged grader: a user namespace maps its uid to sandbox_uid
            args += ["--unshare-user", "--uid", str(self.sandbox_uid), "--gid", str(self.sandbox_gid)]
            args += ["--disable-userns"] if version >= (0, 8) else []
        for p in SYSTEM_PATHS:
            if os.path.islink(p):
                args += ["--symlink", os.readlink(p), p]
            elif os.path.isdir(p):
                args += ["--ro-bind", p, p]
        args += ["--proc", "/proc", "--dev", "/dev"]
        for tmp in ("/tmp", "/dev/shm"):  # in memory: capped (bwrap >= 0.7)
            args += ["--perms", "1777"] + (["--size", str(self.tmp_size_mb * 2**20)] if version >= (0, 7) else [])
            args += ["--tmpfs", tmp]

        # Mount points so far -> whether they show the host's content (a bind) or an empty tmpfs.
        mounts = {Path(p): True for p in SYSTEM_PATHS}
        mounts.update({Path("/"): False, Path("/tmp"): False, Path("/dev"): False, Path("/dev/shm"): False})
        made = set()  # directories created on a tmpfs

        def exists(q):
            if q in made or q in mounts:
                return True
            return mounts[max((m for m in mounts if _is_within(q, m)), key=lambda m: len(m.parts))]

        def mount(op, src, dest, from_host=True):
            out = []
            for q in reversed(dest.parents):  # bwrap would create missing parents 0700: make them 0755
                if not exists(q):
                    out += ["--perms", "0755", "--dir", str(q)]
                    made.add(q)
            mounts[dest] = from_host
            return out + ([op, str(src), str(dest)] if src is not None else ["--perms", "0755", op, str(dest)])

        def cover(h):  # an empty directory or file over a hidden path
            return mount("--tmpfs", None, h, from_host=False) if h.is_dir() else mount("--ro-bind", "/dev/null", h)

        for t in trees:
            args += mount("--ro-bind", t, t)
        # Hidden paths a tree exposes, including one holding the kernel's folder (autograded/).
        for h in hidden:
            if h.exists() and any(_is_within(h, t) for t in trees) and not _is_within(h, cwd):
                args += cover(h)
        args += mount("--bind", runtime, runtime)
        args += mount("--bind", work, cwd) + ["--chdir", str(cwd)]

        limits = [f"--data={self.memory_limit_mb * 2**20}", f"--cpu={self.time_limit_s}",
                  f"--fsize={self.max_file_mb * 2**20}", "--core=0"]
        inner = ["timeout", "--signal=KILL", str(self.time_limit_s), "prlimit", *limits]
        if as_root:  # setuid to an ordinary user: no capabilities, no access to root's files
            inner += [f"--nproc={self.max_processes}", "--",
                      "setpriv", f"--reuid={self.sandbox_uid}", f"--regid={self.sandbox_gid}", "--clear-groups",
                      "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        inner += ["--", *kernel_cmd]
        return [*args, "--", *inner]

    @staticmethod
    def _trees(candidates, root, visible, excluded):
        """The read-only trees to mount: existing, outside the system dirs, outermost only.

        Never the course root or a directory above it unless listed in visible (pytest
        and `python -m` put the working directory on sys.path), nor anything inside an
        excluded path (hidden paths, the runtime dir, the kernel's folder).
        """
        trees = set()
        for p in candidates:
            p = p.resolve()
            if not p.exists() or any(_is_within(p, Path(s)) for s in SYSTEM_PATHS):
                continue
            if root is not None and _is_within(root, p) and p not in visible:
                continue
            if any(_is_within(p, x) for x in excluded):
                continue
            trees.add(p)
        trees = sorted(trees, key=lambda p: (len(p.parts), str(p)))
        return [p for i, p in enumerate(trees) if not any(_is_within(p, q) for q in trees[:i])]

    @staticmethod
    def _package_dirs(names):
        """Where the grader's Python finds each package (its directories, or a module's file)."""
        import importlib.util

        dirs = []
        for name in names:
            spec = importlib.util.find_spec(name)
            if spec is None:
                continue
            if spec.submodule_search_locations is not None:
                dirs += [Path(p) for p in spec.submodule_search_locations if os.path.isdir(p)]
            elif spec.origin and os.path.isabs(spec.origin):
                dirs.append(Path(spec.origin))
        return dirs

    def _kernel_env(self, env):
        """The kernel's environment: only KEPT_ENV from the grader's, plus private HOME and caches."""
        out = {k: v for k, v in env.items()
               if any(k.startswith(p) if p.endswith("_") else k == p for p in KEPT_ENV)}
        out.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
        out.update(HOME="/tmp", IPYTHONDIR="/tmp/.ipython", MPLCONFIGDIR="/tmp/.matplotlib",
                   XDG_CACHE_HOME="/tmp/.cache", JUPYTER_RUNTIME_DIR=self._sandbox_dir, TMPDIR="/tmp",
                   PYTHONSAFEPATH="1")  # `python -m ipykernel_launcher` must not look in cwd first
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            out[name] = str(self.blas_threads)
        return out

