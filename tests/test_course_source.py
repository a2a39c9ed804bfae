"""Authoring mistakes stop the build with the file and cell named, before nbgrader runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from darktrail.course.build import render
from darktrail.course.source import AuthoringError, find_exercises, read_exercise

GOOD_SOLUTION = '# %% role="solution" grade_id="a"\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n'
GOOD_TESTS = '# %% role="tests" grade_id="a-test" points=1 needs="a"\nassert x == 1\n'


def write(tmp_path: Path, text: str, mutants: str | None = None) -> Path:
    folder = tmp_path / "05-case"
    folder.mkdir()
    (folder / "05-case.py").write_text(text, encoding="utf-8")
    if mutants is not None:
        (folder / "mutants.toml").write_text(mutants, encoding="utf-8")
    return folder


def error_of(folder: Path) -> str:
    with pytest.raises(AuthoringError) as caught:
        read_exercise(folder)
    return str(caught.value)


def test_good_source_reads(tmp_path):
    """A well-formed source gives its cells, roles and points."""
    exercise = read_exercise(write(tmp_path, GOOD_SOLUTION + "\n" + GOOD_TESTS))
    assert [c.role for c in exercise.cells] == ["solution", "tests"]
    assert exercise.max_score == 1


def test_duplicate_grade_id_names_file_line_and_cell(tmp_path):
    """A duplicated grade_id is reported with the file, line and first use."""
    text = GOOD_SOLUTION + "\n" + GOOD_TESTS + "\n" + GOOD_TESTS.replace("x == 1", "x")
    message = error_of(write(tmp_path, text))
    assert "05-case.py:9: cell 3 (a-test)" in message
    assert "duplicate grade_id, first used by cell 2" in message


def test_tests_cell_without_points(tmp_path):
    """A graded tests cell must say how many points it is worth."""
    message = error_of(write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace(" points=1", "")))
    assert "cell 2 (a-test)" in message and "needs points" in message


@pytest.mark.parametrize("points", ["0", "-2", "true"])
def test_points_must_be_a_positive_number(tmp_path, points):
    """Zero, negative or boolean points are refused."""
    message = error_of(
        write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace("points=1", f"points={points}"))
    )
    assert "points" in message and "cell 2" in message


def test_malformed_metadata(tmp_path):
    """Metadata jupytext cannot decode is reported verbatim."""
    message = error_of(
        write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace("points=1", "points=one"))
    )
    assert "05-case.py:5: cell 2: malformed metadata" in message and "points=one" in message


def test_unknown_role_and_metadata(tmp_path):
    """Roles and metadata keys outside the format are refused by name."""
    assert "unknown role 'test'" in error_of(
        write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace('"tests"', '"test"'))
    )
    other = tmp_path / "other"
    other.mkdir()
    text = GOOD_SOLUTION + GOOD_TESTS.replace("points=1", 'points=1 colour="red"')
    assert "unknown metadata colour" in error_of(write(other, text))


def test_solution_region_required_and_closed(tmp_path):
    """A solution cell without a closed solution region is refused."""
    text = GOOD_SOLUTION.replace("### END SOLUTION\n", "") + GOOD_TESTS
    assert "never closed" in error_of(write(tmp_path, text))


def test_untranslatable_message_form(tmp_path):
    """Messages must be _("...") literals so the build can translate them."""
    text = GOOD_SOLUTION + GOOD_TESTS.replace("x == 1", "x == 1, _(message)")
    assert 'write translatable messages as _("one line of text")' in error_of(write(tmp_path, text))


def test_mutant_errors_name_the_mutant(tmp_path):
    """Mutants must replace existing solution cells and target existing tests cells."""
    mutants = '[[mutant]]\nname = "m"\nwhy = "w"\ntargets = ["nope"]\n[mutant.cells]\na = "x = 2"\n'
    message = error_of(write(tmp_path, GOOD_SOLUTION + GOOD_TESTS, mutants))
    assert "mutant 'm'" in message and "'nope' is not a tests cell" in message


def test_unknown_exercise_lists_known_ones(tmp_path):
    """Asking for an exercise that does not exist names the ones that do."""
    write(tmp_path, GOOD_SOLUTION + GOOD_TESTS)
    with pytest.raises(AuthoringError, match=r"no exercise '09-x'.*known: 05-case"):
        find_exercises(tmp_path, ["09-x"])


def test_render_sets_nbgrader_metadata_and_translates(tmp_path):
    """Rendering gives nbgrader's cell metadata and swaps _() messages for the catalog's text."""
    folder = write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace("x == 1", 'x == 1, _("wrong")'))
    (folder / "locale").mkdir()
    (folder / "locale" / "ru.json").write_text('{"wrong": "неверно"}', encoding="utf-8")
    exercise = read_exercise(folder)
    english, russian = render(exercise, "en"), render(exercise, "ru")
    test_cell = english.cells[1]
    assert test_cell.metadata["nbgrader"] == {
        "schema_version": 3,
        "task": False,
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "a-test",
        "points": 1,
    }
    assert test_cell.source.endswith('_("wrong")'.replace('_("wrong")', '"wrong"'))
    assert russian.cells[1].source.endswith('"неверно"')


def test_missing_translation_is_reported(tmp_path):
    """A language without a complete catalog is refused, naming what is missing."""
    folder = write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace("x == 1", 'x == 1, _("wrong")'))
    exercise = read_exercise(folder)
    with pytest.raises(AuthoringError, match="no 'ru' translation"):
        render(exercise, "ru")
    (folder / "locale").mkdir()
    (folder / "locale" / "ru.json").write_text("{}", encoding="utf-8")
    with pytest.raises(AuthoringError, match="1 text\\(s\\) untranslated, first: 'wrong'"):
        render(exercise, "ru")


def test_tests_cell_must_name_what_it_needs(tmp_path):
    """A tests cell without needs= is refused, with the solution cell to name."""
    message = error_of(write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace(' needs="a"', "")))
    assert "cell 2 (a-test)" in message and 'needs="a"' in message


def test_needs_names_an_earlier_solution_cell(tmp_path):
    """needs= may name only solution code cells that come before the tests cell."""
    message = error_of(
        write(tmp_path, GOOD_SOLUTION + GOOD_TESTS.replace('needs="a"', 'needs="a b"'))
    )
    assert "needs b, which is not an earlier solution code cell" in message
