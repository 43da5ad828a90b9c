"""Slider explorers of week 3, one module per notebook."""
