"""Benchmark the world generator: a classroom of trainees, then a million-transaction world.

Usage::

    .venv/bin/python benchmarks/bench_world.py [--trainees 20] [--skip-scale] [--keep DIR]

Prints, side by side, per-trainee generation time for the classroom world (generate + write
the evidence folder) and the time and peak memory of the scale world (``seeds/scale.toml``:
the same case inside at least 1,000,000 transactions streamed to ``transactions.jsonl``).
The scale world runs in a child process so its peak memory is measured on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from darktrail.world import generate, load_scenario


def classroom(n: int, scenario: str) -> dict:
    """Generate and write ``n`` trainees' worlds; return timing figures in seconds."""
    loaded = load_scenario(scenario)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            start = time.perf_counter()
            generate(loaded, f"trainee-{i:02d}", course_key=bytes(32)).write(
                Path(tmp) / f"t{i:02d}"
            )
            times.append(time.perf_counter() - start)
    return {
        "trainees": n,
        "first_s": times[0],
        "median_s": statistics.median(times),
        "max_s": max(times),
        "total_s": sum(times),
    }


def scale(keep: str | None) -> dict:
    """Generate and write the scale world; return time, size and peak memory."""
    start = time.perf_counter()
    world = generate("scale", None)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(keep or tmp)
        world.write(out)
        elapsed = time.perf_counter() - start
        jsonl = out / "ledger" / "transactions.jsonl"
        size = jsonl.stat().st_size
    # Filler workers are forked children: count the parent's peak plus the largest child's
    # (an upper bound: pages shared copy-on-write are counted twice).
    peak_kib = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    cpu = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "transactions": world.truth.filler.transactions
        + len(json.loads(world.files["ledger/transactions.json"])),
        "seconds": elapsed,
        "peak_memory_mib": peak_kib / 1024,
        "cpu_s": sum(r.ru_utime + r.ru_stime for r in cpu),
        "jsonl_mib": size / 2**20,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--keep", help="write the scale world here instead of a temp folder")
    parser.add_argument("--scale-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_only:
        print(json.dumps(scale(args.keep)))
        return 0
    room = classroom(args.trainees, args.scenario)
    print(f"classroom ({args.scenario}, {room['trainees']} trainees, generate + write):")
    print(f"  first trainee   {room['first_s']:.2f} s  (includes the per-scenario key collision)")
    print(f"  median trainee  {room['median_s']:.2f} s   max {room['max_s']:.2f} s")
    print(f"  whole class     {room['total_s']:.1f} s")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    if not args.skip_scale:
        cmd = [sys.executable, __file__, "--scale-only"] + (
            ["--keep", args.keep] if args.keep else []
        )
        result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        print("scale world (seeds/scale.toml, generate + write, own process):")
        print(f"  transactions    {result['transactions']:,}")
        print(f"  time            {result['seconds']:.1f} s  (CPU {result['cpu_s']:.0f} s)")
        print(f"  peak memory     {result['peak_memory_mib']:.0f} MiB")
        print(f"  transactions.jsonl {result['jsonl_mib']:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
