"""Copy-on-write copies of a set of arrays, through one anonymous memory file (Linux).

A value holding large arrays that must stay unchanged (a customised hierarchy) can be
derived with a few entries changed without copying the arrays in full: the arrays live in
a ``memfd`` file mapped shared, and each derived copy maps the same file privately, so the
kernel copies only the pages that are written (4 KiB each). Where ``os.memfd_create`` is
missing (not Linux) or fails, :func:`pack` returns None and callers copy as usual.
"""

from __future__ import annotations

import mmap
import os
import weakref
from typing import Any

import numpy as np

__all__ = ["Pack", "pack"]

_PAGE = mmap.PAGESIZE


class Pack:
    """Arrays in one shared mapping of an anonymous file; :meth:`private` gives views of a
    copy-on-write mapping of it (as the arrays were when packed, if they were not written
    since: the owner keeps them unchanged)."""

    def __init__(self, fd: int, size: int, layout: dict[str, tuple[int, Any, tuple[int, ...]]]):
        self.fd = fd
        self.size = size
        self.layout = layout
        self.shared = self._views(mmap.MAP_SHARED)
        weakref.finalize(self, os.close, fd)

    def _views(self, flags: int) -> dict[str, np.ndarray]:
        mm = mmap.mmap(self.fd, self.size, flags=flags, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        out = {}
        for name, (offset, dtype, shape) in self.layout.items():
            count = int(np.prod(shape))
            out[name] = np.frombuffer(mm, dtype=dtype, count=count, offset=offset).reshape(shape)
        return out

    def private(self) -> dict[str, np.ndarray]:
        """Writable copy-on-write copies of the packed arrays (by name)."""
        return self._views(mmap.MAP_PRIVATE)

    def holds(self, arrays: dict[str, np.ndarray]) -> bool:
        """True if `arrays` are exactly this pack's shared arrays (the same objects)."""
        return arrays.keys() == self.shared.keys() and all(
            arrays[k] is self.shared[k] for k in arrays
        )


def pack(arrays: dict[str, np.ndarray]) -> Pack | None:
    """`arrays` copied into one anonymous file (page-aligned), or None where unsupported."""
    create = getattr(os, "memfd_create", None)
    if create is None:
        return None
    layout: dict[str, tuple[int, Any, tuple[int, ...]]] = {}
    offset = 0
    for name, arr in arrays.items():
        layout[name] = (offset, arr.dtype, arr.shape)
        offset += -(-max(arr.nbytes, 1) // _PAGE) * _PAGE
    try:
        fd = create("corridor-cow", getattr(os, "MFD_CLOEXEC", 0))
    except OSError:
        return None
    try:
        os.ftruncate(fd, max(offset, _PAGE))
        p = Pack(fd, max(offset, _PAGE), layout)
    except (OSError, ValueError):
        os.close(fd)
        return None
    for name, arr in arrays.items():
        p.shared[name][...] = arr
    return p
