"""The nbgrader plug-ins that nbgrader_config.py names: one job per module."""
