"""A whole instructor day through the darktrail command, on the small sample course."""

from __future__ import annotations

import csv
import io

import pytest

from darktrail.cli import main
from darktrail.course.cohort import read_cohort
from darktrail.course.feedback import answer_lines, find_hidden_tests
from darktrail.course.report import assignment_report

SAMPLE = "01-sample"
ROSTER = "id,first_name,last_name,email\n" + "".join(
    f"det-{n:02d},Trainee{n},Example,det{n:02d}@example.org\n" for n in range(1, 13)
)


@pytest.fixture(scope="module")
def course_day(tmp_path_factory):
    """Roster of 12, release, simulated cohort, collect, grade, feedback, export, report."""
    from conftest import DATA, scratch_project

    root = tmp_path_factory.mktemp("day")
    project = scratch_project(root, DATA / "sample-course" / "exercises")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        outputs = {}
        for verb in (
            ["roster", "import", "roster.csv"],
            ["release", SAMPLE],
            ["simulate-cohort", SAMPLE, "--size", "12", "--seed", "8"],
            ["collect", SAMPLE],
            ["grade", SAMPLE, "--workers", "2", "--timeout", "30"],
            ["feedback", SAMPLE],
            ["export", "--format", "csv", "--out", "grades.csv"],
            ["export", "--format", "moodle", "--out", "moodle.csv"],
            ["export", "--format", "canvas", "--out", "canvas.csv"],
            ["report", SAMPLE, "--out", "report"],
        ):
            assert main(verb) == 0, verb
            outputs[verb[0]] = verb
    return project


def test_exported_scores_equal_the_simulated_ones(course_day):
    """Every roster trainee's exported score is the score their simulated answers earn."""
    course = course_day.course()
    expected = {s.trainee: s.expected_score for s in read_cohort(course, SAMPLE)}
    rows = list(csv.DictReader(io.StringIO((course_day.root / "grades.csv").read_text())))
    assert len(expected) == 12 and {r["trainee"] for r in rows} == set(expected)
    assert {r["trainee"]: float(r["score"]) for r in rows} == expected
    kinds = {s.answers for s in read_cohort(course, SAMPLE)}
    assert kinds == {"solution", "blank", "off-by-one"}


def test_lms_exports_carry_the_same_scores(course_day):
    """Moodle and Canvas files hold one row per trainee with the same scores as the CSV."""
    root = course_day.root
    plain = {
        r["trainee"]: r["score"]
        for r in csv.DictReader(io.StringIO((root / "grades.csv").read_text()))
    }
    moodle = list(csv.DictReader(io.StringIO((root / "moodle.csv").read_text())))
    assert {r["ID number"]: r[SAMPLE] for r in moodle} == plain
    assert all(r["Email address"].endswith("@example.org") for r in moodle)
    canvas = list(csv.reader(io.StringIO((root / "canvas.csv").read_text())))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "5"
    assert {row[2]: row[5] for row in canvas[2:]} == plain


def test_feedback_shows_no_answer(course_day):
    """No feedback file contains a line of the answer code or a handed-in answer's data."""
    course = course_day.course()
    files = sorted(course.root.glob(f"feedback/*/{SAMPLE}/*.html"))
    assert len(files) == 12
    assert find_hidden_tests(course, SAMPLE, files) == []
    secret = answer_lines(course, SAMPLE)
    assert secret, "the sample assignment has answer code to look for"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "vnd.darktrail.answer" not in text
        assert "HIDDEN TESTS" not in text


def test_feedback_keeps_the_hint(course_day):
    """A trainee whose count is off by one reads the hint message in their feedback."""
    course = course_day.course()
    wrong = next(s.trainee for s in read_cohort(course, SAMPLE) if s.answers == "off-by-one")
    [page] = course.root.glob(f"feedback/{wrong}/{SAMPLE}/*.html")
    assert "count every phone exactly once" in page.read_text(encoding="utf-8")


def test_feedback_is_released_to_the_exchange(course_day):
    """Trainees can fetch their feedback: it sits in the exchange's feedback folder."""
    exchange = course_day.grading / "exchange" / "darktrail" / "feedback"
    assert len(list(exchange.rglob("*.html"))) == 12


def test_report_names_concepts_and_manual_grading(course_day):
    """The report charts scores and cells, names each cell's concept, lists manual grading."""
    course = course_day.course()
    folder = course_day.root / "report"
    assert {p.name for p in folder.iterdir()} == {
        "report.html",
        f"{SAMPLE}-scores.png",
        f"{SAMPLE}-cells.png",
    }
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "n_phones is the number of seized phones." in page
    report = assignment_report(course, SAMPLE)
    cohort = read_cohort(course, SAMPLE)
    solved = sum(s.answers == "solution" for s in cohort)
    rates = {c.grade_id: (c.passed, c.attempted) for c in report.cells}
    assert rates["count-test"] == (solved, 12)
    assert report.hardest[0].grade_id == "count-test"
    answered = {s.trainee for s in cohort if s.answers != "blank"}
    assert set(report.manual) == answered  # their written answer "why" waits for an instructor


def test_scan_catches_answer_code(course_day, tmp_path):
    """The leak scan is not vacuous: a page that quotes the answer code is caught."""
    course = course_day.course()
    page = tmp_path / "leaky.html"
    page.write_text("<pre>" + "\n".join(answer_lines(course, SAMPLE)[:1]) + "</pre>")
    assert find_hidden_tests(course, SAMPLE, [page])
