"""A server process is warm before its first request: loading `wsgi.py` leaves nothing for
the first procedure page to import, compile or compute (it used to take seconds)."""

import json
import os
import subprocess
import sys

FIRST_PAGE = """
import datetime, json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
import {server}  # as gunicorn (or an ASGI server) loads it in each worker
before = set(sys.modules)
from django.template.loader import get_template
from django.urls import resolve, reverse
from motcua.workdays.calendar import statutory_holidays
resolve(reverse("portal:procedure_detail", args=["1.001193"]))
reverse("api-v1:payment_receipt_pdf", args=[1])
get_template("portal/procedure_detail.html")
get_template("backoffice/inbox.html")
hits = statutory_holidays.cache_info().hits
statutory_holidays(datetime.date.today().year)
print(json.dumps({{
    "imported": sorted(set(sys.modules) - before),
    "holidays_cached": statutory_holidays.cache_info().hits > hits,
}}))
"""


def first_page(server: str, tmp_path) -> dict:
    env = {**os.environ, "MOTCUA_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAGE.format(server=server)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_wsgi_worker_is_warm_before_its_first_request(tmp_path):
    found = first_page("motcua.wsgi", tmp_path)
    assert found["imported"] == []
    assert found["holidays_cached"]


def test_an_asgi_worker_too(tmp_path):
    found = first_page("motcua.asgi", tmp_path)
    assert found["imported"] == []
    assert found["holidays_cached"]
