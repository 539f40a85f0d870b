"""GTFS feeds (zip or folder) -> a :class:`Feed` of checked tables.

Read: ``stops.txt``, ``routes.txt``, ``trips.txt``, ``stop_times.txt`` (required),
``calendar.txt`` and/or ``calendar_dates.txt`` (at least one), and optionally
``transfers.txt`` and ``frequencies.txt``.

Rules, as in the GTFS reference:

- times are ``H:MM:SS`` with hours allowed past 24 (a trip running after midnight);
  minutes and seconds must be below 60; stop times left blank between timepoints are
  interpolated linearly by stop order; a trip's first and last stop must have times;
- a service runs on a date when ``calendar.txt`` says so for that weekday within its
  dates, unless ``calendar_dates.txt`` removes it (exception_type 2), or when
  ``calendar_dates.txt`` adds it (exception_type 1);
- ``pickup_type`` / ``drop_off_type`` 1 forbid boarding / alighting at a stop;
- ``transfers.txt``: type 2 gives a footpath (or, from a stop to itself, the stop's least
  change time) of ``min_transfer_time``; type 3 forbids changing between two stops;
- ``frequencies.txt`` trips run every ``headway_secs`` from ``start_time`` (inclusive) to
  ``end_time`` (exclusive), keeping the template trip's offsets.

Every problem raises :class:`~corridor.errors.DataSourceError` naming the feed, the file
and the line (the header is line 1), with the value and how to fix it.
"""

from corridor.io.gtfs.feed import Feed, read_gtfs
from corridor.io.gtfs.source import parse_times

__all__ = ["Feed", "parse_times", "read_gtfs"]
