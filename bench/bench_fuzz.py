"""The API fuzzed at length: the suite's schemathesis test (tests/api/test_fuzz.py, every
operation anonymous and with a fresh token) with many examples per operation, on a throwaway
SQLite database. Prints the calls made, their statuses, and the operations that answered off
their documented schema or with a server error (the promise: none).

Usage: python bench/bench_fuzz.py [--examples 150]
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=150, help="examples per operation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        report = Path(var_dir, "calls.tsv")
        env = {
            **os.environ,
            "FUZZ_EXAMPLES": str(args.examples),
            "FUZZ_REPORT": str(report),
            "MOTCUA_VAR_DIR": var_dir,
        }
        env.pop("DATABASE_URL", None)
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:logging"]
            + ["-p", "no:cacheprovider", "tests/api/test_fuzz.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - started
        calls = (
            [line.split("\t") for line in report.read_text().splitlines()]
            if report.exists()
            else []
        )
    statuses = collections.Counter(status for _, status in calls)
    server_errors = sum(n for status, n in statuses.items() if status.startswith("5"))
    failing = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    operations = len({operation for operation, _ in calls})
    print(f"== schemathesis: {args.examples} examples per operation, {operations} operations")
    print(f"  {len(calls):,} calls in {wall:.0f} s ({len(calls) / max(wall, 1):.0f}/s)")
    print("  statuses: " + ", ".join(f"{s} × {n:,}" for s, n in sorted(statuses.items())))
    print(
        f"  server errors: {server_errors}; operations off their documented schema: {len(failing)}"
    )
    for line in failing:
        print("   ", line)
    if run.returncode not in (0, 1):
        print(run.stdout[-2000:], run.stderr[-2000:])
    if failing or server_errors or run.returncode:
        raise SystemExit("the fuzzer found answers off the contract")


if __name__ == "__main__":
    main()
