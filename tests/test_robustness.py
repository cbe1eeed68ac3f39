"""Robustness analysis (:mod:`equishift.recommendations.robustness`).

The dual freeze (DF) works iff delta >= 1/2 at the default payoffs (Friedman's grim-trigger
threshold of the DPRK), so on a scenario where only delta varies the success probability is
known exactly: 1 when delta's range lies above 1/2, 0 below, and the share of the range above
1/2 otherwise.
"""

from __future__ import annotations

import json
import os
import re
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.recommendations.brief import SCENARIO_OF
from equishift.recommendations.robustness import (
    Robustness,
    ScenarioBuilder,
    robustness,
    wilson_interval,
)
from equishift.recommendations.scenarios import scenario_path

_DELTA = re.compile(r"^delta = \{.*\}$", re.MULTILINE)
_RANGE = re.compile(r", range = \[[^\]]*\]")


def _df_file(tmp_path: Path, delta_range: str, value: str = "0.6") -> Path:
    """The bundled dual-freeze file with every range dropped except delta's, set as given."""
    text = scenario_path("dual-freeze").read_text(encoding="utf-8")
    text = _RANGE.sub("", text)
    text = _DELTA.sub(f"delta = {{ value = {value}, range = [{delta_range}] }}", text)
    path = tmp_path / "df.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builder_rebuilds_games_at_values() -> None:
    b = ScenarioBuilder("dual-freeze")
    sc = b.scenario({"R_D": Fraction(7, 2)})
    assert sc.parameters["R_D"].value == Fraction(7, 2)
    assert b.default.parameters["R_D"].value == 3


def test_deterministic_for_a_seed() -> None:
    a = robustness("dual-freeze", "DF", n=8, seed=3, flips=False)
    b = robustness("dual-freeze", "DF", n=8, seed=3, flips=False)
    assert a == b
    assert a.to_json() == b.to_json()
    c = robustness("dual-freeze", "DF", n=8, seed=3, method="random", flips=False)
    assert c == robustness("dual-freeze", "DF", n=8, seed=3, method="random", flips=False)


def test_counts_and_interval_consistent() -> None:
    r = robustness("dual-freeze", "DF", n=16, flips=False)
    assert r.works + r.fails + r.undetermined == 16
    assert r.probability is not None
    lo, hi = r.interval
    assert 0 <= lo <= r.probability <= hi <= 1
    assert set(r.parameters) == {"T_D", "R_D", "P_D", "S_D", "T_U", "R_U", "P_U", "S_U", "delta"}
    diffs = [abs(s.difference) for s in r.sensitivity]
    assert diffs == sorted(diffs, reverse=True)
    json.dumps(r.to_json())
    assert "probability the criterion holds" in r.describe()


@pytest.mark.parametrize(
    ("delta_range", "expected"),
    [("0.55, 0.99", 1.0), ("0.5, 0.9", 1.0), ("0, 0.45", 0.0), ("0.1, 0.49", 0.0)],
)
def test_probability_one_inside_zero_outside(
    tmp_path: Path, delta_range: str, expected: float
) -> None:
    low = delta_range.split(",")[0].strip()
    path = _df_file(tmp_path, delta_range, value=low)
    r = robustness(path, "DF", n=16, seed=7, flips=False)
    assert r.parameters == ("delta",)
    assert r.undetermined == 0
    assert r.probability == expected


def test_agrees_with_threshold(tmp_path: Path) -> None:
    """delta uniform on [0, 1]: P(delta >= 1/2) = 1/2 lies within the Wilson interval."""
    path = _df_file(tmp_path, "0, 1")
    r = robustness(path, "DF", n=32, seed=0, flips=False)
    lo, hi = r.interval
    assert lo <= 0.5 <= hi
    assert r.probability == pytest.approx(0.5, abs=0.1)
    (s,) = r.sensitivity
    assert (s.rate_low, s.rate_high) == (0.0, 1.0)


def test_flip_found_at_threshold(tmp_path: Path) -> None:
    """Lowering delta from 3/5 past 1/2 reverses the verdict: a change of 1/10 of the range."""
    path = _df_file(tmp_path, "0, 1")
    r = robustness(path, "DF", n=4, flips=True, tolerance=Fraction(1, 4096))
    assert r.flip is not None
    assert r.flip.parameter == "delta"
    assert r.flip.verdict == "does not work"
    assert Fraction(1, 2) - Fraction(1, 4096) <= r.flip.value < Fraction(1, 2)
    assert abs(r.flip.relative_change - Fraction(1, 10)) <= Fraction(1, 4096)


def test_no_flip_within_ranges(tmp_path: Path) -> None:
    path = _df_file(tmp_path, "0.55, 0.99", value="0.6")
    r = robustness(path, "DF", n=2)
    assert r.flip is None
    assert "no single-parameter change" in r.describe()


def test_errors_are_undetermined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from equishift.games.errors import SolverError
    from equishift.recommendations import robustness as module

    real = module.evaluate
    calls = {"n": 0}

    def flaky(rec, games, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] % 2 == 0:
            raise SolverError("boom")
        return real(rec, games, **kw)

    monkeypatch.setattr(module, "evaluate", flaky)
    r = robustness(_df_file(tmp_path, "0, 1"), "DF", n=8, flips=False, exact=True)
    assert r.undetermined == 4
    assert any("boom" in reason for reason in r.reasons)


def test_unknown_recommendation() -> None:
    with pytest.raises(KeyError):
        robustness("dual-freeze", "R9", n=2)


def test_wilson_interval_edges() -> None:
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0


def test_timings_of_bundled_recommendations(capsys: pytest.CaptureFixture[str]) -> None:
    """Time per sample for each bundled recommendation (printed, not asserted).

    ``EQUISHIFT_ROBUSTNESS_SAMPLES=20`` runs 20 samples each (about 20 s); 3 by default.
    """
    n = int(os.environ.get("EQUISHIFT_ROBUSTNESS_SAMPLES", "3"))
    lines = []
    for rec_id, scenario in SCENARIO_OF.items():
        start = time.perf_counter()
        r = robustness(scenario, rec_id, n=n, flips=False)
        per = (time.perf_counter() - start) / n
        assert isinstance(r, Robustness)
        assert r.works + r.fails + r.undetermined == n
        lines.append(f"{rec_id}: {per * 1000:.1f} ms/sample, p={r.probability}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


@settings(max_examples=6, deadline=None)
@given(
    above=st.booleans(),
    ends=st.lists(st.integers(0, 48), min_size=2, max_size=2, unique=True),
    seed=st.integers(0, 2**16),
)
def test_probability_matches_side_of_threshold(
    tmp_path_factory: pytest.TempPathFactory, above: bool, ends: list[int], seed: int
) -> None:
    """Any delta range wholly above (below) 1/2 gives probability 1 (0)."""
    lo, hi = sorted(ends)
    if above:
        lo, hi = lo + 51, hi + 51
    low, high = Fraction(lo, 100), Fraction(hi, 100)
    path = _df_file(tmp_path_factory.mktemp("df"), f"{float(low)}, {float(high)}", str(float(low)))
    r = robustness(path, "DF", n=8, seed=seed, flips=False)
    assert r.undetermined == 0
    assert r.probability == (1.0 if above else 0.0)
