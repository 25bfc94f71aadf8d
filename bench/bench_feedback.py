"""Feedback pages and API at scale: the public list of answers (first and last page, a search
without diacritics, a filter), its API, and the back-office inbox tabs, timed (median and
p95) with their SQL queries counted, over many published and open feedback.

Runs on a throwaway SQLite database, or on DATABASE_URL when given (a temporary database is
created there and dropped afterwards).
Usage: python bench/bench_feedback.py [--feedback 20000] [--rounds 20]
"""

import argparse

from _common import on_throwaway_database
from bench_tracking import _measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feedback", type=int, default=20000, help="feedback rows")
    parser.add_argument("--rounds", type=int, default=20, help="requests per page")
    args = parser.parse_args()
    on_throwaway_database(run, args)


def _feedback(w, count: int) -> None:
    """`count` feedback rows, four in five published, written in bulk (the pages read them;
    how they were made does not matter here)."""
    from datetime import timedelta

    from django.utils import timezone

    from motcua.core.text import fold
    from motcua.feedback.models import Feedback

    now = timezone.now()
    words = ["đèn đường", "ổ gà", "rác thải", "cống thoát nước", "cây xanh"]
    rows = []
    for n in range(count):
        published = n % 5 != 0
        title = f"Phản ánh {words[n % len(words)]} số {n}"
        answer = "Đã xử lý xong." if published else ""
        rows.append(
            Feedback(
                title=title,
                content=f"Nội dung phản ánh về {words[n % len(words)]} tại tổ {n % 40}.",
                category=["place", "service", "other"][n % 3],
                agency=w.home if n % 2 else w.partner,
                submitter=w.citizen,
                status="published" if published else ["received", "processing"][n % 2],
                received_at=now - timedelta(minutes=n),
                clock_started_at=now - timedelta(minutes=n),
                answer=answer,
                answered_at=now if published else None,
                published_at=now - timedelta(minutes=n) if published else None,
                search_text=fold(f"{title} {answer}") if published else "",
                due_at=now + timedelta(days=n % 9 - 2),
                overdue=n % 9 < 2,
                updated_at=now,
            )
        )
    Feedback.objects.bulk_create(rows, batch_size=2000)


def run(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from tests.dossiers import factories

    w = factories.world()
    _feedback(w, args.feedback)
    print(f"database: {connection.vendor}; {args.feedback} feedback")
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    last = max(1, int(args.feedback * 0.8) // 20)
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        public = Client()
        pages = {
            "public list": "/phan-anh/",
            "public list, last page": f"/phan-anh/?page={last}",
            "public search (no marks)": "/phan-anh/?q=cong+thoat+nuoc",
            "public filter by agency": f"/phan-anh/?agency={w.home.code}&category=place",
            "public API": "/api/v1/feedback/public?q=o+ga",
        }
        for name, url in pages.items():
            print(f"{name:<28} {_measure(public, url, args.rounds)}")
        officer = Client()
        officer.force_login(w.reception)
        for tab in ("to_accept", "processing", "overdue"):
            url = f"/mot-cua/phan-anh/?tab={tab}"
            print(f"{'inbox ' + tab:<28} {_measure(officer, url, args.rounds)}")


if __name__ == "__main__":
    main()
