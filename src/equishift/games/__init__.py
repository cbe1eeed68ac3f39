"""Game values and their file formats. Imports nothing else from equishift."""

from .errors import EquishiftError, FormatError, GameError, SolverError
from .extensive_form import ExtensiveFormGame
from .normal_form import NormalFormGame

__all__ = [
    "EquishiftError",
    "ExtensiveFormGame",
    "FormatError",
    "GameError",
    "NormalFormGame",
    "SolverError",
]
