"""Where the test data lives: the project's shared reference folder, found beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path


def reference_dir() -> Path:
    """The shared ``reference`` folder (games with known equilibria).

    ``EQUISHIFT_REFERENCE`` overrides; otherwise the first ``shared/reference`` found in a parent
    of this checkout (CI lays the checkout beside ``shared/``).
    """
    env = os.environ.get("EQUISHIFT_REFERENCE")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "shared" / "reference"
        if cand.is_dir():
            return cand
    raise RuntimeError(f"shared/reference not found in any parent of {here}")


REFERENCE = reference_dir()
