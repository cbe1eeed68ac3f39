"""The brief's scenario files shipped with equishift, found by name.

The files live in ``equishift/recommendations/data/`` in exactly the format
users write (see :mod:`equishift.games.formats.scenario`), so any analysis can
be copied, edited and re-run.

Examples
--------
>>> "dual-freeze" in list_scenarios()
True
>>> load_scenario("crisis-chicken").game().players
('DPRK', 'US')
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from ..games.errors import GameError
from ..games.formats.scenario import Scenario, read_scenario

__all__ = ["list_scenarios", "load_scenario", "scenario_path"]

_SUFFIX = ".toml"


def _data() -> Path:
    with as_file(files(__package__ or "equishift.recommendations") / "data") as path:
        return Path(path)


def list_scenarios() -> list[str]:
    """Names of the bundled scenario files, sorted (without ``.toml``).

    >>> list_scenarios()[:3]
    ['arms-race', 'bloody-nose', 'crisis-chicken']
    """
    return sorted(p.name[: -len(_SUFFIX)] for p in _data().iterdir() if p.name.endswith(_SUFFIX))


def scenario_path(name: str) -> Path:
    """The path of bundled scenario ``name`` (``"dual-freeze"`` or ``"dual-freeze.toml"``).

    Raises
    ------
    GameError
        For an unknown name, listing the known ones.

    >>> scenario_path("dual-freeze").name
    'dual-freeze.toml'
    """
    stem = name[: -len(_SUFFIX)] if name.endswith(_SUFFIX) else name
    known = list_scenarios()
    if stem not in known:
        raise GameError(f"no bundled scenario {name!r}; expected one of {', '.join(known)}")
    return _data() / f"{stem}{_SUFFIX}"


def load_scenario(name: str) -> Scenario:
    """Read bundled scenario ``name``.

    >>> list(load_scenario("linked-korea-dialogue").games)
    ['korea', 'dialogue', 'us-russia-issues', 'linked']
    """
    return read_scenario(scenario_path(name))
