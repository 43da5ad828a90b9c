"""The instructor commands of `python -m autograder`: one module per command."""
