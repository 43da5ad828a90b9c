"""Reference NumPy solutions of week 2."""
