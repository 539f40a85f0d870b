"""The embedded Eurasian corridor network and the recipe that builds it."""
