"""nbgrader configuration. The repository root is the course root."""

import os

c = get_config()  # noqa: F821 (injected by nbgrader)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "improving-deep-neural-networks"

# The exchange (release_assignment / fetch_assignment / submit / collect, and the
# formgrader's Release and Collect buttons): a folder in the course root, for one
# machine, made here on first use, world-writable as nbgrader wants its root (0o777).
# For a shared exchange (JupyterHub) set this to that folder instead, and give the
# students the same c.Exchange.root (README, "Releasing and collecting").
c.Exchange.root = os.path.join(c.CourseDirectory.root, "exchange")
if not os.path.isdir(c.Exchange.root):
    try:
        os.makedirs(c.Exchange.root)
        os.chmod(c.Exchange.root, 0o777)
    except OSError:  # a read-only checkout: nbgrader says what is missing when it needs it
        pass

# What students see where a solution was.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A solution region may name the code the release shows instead of the stub, with
# `### RELEASE: <code>` lines (gradient_checking's backward pass with two planted bugs):
# autograder/plugins/release_code.py, in ClearSolutions' place; the rest is nbgrader's default.
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "autograder.plugins.release_code.ClearSolutionsWithReleaseCode",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Per-cell time limit while autograding. The slowest solution cell (the
# regularization explorer) takes about 4 s; 30 s leaves room for slow student code.
# A cell over it is interrupted and its test gets a CellTimeout message.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# The answers are in when the last cell ends: kill the kernel (its whole sandbox)
# instead of waiting for a polite exit, about 0.15 s per notebook.
c.Execute.shutdown_kernel = "immediate"
# Ready when the kernel is: no 0.2 s idle drain of IOPub per kernel start (autograder/plugins/ready_client.py).
c.AsyncKernelManager.client_class = "autograder.plugins.ready_client.ReadyClient"

# Robust grading (details in the docstrings of the modules named):
# - unreadable submitted notebooks are set aside as <name>.ipynb.broken and graded 0
#   with the reason, instead of dropping the student (autograder/plugins/broken.py);
# - deleted or tampered test cells are restored from the gradebook (autograder/plugins/restore_cells.py);
# - a kernel that dies or hangs costs only the tests that could not run, a notebook
#   has a time budget, stderr output no longer zeroes a test (autograder/plugins/robust_execute.py);
# - code that imports autograder or names course files is flagged (autograder/plugins/flags.py);
# - what happened goes to autograded/<student>/<assignment>/<notebook>.autograder.json
#   (autograder/plugins/sidecar.py).
# Before the first student: a probe kernel in the same sandbox must import what grading needs,
# or autograde stops with one message (autograder/plugins/probe.py).
c.Autograde.pre_convert_hook = "autograder.plugins.probe.pre_convert"
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "autograder.plugins.restore_cells.RestoreCells",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Autograding: only the hidden checks' case inputs reach the kernel; the answers
# come back as plain data and are judged here (autograder/plugins/judge.py).
# Lesson cells are skipped (autograder/plugins/lessons.py). The kernel runs in a
# bubblewrap sandbox (autograder/plugins/sandbox.py). See the README, "Sandboxed autograding".
c.Autograde.autograde_preprocessors = [
    "autograder.plugins.judge.PrepareJudgedCells",
    "autograder.plugins.robust_execute.RobustExecute",
    "autograder.plugins.judge.JudgeCells",
    "autograder.plugins.restore_cells.NoteRestoredCells",
    "autograder.plugins.flags.FlagSubmission",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Wall-clock budget of one notebook (replays after a kernel death included); the
# sandbox's own limit (time_limit_s below, per kernel) stays above it as a backstop.
c.RobustExecute.notebook_time_limit = 600
c.RobustExecute.max_kernel_restarts = 3
if os.environ.get("AUTOGRADER_UNSANDBOXED") != "1":
    c.Execute.kernel_manager_class = "autograder.plugins.sandbox.SandboxedKernelManager"
# Memory: each process's data segment (RLIMIT_DATA; past it an allocation raises MemoryError
# and the kernel lives on), and the resident memory of the whole sandbox (a watchdog kills it
# above, and the cell gets KernelDied with the reason). Not address space: JAX reserves far more
# of it than it uses (autograder/plugins/sandbox.py, memory_watch.py).
c.SandboxedKernelManager.memory_limit_mb = 2048
c.SandboxedKernelManager.resident_limit_mb = 3072
c.SandboxedKernelManager.time_limit_s = 900

# Feedback: test cells show what the student saw (no hidden tests), errors show
# their message without traceback, and a banner says what the grader noticed.
c.GenerateFeedback.preprocessors = [
    "autograder.plugins.feedback.RedactFeedback",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# The grader's notes stay with the autograded notebooks, out of the students' feedback folders.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.autograder.json"]
