"""Corridor analysis: time/cost-distance, CPMM indicators, accessibility, scenario deltas."""
