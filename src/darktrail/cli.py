"""The ``darktrail`` command: thin verbs over importable functions."""

# Each verb imports what it uses (nbgrader, jupytext and the world take seconds to import), so
# ``darktrail --help`` and a verb's ``--help`` answer at once; tests/test_cli_start.py keeps it so.

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

__all__ = ["main"]


def _say(line: str) -> None:
    """A progress line, shown as it happens (``make`` does not buffer it)."""
    print(line, flush=True)


def _build(args: argparse.Namespace) -> int:
    from darktrail.course.build import build_course
    from darktrail.course.engine import find_project
    from darktrail.course.language import course_in_language
    from darktrail.course.source import find_exercises

    project = find_project()
    exercises = find_exercises(project.exercises, args.assignments)
    course, lang = course_in_language(project, args.lang)
    build_course(exercises, course, lang=lang, generate=not args.no_generate, progress=_say)
    for exercise in exercises:
        print(f"built {exercise.slug} ({lang}): {exercise.max_score:g} points")
    return 0


def _release(args: argparse.Namespace) -> int:
    from darktrail.course.build import release_course
    from darktrail.course.engine import find_project
    from darktrail.course.language import course_in_language
    from darktrail.course.locker import issue_evidence
    from darktrail.course.source import find_exercises

    project = find_project()
    _say(f"reading the exercises in {project.exercises}")
    exercises = find_exercises(project.exercises, args.assignments)
    course, lang = course_in_language(project, args.lang)
    release_course(exercises, course, lang=lang, say=_say, force=args.force)
    _say("issuing evidence to new trainees")
    every = exercises if not args.assignments else find_exercises(project.exercises)
    issued = issue_evidence(course, every)
    print(f"evidence issued to {len(issued)} new trainee(s); locker: {course.locker.path}")
    return 0


def _locker(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project

    locker = find_project().course().locker
    if args.locker_verb == "rotate-key":
        print(f"new course key written to {locker.rotate_key()}")
        return 0
    print(f"locker:      {locker.path}")
    print(
        f"course key:  {locker.key_file} ({'present' if locker.key_file.is_file() else 'not yet made'})"
    )
    issued = locker.issued()
    print(f"issued:      {len(issued)} trainee(s){': ' + ', '.join(issued[:10]) if issued else ''}")
    print("Keep this folder private: it holds every trainee's expected answers.")
    return 0


def _check(args: argparse.Namespace) -> int:
    from darktrail.course.check import check_assignments
    from darktrail.course.engine import find_project
    from darktrail.course.source import find_exercises

    project = find_project()
    exercises = find_exercises(project.exercises, args.assignments)
    results = check_assignments(project, exercises, workers=args.workers, sample=args.sample)
    if args.json:
        print(json.dumps([r.as_json() for r in results], indent=2))
    else:
        print(f"{'assignment':24} {'max':>5} {'solution':>9} {'blank':>6}  mutants / variants")
        for r in results:
            mutants = " ".join(f"{m['name']}={m['score']:g}" for m in r.mutants) or "-"
            variants = " ".join(f"{v['name']}={v['score']:g}" for v in r.variants) or "-"
            print(
                f"{r.assignment:24} {r.max_score:5g} {r.solution_score:9g} "
                f"{r.blank_score:6g}  {mutants} / {variants}"
            )
            if r.dependencies:
                blanks = " ".join(f"{d['blank']}->{len(d['lost'])}" for d in r.dependencies)
                print(f"  blank cell -> tests cells it cost: {blanks}")
            for d in r.diversity:
                why = f"shared: {d['shared']}" if d["shared"] else f"{d['pairs_differing']:.0%}"
                print(f"  {d['grade_id']:32} {d['distinct']:3} distinct  {why}")
            for problem in r.problems:
                print(f"  FAIL {problem}")
        failed = sum(not r.ok for r in results)
        print(f"{len(results) - failed} passed, {failed} failed")
    return 0 if all(r.ok for r in results) else 1


def _world(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project
    from darktrail.world import write_evidence

    key = None
    if args.trainee is not None:
        key_file = Path(args.key) if args.key else find_project().course().locker.key_file
        if not key_file.is_file():
            raise ValueError(
                f"trainee {args.trainee!r}'s world needs the course key, and there is none at "
                f"{key_file}: only the instructor's course can make a trainee's world "
                "(without --trainee you get the shared world)"
            )
        key = bytes.fromhex(key_file.read_text(encoding="ascii").strip())
    write_evidence(args.scenario, args.trainee, Path(args.out), truth=args.truth, course_key=key)
    print(
        f"evidence written to {args.out}"
        + (f", ground truth to {args.truth}" if args.truth else "")
    )
    return 0


def _lab(args: argparse.Namespace) -> int:
    from darktrail.course.engine import CourseError, find_project
    from darktrail.course.lab import check_port, start_lab
    from darktrail.course.language import recorded_language

    check_port(args.port, args.ip)  # before a minute of building, not after
    if args.no_release and args.lang not in (None, recorded_language(find_project().grading)):
        raise CourseError(
            f"--lang {args.lang} with --no-release: a new course language needs a new release "
            "(the notebooks would stay in the old one); drop --no-release"
        )
    if not args.no_release:
        _release(argparse.Namespace(assignments=[], lang=args.lang, force=False))
    start_lab(find_project(), port=args.port, ip=args.ip)
    return 0


def _roster(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project
    from darktrail.course.roster import import_roster

    trainees = import_roster(find_project().course(), Path(args.file))
    print(f"{len(trainees)} trainee(s) in the gradebook from {args.file}")
    return 0


def _collect(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project

    trainees = find_project().course().collect(args.assignment)
    print(f"{args.assignment}: {len(trainees)} submission(s) collected")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project
    from darktrail.course.grading import grade

    run = grade(
        find_project().course(),
        args.assignment,
        workers=args.workers,
        timeout=args.timeout,
        force=args.force,
        stream=sys.stdout,
    )
    print(run.summary())
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project
    from darktrail.course.feedback import feedback

    outcome = feedback(find_project().course(), args.assignment, release=not args.no_release)
    print(outcome.summary())
    return 0


def _export(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project
    from darktrail.course.export import export_grades

    text = export_grades(find_project().course(), args.format, args.assignments or None)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"grades ({args.format}) written to {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from darktrail.course.engine import find_project
    from darktrail.course.report import write_report

    course = find_project().course()
    folder = Path(args.out) if args.out else course.root / "reports"
    page, _ = write_report(course, folder, args.assignments or None)
    print(f"cohort report written to {page}")
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from darktrail.course.cohort import simulate_cohort
    from darktrail.course.engine import find_project
    from darktrail.course.source import find_exercises

    project = find_project()
    [exercise] = find_exercises(project.exercises, [args.assignment])
    cohort = simulate_cohort(project.course(), exercise, args.size, args.seed)
    for member in cohort:
        print(f"{member.trainee:20} {member.answers:24} expects {member.expected_score:g}")
    print(f"{args.assignment}: {len(cohort)} submission(s) in the exchange; run darktrail collect")
    return 0


_LANG_HELP = (
    "course language of trainee texts (en, ru), recorded for the course and kept "
    "(default: the recorded one, English at first); a new one rebuilds the release"
)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="darktrail", description=__doc__)
    verbs = top.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    build = verbs.add_parser("build", help="render exercises into grading/source and release/")
    build.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    build.add_argument("--lang", default=None, help=_LANG_HELP)
    build.add_argument("--no-generate", action="store_true", help="only write grading/source")
    build.set_defaults(run=_build)

    release = verbs.add_parser("release", help="build and release assignments to the exchange")
    release.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    release.add_argument("--lang", default=None, help=_LANG_HELP)
    release.add_argument(
        "--force", action="store_true", help="build and release even unchanged assignments"
    )
    release.set_defaults(run=_release)

    check = verbs.add_parser("check", help="prove assignments grade right (real autograde runs)")
    check.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    check.add_argument("--json", action="store_true", help="one JSON object per assignment")
    check.add_argument("--workers", type=int, default=1, help="assignments checked at once")
    check.add_argument(
        "--sample", type=int, default=40, help="trainees for answer diversity (0: skip)"
    )
    check.set_defaults(run=_check)

    locker = verbs.add_parser("locker", help="where the course key and issued evidence are")
    locker_verbs = locker.add_subparsers(dest="locker_verb", metavar="ACTION")
    locker_verbs.add_parser("show", help="the locker's folder, key and issued trainees")
    locker_verbs.add_parser("rotate-key", help="a new course key (only before evidence is issued)")
    locker.set_defaults(run=_locker)

    lab = verbs.add_parser("lab", help="release the course and start JupyterLab on it")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    lab.add_argument("--lang", default=None, help=_LANG_HELP)
    lab.add_argument("--no-release", action="store_true", help="start on what is already released")
    lab.set_defaults(run=_lab)

    roster = verbs.add_parser("roster", help="the course roster")
    roster_verbs = roster.add_subparsers(dest="roster_verb", required=True, metavar="ACTION")
    roster_import = roster_verbs.add_parser(
        "import", help="add trainees from a CSV (id, first_name, last_name, email)"
    )
    roster_import.add_argument("file", metavar="FILE.csv")
    roster_import.set_defaults(run=_roster)

    collect = verbs.add_parser("collect", help="collect submissions from the exchange")
    collect.add_argument("assignment", metavar="ASSIGNMENT")
    collect.set_defaults(run=_collect)

    grade = verbs.add_parser("grade", help="autograde every collected submission, in parallel")
    grade.add_argument("assignment", metavar="ASSIGNMENT")
    grade.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    grade.add_argument("--timeout", type=int, default=None, help="seconds a cell may run")
    grade.add_argument("--force", action="store_true", help="also regrade unchanged submissions")
    grade.set_defaults(run=_grade)

    feedback = verbs.add_parser("feedback", help="HTML feedback per trainee (no hidden tests)")
    feedback.add_argument("assignment", metavar="ASSIGNMENT")
    feedback.add_argument("--no-release", action="store_true", help="do not release to exchange")
    feedback.set_defaults(run=_feedback)

    export = verbs.add_parser("export", help="grades for a learning-management system")
    export.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    export.add_argument("--format", choices=("csv", "moodle", "canvas"), default="csv")
    export.add_argument("--out", default="-", help="file to write (default: standard output)")
    export.set_defaults(run=_export)

    report = verbs.add_parser("report", help="cohort report: HTML with PNG charts")
    report.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    report.add_argument("--out", default=None, help="folder (default: grading/reports)")
    report.set_defaults(run=_report)

    simulate = verbs.add_parser(
        "simulate-cohort", help="synthetic submissions through the exchange (rehearsal)"
    )
    simulate.add_argument("assignment", metavar="ASSIGNMENT")
    simulate.add_argument("--size", type=int, required=True, help="number of trainees")
    simulate.add_argument("--seed", type=int, default=0, help="seed of the mix of answers")
    simulate.set_defaults(run=_simulate)

    world = verbs.add_parser("world", help="write a trainee's evidence folder")
    world.add_argument("--scenario", default="default", help="scenario name or TOML file")
    world.add_argument("--trainee", default=None, help="trainee id (default: the shared world)")
    world.add_argument("--out", required=True, help="evidence folder to write")
    world.add_argument("--truth", default=None, help="also write the ground truth (JSON) here")
    world.add_argument("--key", default=None, help="course key file (default: the course's)")
    world.set_defaults(run=_world)
    return top


# The errors a verb reports in one line (exit status 2) instead of a traceback, besides ValueError
# (AuthoringError is one) and OSError; by the module defining each, which --help does not import.
_REPORTED = (
    ("darktrail.course.source", "AuthoringError"),
    ("darktrail.course.engine", "CourseError"),
    ("darktrail.course.locker", "LockerError"),
)


def _reported(error: Exception) -> bool:
    """Whether ``error`` is one a verb reports in one line.

    An error of a class whose module was never imported cannot have been raised, so only the
    modules the verb imported are looked at.
    """
    if isinstance(error, (ValueError, OSError)):
        return True
    return any(
        (module := sys.modules.get(name)) is not None and isinstance(error, getattr(module, kind))
        for name, kind in _REPORTED
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except Exception as error:
        if not _reported(error):
            raise
        print(f"darktrail {args.verb}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
