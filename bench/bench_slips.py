"""Slip rendering: time to build each PDF (Mẫu 01 … 06) and its size, median and p95.

Runs on a throwaway SQLite database in a temporary folder: one dossier is taken through
reception, a supplement request, an apology, and others through refusal and stop, so that
every slip is issued; each is then rendered `--rounds` times (the first, which loads the
fonts, is reported apart).
Usage: python bench/bench_slips.py [--rounds 10]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        os.environ["MOTCUA_VAR_DIR"] = var_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.rounds)


def run(rounds: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from motcua.dossiers.services import perform
    from motcua.dossiers.slips import slip_pdf
    from tests.dossiers import factories

    w = factories.world()
    start = timezone.now() - timedelta(days=2)
    d = factories.submit(w, start)
    d = perform(d, "receive", w.reception, now=start + timedelta(minutes=30))
    d = perform(
        d, "request_supplement", w.reception, missing=["Tờ khai"], now=start + timedelta(hours=1)
    )
    d = perform(d, "supplement", w.citizen, now=start + timedelta(hours=20))
    d = perform(d, "forward", w.reception, now=start + timedelta(hours=21))
    d = perform(
        d, "apologize", w.specialist, reason="Cần xác minh", new_due_at=d.due_at + timedelta(days=2)
    )
    refused = factories.counter(w, start)
    refused = perform(refused, "refuse", w.reception, reason="Không thuộc thẩm quyền")
    stopped = factories.counter(w, start)
    stopped = perform(stopped, "stop", w.head, reason="Người nộp đề nghị dừng")
    cases = [
        ("mau-01", d),
        ("mau-02", d),
        ("mau-03", refused),
        ("mau-04", d),
        ("mau-05", stopped),
        ("mau-06", d),
    ]
    print(f"{'slip':8} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'size KB':>8}")
    for form, dossier in cases:
        times = []
        for _ in range(rounds + 1):
            began = time.perf_counter()
            pdf = slip_pdf(dossier, form)
            times.append((time.perf_counter() - began) * 1000)
        first, rest = times[0], times[1:]
        print(
            f"{form:8} {first:9.0f} {statistics.median(rest):10.0f} "
            f"{percentile(rest, 0.95):8.0f} {len(pdf) / 1024:8.1f}"
        )


if __name__ == "__main__":
    main()
