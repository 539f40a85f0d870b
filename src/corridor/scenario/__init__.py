"""Scenario files and edits applied purely to a base network."""
