"""The ``darktrail`` command: thin verbs over importable functions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from darktrail.course.build import SOURCE_LANGUAGE, build_course
from darktrail.course.check import check_assignments
from darktrail.course.engine import CourseError, find_project
from darktrail.course.source import AuthoringError, find_exercises

__all__ = ["main"]


def _build(args: argparse.Namespace) -> int:
    project = find_project()
    exercises = find_exercises(project.exercises, args.assignments)
    build_course(exercises, project.course(), lang=args.lang, generate=not args.no_generate)
    for exercise in exercises:
        print(f"built {exercise.slug} ({args.lang}): {exercise.max_score:g} points")
    return 0


def _release(args: argparse.Namespace) -> int:
    project = find_project()
    course = project.course()
    exercises = find_exercises(project.exercises, args.assignments)
    build_course(exercises, course, lang=args.lang)
    for exercise in exercises:
        course.release(exercise.slug, replace=True)
        print(f"released {exercise.slug} to {course.config.Exchange.root}")
    return 0


def _check(args: argparse.Namespace) -> int:
    project = find_project()
    exercises = find_exercises(project.exercises, args.assignments)
    results = check_assignments(project, exercises, workers=args.workers)
    if args.json:
        print(json.dumps([r.as_json() for r in results], indent=2))
    else:
        print(f"{'assignment':24} {'max':>5} {'solution':>9} {'blank':>6}  mutants")
        for r in results:
            mutants = " ".join(f"{m['name']}={m['score']:g}" for m in r.mutants) or "-"
            print(
                f"{r.assignment:24} {r.max_score:5g} {r.solution_score:9g} "
                f"{r.blank_score:6g}  {mutants}"
            )
            for problem in r.problems:
                print(f"  FAIL {problem}")
        failed = sum(not r.ok for r in results)
        print(f"{len(results) - failed} passed, {failed} failed")
    return 0 if all(r.ok for r in results) else 1


def _world(args: argparse.Namespace) -> int:
    from darktrail.world import write_evidence

    write_evidence(args.scenario, args.trainee, Path(args.out), truth=args.truth)
    print(
        f"evidence written to {args.out}"
        + (f", ground truth to {args.truth}" if args.truth else "")
    )
    return 0


def _lab(args: argparse.Namespace) -> int:
    from darktrail.course.lab import start_lab

    start_lab(find_project(), port=args.port, ip=args.ip)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="darktrail", description=__doc__)
    verbs = top.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    build = verbs.add_parser("build", help="render exercises into grading/source and release/")
    build.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    build.add_argument("--lang", default=SOURCE_LANGUAGE, help="language of trainee texts")
    build.add_argument("--no-generate", action="store_true", help="only write grading/source")
    build.set_defaults(run=_build)

    release = verbs.add_parser("release", help="build and release assignments to the exchange")
    release.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    release.add_argument("--lang", default=SOURCE_LANGUAGE)
    release.set_defaults(run=_release)

    check = verbs.add_parser("check", help="prove assignments grade right (real autograde runs)")
    check.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    check.add_argument("--json", action="store_true", help="one JSON object per assignment")
    check.add_argument("--workers", type=int, default=1, help="assignments checked at once")
    check.set_defaults(run=_check)

    lab = verbs.add_parser("lab", help="start JupyterLab on the course (after release)")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    lab.set_defaults(run=_lab)

    world = verbs.add_parser("world", help="write a trainee's evidence folder")
    world.add_argument("--scenario", default="default", help="scenario name or TOML file")
    world.add_argument("--trainee", default=None, help="trainee id (default: the shared world)")
    world.add_argument("--out", required=True, help="evidence folder to write")
    world.add_argument("--truth", default=None, help="also write the ground truth (JSON) here")
    world.set_defaults(run=_world)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (AuthoringError, CourseError, ValueError, OSError) as error:
        print(f"darktrail {args.verb}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
