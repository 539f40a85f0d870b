"""GTFS zips that cannot be unpacked, and headways that ask for the impossible (issue 13)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

import corridor
from corridor.io.gtfs import read_gtfs
from tests.unit.io.test_gtfs import feed_files, write_feed


def _patch_member_header(path: Path, member: str, *, method: int | None, flags: int | None) -> None:
    """Rewrite the compression method / flag bits of `member` in both zip headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    local = info.header_offset
    name = member.encode()
    central = next(
        i
        for i in range(len(data) - 46)
        if data[i : i + 4] == b"PK\x01\x02" and data[i + 46 : i + 46 + len(name)] == name
    )
    for off, flag_at, method_at in ((local, 6, 8), (central, 8, 10)):
        if off >= 0 and flags is not None:
            struct.pack_into("<H", data, off + flag_at, flags)
        if off >= 0 and method is not None:
            struct.pack_into("<H", data, off + method_at, method)
    path.write_bytes(bytes(data))


def _deflated_feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for member, text in feed_files().items():
            z.writestr(member, text)
    return path


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(corridor.CorridorError) as info:
        read_gtfs(path)
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 500, msg
    for w in words:
        assert w in msg, msg
    return msg


def test_unsupported_compression_method(tmp_path: Path) -> None:
    path = _deflated_feed(tmp_path)
    _patch_member_header(path, "stops.txt", method=99, flags=None)  # AES / unknown
    _refused(path, "stops.txt", "compression")


def test_encrypted_member(tmp_path: Path) -> None:
    path = _deflated_feed(tmp_path)
    _patch_member_header(path, "stops.txt", method=None, flags=0x1)
    _refused(path, "stops.txt", "unencrypted")


def test_corrupt_deflate_stream(tmp_path: Path) -> None:
    path = _deflated_feed(tmp_path)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("stop_times.txt")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    msg = _refused(path, "stop_times.txt", "cannot be read")
    assert "\xff" not in msg


def test_zip_bytes_never_fill_the_message(tmp_path: Path) -> None:
    path = tmp_path / "feed.zip"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 30)
    msg = _refused(path, "GTFS")
    assert len(msg) < 400


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("T3,06:00:00,07:00:00,0.000000001", "headway_secs"),
        ("T3,06:00:00,07:00:00,0", "headway_secs"),
        ("T3,00:00:00,999:00:00,1", "48 h"),
        ("T3,07:00:00,06:00:00,60", "before start_time"),
        ("T3,06:00:00,07:00:00,nan", "headway_secs"),
    ],
)
def test_headways_out_of_bounds(tmp_path: Path, row: str, words: str) -> None:
    freqs = "trip_id,start_time,end_time,headway_secs\n" + row + "\n"
    _refused(write_feed(tmp_path, **{"frequencies.txt": freqs}), "frequencies.txt", words)


def test_headway_budget_counts_the_expanded_trips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    freqs = "trip_id,start_time,end_time,headway_secs\nT3,00:00:00,47:00:00,1\n"
    path = write_feed(tmp_path, **{"frequencies.txt": freqs})
    monkeypatch.setenv("CORRIDOR_MAX_MEMORY_GB", "0.01")  # 169,200 runs need ~ 0.08 GiB
    _refused(path, "169200 trips", "CORRIDOR_MAX_MEMORY_GB")
    monkeypatch.setenv("CORRIDOR_MAX_MEMORY_GB", "1")
    assert len(read_gtfs(path).frequencies) == 1


def test_a_huge_bad_time_is_quoted_short(tmp_path: Path) -> None:
    # found by `make fuzz`: 10,000 brackets in arrival_time were echoed whole (20 KB message)
    from tests.unit.io.test_gtfs import STOP_TIMES

    times = STOP_TIMES.replace("T1,08:20:00", "T1,08:" + "[" * 10_000 + "20:00", 1)
    path = write_feed(tmp_path, **{"stop_times.txt": times})
    with pytest.raises(corridor.DataSourceError, match=r"arrival_time '08:\[+' \.\.\. \(") as e:
        read_gtfs(path)
    assert len(str(e.value)) < 400
