"""Slider explorers of week 2, one module per notebook."""
