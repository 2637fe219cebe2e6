"""Output paths given on the command line, checked before any work starts.

A command that writes files checks its ``--out`` first, so a typo or an unwritable folder is
a clear one-line error (exit 2) rather than a traceback after minutes of work.
"""

from __future__ import annotations

import os
from pathlib import Path

from lantern.errors import InvalidInput

__all__ = ["output_dir", "output_file"]


def output_dir(path: Path, option: str = "--out") -> Path:
    """``path`` as a writable directory, created when missing; else InvalidInput."""
    if path.exists() and not path.is_dir():
        msg = f"{option} {path} is a file, not a directory; give a directory path"
        raise InvalidInput(msg)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"{option} {path}: cannot create the directory ({exc.strerror}); choose another"
        raise InvalidInput(msg) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        msg = f"{option} {path}: the directory is not writable; choose another"
        raise InvalidInput(msg)
    return path


def output_file(path: Path, option: str = "--out") -> Path:
    """``path`` as a file that can be written (its folder created when missing)."""
    if path.is_dir():
        msg = f"{option} {path} is a directory; give a file path such as {path / 'out.json'}"
        raise InvalidInput(msg)
    output_dir(path.parent, option)
    return path
