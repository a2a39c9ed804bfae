"""Benchmark the ``darktrail`` command's start: CPU time of ``--help`` and of a verb's ``--help``.

Usage::

    .venv/bin/python benchmarks/bench_cli.py [--runs 5] [--before DIR]

Each measurement is a fresh interpreter (this one's, the venv's) running ``darktrail.cli.main``
exactly as the ``darktrail`` console script does, with a list of arguments, and timed by the
CPU it used (user + sys, from ``resource.getrusage(RUSAGE_CHILDREN)``), because the machine may
be shared: wall-clock time is printed beside it but says more about the load than about darktrail.
Each child also reports how many modules it imported and which of the heavy ones (nbgrader,
jupytext, nbformat, pandas, matplotlib) were among them.

``--before DIR`` names another source tree (a folder holding ``darktrail/``, e.g. an extract of an
older commit: ``git archive HEAD~1 src | tar -x -C /tmp/old`` then ``--before /tmp/old/src``); its
runs are interleaved with this checkout's so both see the same load, and the ratio is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("nbgrader", "jupytext", "nbformat", "pandas", "matplotlib")
COMMANDS = (["--help"], ["grade", "--help"], ["world", "--help"])
# Runs the console script's entry point in the child, then reports what it imported.
_CHILD = """
import contextlib, io, json, sys
with contextlib.redirect_stdout(io.StringIO()):
    from darktrail.cli import main
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
import darktrail
heavy = sorted(name for name in {heavy!r} if name in sys.modules)
print(json.dumps({{"modules": len(sys.modules), "heavy": heavy, "file": darktrail.__file__}}))
"""
SRC = Path(__file__).resolve().parents[1] / "src"


def run_once(src: Path, argv: list[str]) -> dict:
    """One fresh ``darktrail ARGV`` with ``src`` first on the path: CPU, wall time, imports.

    Parameters
    ----------
    src : Path
        The folder holding the ``darktrail`` package to run.
    argv : list of str
        The command's arguments (``["--help"]``).

    Returns
    -------
    dict
        ``cpu`` and ``wall`` seconds, ``modules`` imported, the ``heavy`` ones among them.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD.format(heavy=HEAVY), *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"darktrail {' '.join(argv)} from {src} failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if not Path(report["file"]).is_relative_to(src):
        raise SystemExit(f"{src} was not the darktrail imported (got {report['file']})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cpu": cpu, "wall": wall, "modules": report["modules"], "heavy": report["heavy"]}


def main() -> None:
    """Measure and print the table."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=5, help="runs of each command and tree")
    options.add_argument("--before", type=Path, default=None, help="another source tree to compare")
    args = options.parse_args()
    trees = {"this checkout": SRC}
    if args.before is not None:
        trees = {"before": args.before.resolve(), **trees}
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    print(
        f"{'command':24} {'tree':14} {'CPU s (median, min)':>20} {'wall s':>7} {'modules':>8}  heavy"
    )
    for argv in COMMANDS:
        samples: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, src in trees.items():
                samples[name].append(run_once(src, argv))
        for name, runs in samples.items():
            cpu = [r["cpu"] for r in runs]
            print(
                f"{'darktrail ' + ' '.join(argv):24} {name:14} "
                f"{statistics.median(cpu):11.2f}, {min(cpu):6.2f} "
                f"{statistics.median(r['wall'] for r in runs):7.2f} {runs[-1]['modules']:8}  "
                f"{', '.join(runs[-1]['heavy']) or '-'}"
            )
        if len(samples) == 2:
            old, new = (statistics.median(r["cpu"] for r in runs) for runs in samples.values())
            print(f"{'':24} {'ratio':14} {old / new:11.1f}x")


if __name__ == "__main__":
    main()
