"""Scenario files: bad ones fail with a message naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from darktrail.world import ScenarioError, load_scenario
from darktrail.world.scenario import seeds_dir


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (seeds_dir() / "tiny.toml").read_text()
    assert old in text
    path = tmp_path / "x.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_named_scenarios_load():
    """Every scenario shipped in seeds/ loads and validates."""
    for path in sorted(seeds_dir().glob("*.toml")):
        assert load_scenario(path.stem).name == path.stem


def test_wrong_type_names_the_key_and_the_file(tmp_path):
    """A string where an integer belongs is reported with section, key, value and file."""
    path = _variant(tmp_path, "n_buyers = 8", 'n_buyers = "ten"')
    with pytest.raises(
        ScenarioError, match=r'x\.toml: \[ledger\] n_buyers must be an integer, got "ten"'
    ):
        load_scenario(path)


def test_missing_key_names_the_key_and_the_file(tmp_path):
    """A missing key is reported with its section and the file."""
    path = _variant(tmp_path, "peel_hops = 6", "")
    with pytest.raises(ScenarioError, match=r"x\.toml: \[ledger\] missing key 'peel_hops'"):
        load_scenario(path)


def test_unknown_key_names_the_key_and_the_file(tmp_path):
    """A misspelt key is refused rather than silently ignored."""
    path = _variant(tmp_path, "peel_hops = 6", "peel_hops = 6\npeel_hop = 3")
    with pytest.raises(ScenarioError, match=r"x\.toml: \[ledger\] unknown key 'peel_hop'"):
        load_scenario(path)


def test_bad_toml_and_missing_file_are_scenario_errors(tmp_path):
    """Unparsable TOML and a missing file raise ScenarioError naming the file."""
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\nname = 1")
    with pytest.raises(ScenarioError, match=r"bad\.toml: not valid TOML"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="no-such-scenario.toml: no such scenario file"):
        load_scenario("no-such-scenario")


def test_bare_name_resolves_to_seeds_folder():
    """A bare name means seeds/<name>.toml and the message shows the repository path."""
    assert load_scenario("tiny").path == seeds_dir() / "tiny.toml"
    with pytest.raises(ScenarioError, match=r"seeds/nope\.toml"):
        load_scenario("nope")
