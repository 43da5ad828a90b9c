"""Provided, ungraded code for the course notebooks: data, nets, plots, widgets, checks."""
