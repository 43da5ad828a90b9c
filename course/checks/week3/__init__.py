"""Visible checks, one module per notebook: course/checks/weekN/<nb>.py."""
