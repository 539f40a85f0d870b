"""Demand and equilibrium assignment: gravity/IPF, AON, MSA, Frank-Wolfe family, path-based."""
