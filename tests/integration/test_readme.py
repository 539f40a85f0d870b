"""Every command and the Python example in the README run as written.

The commands are read from the README itself: each line of the "What it answers" block and
each ``$ corridor ...`` line of the examples, run in a fresh folder beside which ``../shared``
is the shared data (as in a clone next to it). `corridor serve` is started, asked for
``/api/health`` and stopped. The Python block runs as a script in the same kind of folder.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason=f"the README's examples read ../shared, not found at {SHARED}"
)


def _blocks(text: str, lang: str) -> list[str]:
    """The fenced blocks whose info string is `lang` ("" for plain fences)."""
    blocks: list[str] = []
    current: list[str] | None = None
    current_lang = ""
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current, current_lang = [], line[3:].strip()
            else:
                if current_lang == lang:
                    blocks.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def readme_commands() -> list[str]:
    """The README's corridor commands, continuation lines joined, comments dropped."""
    text = README.read_text(encoding="utf-8")
    commands: list[str] = []
    for block in _blocks(text, "sh"):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("#"):
                continue
            for part in line.split(";"):
                part = part.strip()
                if part.startswith("corridor ") and "[" not in part:  # not a usage synopsis
                    commands.append(part)
    for block in _blocks(text, ""):
        for line in block.splitlines():
            if line.startswith("$ corridor "):
                commands.append(line[2:].strip())
    return list(dict.fromkeys(commands))


def _workdir(tmp_path: Path) -> Path:
    work = tmp_path / "clone"
    work.mkdir()
    (tmp_path / "shared").symlink_to(SHARED)
    return work


def _env() -> dict[str, str]:
    env = dict(os.environ, COLUMNS="118", PYTHONPATH=str(ROOT / "src"))
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_answers(argv: list[str], work: Path) -> None:
    """Start `corridor serve` on a free port, wait for /api/health, stop it."""
    port = _free_port()
    log = work / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*argv, "--port", str(port)], cwd=work, env=_env(), stdout=out, stderr=out
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/api/health"
                    with urllib.request.urlopen(url, timeout=5) as r:
                        assert r.status == 200
                        return
                except OSError:
                    assert proc.poll() is None, log.read_text(errors="replace")
                    assert time.monotonic() < deadline, "corridor serve did not answer in 120 s"
                    time.sleep(0.5)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_the_readme_has_commands_to_run() -> None:
    commands = readme_commands()
    assert len(commands) >= 15
    assert any(c.startswith("corridor scenario compare m12-before m12-east") for c in commands)


@needs_shared
@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs_as_written(command: str, tmp_path: Path) -> None:
    work = _workdir(tmp_path)
    words = shlex.split(command)[1:]
    argv = [sys.executable, "-m", "corridor", *words]
    if "--network" in words:
        # a route on an imported network needs the import first, as the README orders them
        for c in readme_commands():
            if c.startswith("corridor import osm"):
                subprocess.run(
                    [sys.executable, "-m", "corridor", *shlex.split(c)[1:]],
                    cwd=work,
                    env=_env(),
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
    if words[:1] == ["serve"]:
        _serve_answers(argv, work)
        return
    done = subprocess.run(argv, cwd=work, env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"


@needs_shared
def test_readme_python_example_runs(tmp_path: Path) -> None:
    work = _workdir(tmp_path)
    blocks = _blocks(README.read_text(encoding="utf-8"), "python")
    assert blocks, "the README has a Python example"
    script = work / "example.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=work,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
