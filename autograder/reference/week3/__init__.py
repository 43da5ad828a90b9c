"""Reference NumPy solutions of week 3."""
