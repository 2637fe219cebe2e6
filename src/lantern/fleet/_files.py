"""Writing output files whole or not at all.

Each file is written under a temporary name in its folder and renamed over the final name
only once complete, so an interrupted or failed run never leaves a truncated file behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["not_a_file", "written_atomically"]


@contextmanager
def written_atomically(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it to ``path``."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def not_a_file(path: Path) -> str:
    """Why ``path`` (not a regular file) cannot be read, for an error message."""
    return "is a directory, not a file" if path.is_dir() else "does not exist"
