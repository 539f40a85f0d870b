"""Generalised cost per leg and per stop: time, money, CO2; crossings, gauge breaks, transfers."""
