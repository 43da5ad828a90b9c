"""Run the real nbgrader command line in a course directory."""

import os
import subprocess
import sys
from pathlib import Path


def nbgrader_env():
    """The environment nbgrader needs: it runs `alembic` from this Python's bin folder."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(course_dir, *args, check=True, quiet=True):
    """`nbgrader <args>` with course_dir as the working directory. Returns the CompletedProcess."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    proc = subprocess.run(cmd, cwd=course_dir, env=nbgrader_env(), text=True,
                          stdout=subprocess.PIPE if quiet else None,
                          stderr=subprocess.STDOUT if quiet else None)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[2:])} failed (exit {proc.returncode}):\n{proc.stdout or ''}")
    return proc
