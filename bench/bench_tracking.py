"""The citizen's pages after submission: "my dossiers", a notification centre and the status
lookup, timed (median and p95) and their SQL queries counted, for a citizen with few and with
many dossiers and notifications.

Runs on a throwaway SQLite database, or on DATABASE_URL when given (a temporary database is
created there and dropped afterwards).
Usage: python bench/bench_tracking.py [--dossiers 2000] [--rounds 30]
"""

import argparse
import statistics
import time

from _common import on_throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=2000, help="dossiers of the busy citizen")
    parser.add_argument("--rounds", type=int, default=30, help="requests per page")
    args = parser.parse_args()

    on_throwaway_database(run, args)


def _dossiers(w, citizen, count: int) -> list:
    """`count` submitted dossiers of `citizen` with two notifications each, written in bulk
    (the pages read them; how they were made does not matter here)."""
    from datetime import timedelta

    from django.utils import timezone

    from motcua.dossiers.models import Dossier, Status
    from motcua.integrations.models import Notification

    now = timezone.now()
    statuses = [Status.SUBMITTED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.RETURNED]
    rows = Dossier.objects.bulk_create(
        Dossier(
            code=f"{w.home.code}-B{citizen.pk:04d}-{n:05d}",
            procedure=w.procedure,
            agency=w.home,
            channel="online",
            applicant={"kind": "citizen", "full_name": citizen.full_name},
            applicant_user=citizen,
            applicant_id_number=citizen.id_number,
            status=statuses[n % len(statuses)],
            submitted_at=now - timedelta(minutes=n),
            due_at=now + timedelta(days=3),
            created_at=now,
            updated_at=now,
        )
        for n in range(count)
    )
    Notification.objects.bulk_create(
        Notification(user=citizen, dossier=d, title=f"Hồ sơ {d.code}", created_at=now)
        for d in rows
        for _ in range(2)
    )
    return rows


def _measure(client, url: str, rounds: int) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return (
        f"median {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  "
        f"{len(queries)} queries  {len(response.content) / 1024:5.1f} KB"
    )


def run(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from tests.dossiers import factories

    w = factories.world()
    few = _dossiers(w, w.citizen, 3)
    busy = _dossiers(w, w.other_citizen, args.dossiers)
    print(f"database: {connection.vendor}; citizens with {len(few)} and {len(busy)} dossiers")
    # Pages render with the plain static storage: no collectstatic manifest in a bench.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        for user, label in ((w.citizen, len(few)), (w.other_citizen, len(busy))):
            client = Client()
            client.force_login(user)
            pages = {
                "my dossiers": "/ho-so-cua-toi/",
                "my dossiers, last page": f"/ho-so-cua-toi/?page={max(1, label // 20)}",
                "my dossiers, one group": "/ho-so-cua-toi/?nhom=can-bo-sung",
                "notification centre": "/thong-bao/",
                "home page (header count)": "/",
            }
            for name, url in pages.items():
                print(f"{label:>6} dossiers  {name:<26} {_measure(client, url, args.rounds)}")
        lookup = {"code": busy[0].code, "id_number": w.other_citizen.id_number}
        client = Client()
        # Under the rate limit: each round from another address.
        timings = []
        for n in range(args.rounds):
            began = time.perf_counter()
            response = client.post(
                "/tra-cuu/", lookup, secure=True, REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}"
            )
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        median = statistics.median(timings)
        print(f"{'':>6}          {'status lookup (POST)':<26} median {median:6.1f} ms")


if __name__ == "__main__":
    main()
