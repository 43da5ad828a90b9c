"""Reference solutions of week 3 (NumPy; the frameworks notebook's JAX solutions beside their NumPy twins)."""
