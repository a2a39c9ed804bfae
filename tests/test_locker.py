"""The evidence locker: a private course key, frozen bundles, owner-only answer records."""

from __future__ import annotations

import json
import stat

import pytest

from darktrail.cli import main
from darktrail.course.locker import Locker, LockerError, bundle_digest
from darktrail.evidence import STAMP
from darktrail.world import CourseKeyRequired, Truth, generate


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def locker(tmp_path):
    locker = Locker(root=str(tmp_path / "locker"))
    locker.issue("t-01")
    return locker


def test_modes_are_owner_only(locker):
    """Key and answer records are readable by their owner alone; others may only pass through."""
    assert _mode(locker.key_file) == 0o600
    assert _mode(locker.record_file("t-01")) == 0o600
    assert _mode(locker.path / "answers") == 0o700
    assert _mode(locker.evidence_dir("t-01")) == 0o700
    assert _mode(locker.path) == 0o711 and _mode(locker.path / "evidence") == 0o711


def test_bundle_is_frozen_and_stamped(locker):
    """Issuing again keeps the bundle; its stamp names world version and content hash."""
    stamp = json.loads((locker.evidence_dir("t-01") / STAMP).read_text())
    assert stamp["sha256"] == bundle_digest(locker.evidence_dir("t-01"))
    assert stamp["trainee"] == "t-01" and stamp["world_version"] >= 2
    assert locker.issue("t-01") is False
    assert json.loads((locker.evidence_dir("t-01") / STAMP).read_text()) == stamp
    record = locker.case("t-01", issue=False)
    assert record.stamp == stamp and record.truth.trainee == "t-01"


def test_answer_record_keeps_the_typed_truth(locker):
    """The record's truth reads back as the same typed records the generator made."""
    world = generate("default", "t-01", locker.key())
    record = locker.case("t-01", issue=False)
    assert isinstance(record.truth, Truth) and record.truth == world.truth
    assert record.truth.seized.altered == world.truth.seized.altered


def test_damaged_truth_in_a_record_names_the_field(locker):
    """A malformed truth in an answer record is refused with the file and the field named."""
    path = locker.record_file("t-01")
    record = json.loads(path.read_text())
    record["truth"]["ledger"]["cashouts"][1]["sats"] = "a lot"
    path.write_text(json.dumps(record))
    with pytest.raises(LockerError, match=r"t-01\.json is damaged: .*ledger\.cashouts\[1\]\.sats"):
        locker.case("t-01", issue=False)


def test_world_needs_the_key(locker):
    """Without the course key nobody can make a trainee's world; with it, the locker's own."""
    with pytest.raises(CourseKeyRequired, match="course key"):
        generate("default", "t-01")
    world = generate("default", "t-01", locker.key())
    assert world.files == locker.case("t-01").files
    other = Locker(root=str(locker.path.parent / "other"))
    assert generate("default", "t-01", other.key()).files != world.files


def test_key_rotation_only_before_issuing(tmp_path, locker):
    """A key in use is never replaced; an unused one can be."""
    with pytest.raises(LockerError, match="already hold evidence"):
        locker.rotate_key()
    fresh = Locker(root=str(tmp_path / "fresh"))
    first = fresh.key()
    fresh.rotate_key()
    assert fresh.key() != first


def test_damaged_key_is_a_clear_error(tmp_path):
    """A key file that is not 64 hex characters is named, not used."""
    locker = Locker(root=str(tmp_path / "locker"))
    locker.key()
    locker.key_file.write_text("not a key")
    with pytest.raises(LockerError, match="is not a course key"):
        locker.key()


def test_cli_world_for_a_trainee_needs_the_course_key(
    sample_project, monkeypatch, capsys, tmp_path
):
    """`darktrail world --trainee X` without the course key says so; the shared world needs none."""
    monkeypatch.chdir(sample_project.root)
    assert main(["world", "--trainee", "t-01", "--out", str(tmp_path / "out")]) == 2
    assert "needs the course key" in capsys.readouterr().err
    assert main(["world", "--out", str(tmp_path / "shared")]) == 0
    sample_project.course().locker.key()
    assert main(["world", "--trainee", "t-01", "--out", str(tmp_path / "mine")]) == 0
