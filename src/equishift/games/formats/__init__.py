"""Readers and writers of game files (Gambit ``.nfg`` / ``.efg``)."""

from .gambit import (
    parse_efg,
    parse_game,
    parse_nfg,
    read_efg,
    read_game,
    read_nfg,
    write_efg,
    write_nfg,
)

__all__ = [
    "parse_efg",
    "parse_game",
    "parse_nfg",
    "read_efg",
    "read_game",
    "read_nfg",
    "write_efg",
    "write_nfg",
]
