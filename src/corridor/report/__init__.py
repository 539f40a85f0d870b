"""Charts, maps and HTML reports."""
