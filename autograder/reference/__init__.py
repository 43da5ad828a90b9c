"""Reference NumPy solutions, one module per week."""
