"""Due-time computations per second, for each unit of processing time.

Runs on a throwaway SQLite database (migrated, so the announced overrides are in it) with
random receipt instants over 2026-2027 and amounts of 0.5 to 30 working days.
Usage: python bench/bench_workdays.py [--seconds 2]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent on each unit")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var_dir:
        os.environ["MOTCUA_VAR_DIR"] = var_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        run(args.seconds)


def run(seconds: float) -> None:
    from motcua.workdays.deadlines import LOCAL_TZ, compute_due_at

    rng = random.Random(2026)
    origin = datetime(2026, 1, 1, tzinfo=LOCAL_TZ)
    span = int(timedelta(days=730).total_seconds())
    starts = [origin + timedelta(seconds=rng.randrange(span)) for _ in range(10_000)]
    days = [Decimal(rng.randint(1, 60)) / 2 for _ in range(10_000)]  # 0.5 to 30
    cases = {
        "working_days": lambda i: compute_due_at(starts[i], days[i], "working_days"),
        "working_hours": lambda i: compute_due_at(starts[i], days[i] * 8, "working_hours"),
        "in_day": lambda i: compute_due_at(starts[i], 1, "in_day", cutoff="15:00"),
    }
    agency_hours = [["07:30", "11:30"], ["13:30", "17:00"]]
    cases["working_days (agency hours)"] = lambda i: compute_due_at(
        starts[i], days[i], "working_days", agency_hours
    )
    for case in cases.values():  # warm the per-year caches outside the timing
        case(0)
    print(f"due-time computations per second ({seconds:g} s each, 2026-2027 starts):")
    for name, case in cases.items():
        count, began = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - began) < seconds:
            for i in range(count % 10_000, count % 10_000 + 500):
                case(i % 10_000)
            count += 500
        print(f"  {name:28s} {count / elapsed:>10,.0f} /s  ({elapsed / count * 1e6:.1f} µs each)")


if __name__ == "__main__":
    main()
