"""Reference solutions of week 3."""
