"""nbgrader configuration. The repository root is the course root."""

import os

c = get_config()  # noqa: F821 (injected by nbgrader)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "improving-deep-neural-networks"

# What students see where a solution was.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per-cell time limit while autograding. The slowest solution cell (the
# regularization explorer) takes about 3 s; 60 s leaves room for slow student code.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Autograding: hidden checks are inlined into each test cell just before it
# runs (autograder/inline.py), so student code never needs, or gets, read
# access to autograder/; the kernel runs in a bubblewrap sandbox
# (autograder/sandbox.py). See the README, "Sandboxed autograding".
c.Autograde.autograde_preprocessors = [
    "autograder.inline.InlineHiddenChecks",
    "nbgrader.preprocessors.Execute",
    "autograder.inline.RemoveInlinedChecks",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
if os.environ.get("AUTOGRADER_UNSANDBOXED") != "1":
    c.Execute.kernel_manager_class = "autograder.sandbox.SandboxedKernelManager"
c.SandboxedKernelManager.memory_limit_mb = 2048
c.SandboxedKernelManager.time_limit_s = 900
