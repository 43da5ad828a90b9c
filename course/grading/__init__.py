"""The kernel side of grading: no secret lives here.

`wire` turns plain data (arrays, numbers, strings, lists, tuples, dicts) into
JSON text and back without pickle; `runner` calls a student's function on the
cases the grader sends and displays the answers as plain data.
"""
