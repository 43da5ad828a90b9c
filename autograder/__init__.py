"""Instructor-only grading code: reference solutions, hidden checks, gradient checking."""
