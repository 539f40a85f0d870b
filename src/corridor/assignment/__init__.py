"""Demand and equilibrium assignment: gravity/IPF, all-or-nothing, MSA, Frank-Wolfe family, path-based."""
