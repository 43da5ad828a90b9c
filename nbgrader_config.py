"""nbgrader configuration. The repository root is the course root."""

import os

c = get_config()  # noqa: F821 (injected by nbgrader)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "improving-deep-neural-networks"
c.CourseDirectory.assignment_id = ""

# What students see where a solution was.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per-cell time limit while autograding. The slowest solution cell trains a
# small net for about a second; 60 s leaves room for slow student code.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
