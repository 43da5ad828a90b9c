"""Slider explorers: the shared Explorer base (explorer.py) and one module per notebook (weekN/<nb>.py)."""
