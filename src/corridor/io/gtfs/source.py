"""Reading a GTFS feed's member files as string tables, and the shared field parsers.

A feed is a ``.zip`` (possibly with its files inside one folder) or a folder of ``.txt``
files. Every problem raises :class:`~corridor.errors.DataSourceError` naming the feed, the
file and the line (the header is line 1).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.budget import check_memory, clipped
from corridor.errors import DataSourceError

__all__ = ["FeedSource", "fail_rows", "parse_dates", "parse_times"]


class FeedSource:
    """Reads member files of a zip or a folder as string tables.

    Parameters
    ----------
    path
        The ``.zip`` feed or the folder.

    Raises
    ------
    DataSourceError
        If `path` is neither a folder nor a readable zip file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if path.is_dir():
            self._names = {p.name: p.name for p in path.iterdir() if p.suffix == ".txt"}
        else:
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise DataSourceError(
                    path, f"is not a GTFS zip file ({_short(exc)}); give a .zip feed or a folder"
                ) from None
            # feeds are sometimes zipped inside one folder
            for name in self._zip.namelist():
                self._names.setdefault(name.rsplit("/", 1)[-1], name)

    def where(self, name: str) -> str:
        return f"{self.path}:{name}"

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        try:
            if self._zip is not None:
                info = self._zip.getinfo(self._names[name])
                check_memory(
                    2.0 * info.file_size,  # the bytes and pandas' string table
                    what=f"{self.where(name)} ({info.file_size} bytes unpacked)",
                    option="the feed (cut it to the area and dates needed)",
                )
                raw = self._zip.read(info)
            else:
                raw = (self.path / self._names[name]).read_bytes()
        except (OSError, zipfile.BadZipFile, KeyError, EOFError, zlib.error) as exc:
            raise DataSourceError(self.where(name), f"cannot be read: {_short(exc)}") from None
        except NotImplementedError as exc:  # zipfile: compression method it cannot unpack
            raise DataSourceError(
                self.where(name),
                f"uses a compression corridor cannot unpack ({_short(exc)}); zip it again "
                "with deflate (e.g. `zip -r feed.zip *.txt`)",
            ) from None
        except RuntimeError as exc:  # zipfile: encrypted member
            raise DataSourceError(
                self.where(name),
                f"cannot be unpacked ({_short(exc)}); give an unencrypted zip or a folder",
            ) from None
        try:
            frame = pd.read_csv(
                io.BytesIO(raw),
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skipinitialspace=True,
            )
        except (ValueError, UnicodeDecodeError) as exc:
            raise DataSourceError(self.where(name), f"is not valid CSV: {_short(exc)}") from None
        frame.columns = [str(c).strip() for c in frame.columns]
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataSourceError(
                self.where(name),
                f"lacks required column(s) {missing}; the header has "
                f"{clipped(str(list(frame.columns)), 200)}",
                row=1,
            )
        for col in frame.columns:
            frame[col] = frame[col].astype(str).str.strip()
        return frame.reset_index(drop=True)


def _short(exc: BaseException) -> str:
    """An exception's message on one line, escaped and cut (never raw bytes of the feed)."""
    text = " ".join(str(exc).split())
    return clipped(text.encode("ascii", "backslashreplace").decode("ascii"), 160)


def fail_rows(src: FeedSource, name: str, mask: Any, what: str) -> None:
    """Raise naming the first bad line of `name` if `mask` has any True."""
    bad = np.flatnonzero(np.asarray(mask, dtype=bool))
    if bad.size:
        more = f" ({bad.size} rows in all)" if bad.size > 1 else ""
        raise DataSourceError(src.where(name), what + more, row=int(bad[0]) + 2)


def parse_times(values: pd.Series) -> np.ndarray:
    """GTFS ``H:MM:SS`` strings -> seconds (float64); '' -> NaN; malformed -> -1.

    Examples
    --------
    >>> parse_times(pd.Series(["25:10:05", "", "25:61:00"])).tolist()
    [90605.0, nan, -1.0]
    """
    text = values.astype(str).str.strip()
    parts = text.str.extract(r"^(\d{1,3}):(\d{2}):(\d{2})$")
    h = pd.to_numeric(parts[0], errors="coerce").to_numpy(dtype=np.float64)
    m = pd.to_numeric(parts[1], errors="coerce").to_numpy(dtype=np.float64)
    s = pd.to_numeric(parts[2], errors="coerce").to_numpy(dtype=np.float64)
    out = h * 3600.0 + m * 60.0 + s
    bad = np.isnan(out) | (m >= 60) | (s >= 60)
    out = np.where(bad, -1.0, out)
    return np.where(text.to_numpy() == "", np.nan, out)


def parse_dates(src: FeedSource, name: str, frame: pd.DataFrame, col: str) -> pd.Series:
    parsed = pd.to_datetime(frame[col], format="%Y%m%d", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataSourceError(
            src.where(name),
            f"{col} {clipped(repr(frame[col].iloc[i]), 40)} is not a date; "
            "write dates as YYYYMMDD, e.g. 20240131",
            row=i + 2,
        )
    return parsed.dt.date
