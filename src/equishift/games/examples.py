"""Example games bundled with equishift, in the same file formats users write.

>>> names = list_examples()
>>> "dual-freeze" in names
True
>>> example_path("dual-freeze").name
'dual-freeze.nfg'
>>> example_path("no-such-game")
Traceback (most recent call last):
...
equishift.games.errors.GameError: unknown example 'no-such-game'; expected one of ...
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import GameError

__all__ = ["example_path", "list_examples"]

_SUFFIXES = (".nfg", ".efg")


def _data_dir() -> Path:
    return Path(str(resources.files("equishift.games") / "data"))


def list_examples() -> list[str]:
    """Names of the bundled example games, sorted."""
    return sorted(p.stem for p in _data_dir().iterdir() if p.suffix in _SUFFIXES)


def example_path(name: str) -> Path:
    """Path of a bundled example game file by name (without suffix)."""
    for suffix in _SUFFIXES:
        p = _data_dir() / f"{name}{suffix}"
        if p.is_file():
            return p
    raise GameError(f"unknown example {name!r}; expected one of {list_examples()}")
