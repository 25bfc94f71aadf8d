"""Dossier submissions per second through the HTTP API, and the inbox at 100,000 dossiers.

For each database (SQLite in a temporary folder; PostgreSQL when one answers at
BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers, created
and dropped here), a real server (gunicorn on 127.0.0.1, a free port) receives
`POST /api/v1/dossiers` from 1, 8 and 32 concurrent clients (each its own citizen and bearer
token, each submission with its uploaded component), then `GET /api/v1/dossiers` pages from an
officer whose agency holds half of 100,000 dossiers. Prints throughput, median and p95, and
the CPU time per submission of the server, the database and this client (steadier than the
wall-clock figures when the machine is shared).

Usage: python bench/bench_dossiers.py [--requests 600] [--inbox-rows 100000] [--workers 4]
       [--backend sqlite|postgresql]
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"
)
LEVELS = (1, 8, 32)
AGENCY = "000.00.31.H26"
OTHER_AGENCY = "000.00.32.H26"
PROCEDURE = "1.009001"


# ----------------------------------------------------------------------------- set-up side


def setup(levels: list[int], per_level: int, inbox_rows: int, out: str) -> None:
    """Runs in a child process with the server's environment: schema, data, tokens, files."""
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import io

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' manifest
    from motcua.catalog import services as catalog
    from motcua.catalog.models import OfficerRole
    from motcua.core.models import User
    from motcua.core.services import issue_api_token
    from motcua.dossiers.files import store_file

    catalog.upsert_sector("ho-tich", "Hộ tịch")
    for code, name in ((AGENCY, "UBND phường Một"), (OTHER_AGENCY, "UBND phường Hai")):
        catalog.upsert_agency({"code": code, "name": name, "level": "commune"})
    procedure = catalog.import_procedure(
        {
            "code": PROCEDURE,
            "name": "Đăng ký khai sinh (đo tải)",
            "sector": "ho-tich",
            "level": "commune",
            "agencies": [AGENCY, OTHER_AGENCY],
            "channels": ["online", "counter"],
            "online_level": "full",
            "processing_time": {"value": 3, "unit": "working_days"},
            "form_schema": {
                "type": "object",
                "required": ["child_name"],
                "properties": {"child_name": {"type": "string", "maxLength": 100}},
            },
            "components": [{"name": "Giấy chứng sinh", "required": True}],
            "steps": [
                {"name": "Tiếp nhận", "role": "reception", "budget_hours": 2},
                {"name": "Xử lý", "role": "specialist", "budget_hours": 16},
                {"name": "Ký duyệt", "role": "leader", "budget_hours": 4},
            ],
        }
    )
    spec = procedure.components.get()
    clients = max(levels)
    needed = [0] * clients
    for level in levels:
        for i in range(per_level):
            needed[i % level] += 1
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    citizens = []
    for i in range(clients):
        number = f"0010900{i:05d}"
        user = User.objects.create_user(
            username=number, id_number=number, full_name=f"Công dân {i}"
        )
        token, _ = issue_api_token(user)
        files = [str(store_file(io.BytesIO(pdf), "gcs.pdf", user).pk) for _ in range(needed[i])]
        citizens.append({"token": token, "files": files})
    officer = User.objects.create_user(username="canbo", full_name="Cán bộ tiếp nhận")
    from motcua.catalog.models import Agency

    home = Agency.objects.get(code=AGENCY)
    OfficerRole.objects.create(user=officer, agency=home, role="reception")
    officer_token, _ = issue_api_token(officer)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from motcua.backoffice.second_factor import second_factor_required

    if second_factor_required(officer):  # a session that passed the one-time code
        device = TOTPDevice.objects.create(user=officer, confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    Path(out).write_text(
        json.dumps(
            {
                "citizens": citizens,
                "officer": officer_token,
                "officer_session": session.session_key,
                "spec": spec.pk,
                "procedure": procedure.pk,
            }
        )
    )


def fill_inbox(rows: int) -> None:
    """Bulk rows (not through the services: 100,000 submissions would take the whole run);
    half at the officer's agency, spread over a year and over the statuses; some of the other
    agency's dossiers held at a step of the officer's agency (liên thông)."""
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import random
    from datetime import timedelta

    import django

    django.setup()
    from django.utils import timezone

    from motcua.catalog.models import Agency, Procedure
    from motcua.dossiers.models import Dossier, Status

    rng = random.Random(1)
    agencies = list(Agency.objects.filter(code__in=[AGENCY, OTHER_AGENCY]).order_by("code"))
    procedure = Procedure.objects.get(code=PROCEDURE)
    statuses = [Status.RETURNED] * 6 + [Status.PROCESSING, Status.SUBMITTED, Status.REFUSED]
    now = timezone.now()
    batch = []
    for i in range(rows):
        agency = agencies[i % 2]
        at = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        status = rng.choice(statuses)
        holder = (
            agencies[0] if agency != agencies[0] and status == "processing" and i % 7 == 1 else None
        )
        batch.append(
            Dossier(
                code=f"{agency.code}-{at:%y%m%d}-B{i:07d}",
                procedure=procedure,
                agency=agency,
                current_agency=holder or agency,
                held_by=holder,
                channel="online",
                applicant={"kind": "citizen", "full_name": f"Người nộp {i}"},
                applicant_id_number=f"{i:012d}",
                status=status,
                submitted_at=at,
                received_at=at,
                due_at=at + timedelta(days=3),
                finished_at=at + timedelta(days=2) if status in ("returned", "refused") else None,
                timeliness="on_time" if status in ("returned", "refused") else "in_time",
                created_at=at,
                updated_at=at,
            )
        )
        if len(batch) == 5000:
            Dossier.objects.bulk_create(batch)
            batch = []
    Dossier.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------- client side

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(entry.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def server_cpu(pid: int) -> float:
    return sum(_cpu_of(p) for p in [pid, *_children(pid)])


def database_cpu(backend: str) -> float:
    """CPU of the PostgreSQL backends serving the bench database (the server's own process
    for SQLite, counted there)."""
    if backend != "postgresql":
        return 0.0
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        ]
    return sum(_cpu_of(p) for p in pids)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def warm_up(port: int, data: dict, workers: int) -> None:
    """Every worker booted and through its first API request (URL and schema set-up), so
    that the first level's CPU figures count submissions, not start-up."""
    headers = {"Authorization": f"Bearer {data['citizens'][0]['token']}"}

    def hit() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(8):
            conn.request("GET", "/api/v1/dossiers?page_size=1", headers=headers)
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=hit) for _ in range(workers * 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def submissions(port: int, data: dict, level: int, count: int, offsets: list[int]) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        citizen = data["citizens"][index]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Authorization": f"Bearer {citizen['token']}",
            "Content-Type": "application/json",
        }
        mine = range(index, count, level)
        for _ in mine:
            file_id = citizen["files"][offsets[index]]
            offsets[index] += 1
            body = json.dumps(
                {
                    "procedure": PROCEDURE,
                    "agency": AGENCY,
                    "form": {"child_name": "Nguyễn Văn Con"},
                    "components": [{"spec_id": data["spec"], "file_id": file_id}],
                }
            )
            started = time.perf_counter()
            conn.request("POST", "/api/v1/dossiers", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                if response.status == 201:
                    latencies.append(elapsed)
                else:
                    failures.append(f"{response.status} {payload[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(level)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        print(f"    {len(failures)} failures, first: {failures[0]}")
    return {
        "ok": len(latencies),
        "per_second": len(latencies) / wall,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
    }


API_INBOX = (
    ("first page", "page_size=20"),
    ("page 50", "page=50&page_size=20"),
    ("status=processing", "status=processing"),
    ("overdue=true", "overdue=true"),
)
# The back-office inbox page (HTML): the default tab, all dossiers, a far page, overdue.
PAGE_INBOX = (
    ("default tab", ""),
    ("tab=tat-ca", "tab=tat-ca"),
    ("tat-ca page 50", "tab=tat-ca&page=50"),
    ("tab=qua-han", "tab=qua-han"),
)


def inbox(port: int, data: dict, rounds: int, *, page: bool = False) -> dict[str, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    if page:
        headers = {"Cookie": f"sessionid={data['officer_session']}"}
        url, queries = "/mot-cua/?", PAGE_INBOX
    else:
        headers = {"Authorization": f"Bearer {data['officer']}"}
        url, queries = "/api/v1/dossiers?", API_INBOX
    results = {}
    for label, query in queries:
        latencies = []
        total = None
        for _ in range(rounds):
            started = time.perf_counter()
            conn.request("GET", url + query, headers=headers)
            response = conn.getresponse()
            body = response.read()
            latencies.append(time.perf_counter() - started)
            assert response.status == 200, body[:200]
            total = None if page else json.loads(body)["total"]
        results[label] = {
            "total": total,
            "median_ms": statistics.median(latencies) * 1000,
            "p95_ms": percentile(latencies, 0.95) * 1000,
        }
    conn.close()
    return results


# ------------------------------------------------------------------------------ the run


def postgres_available() -> bool:
    try:
        import psycopg

        base = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            name = PG_URL.rsplit("/", 1)[1]
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception as exc:  # noqa: BLE001 - reported, then skipped
        print(f"PostgreSQL skipped: {exc}")
        return False


def drop_postgres() -> None:
    import psycopg

    base = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_URL.rsplit("/", 1)[1]}" WITH (FORCE)')


def run(backend: str, args) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_VAR_DIR": var_dir,
            "DEBUG": "false",
            "HTTPS_ONLY": "false",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        if backend == "postgresql":
            env["DATABASE_URL"] = PG_URL
        else:
            env.pop("DATABASE_URL", None)
        Path(var_dir, "static").mkdir()
        data_file = str(Path(var_dir, "bench.json"))
        me = [sys.executable, __file__]
        levels = ",".join(str(level) for level in LEVELS)
        subprocess.run(
            [*me, "--setup", data_file, "--levels", levels, "--requests", str(args.requests)],
            env=env,
            check=True,
        )
        data = json.loads(Path(data_file).read_text())
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "motcua.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=var_dir,
        )
        try:
            wait_for(port)
            warm_up(port, data, args.workers)
            kind = (
                f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers"
            )
            print(f"== {backend}: gunicorn, {args.workers} {kind}, {os.cpu_count()} CPUs")
            print(f"   load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            offsets = [0] * max(LEVELS)
            for level in LEVELS if args.requests else ():
                cpu = (server_cpu(server.pid), database_cpu(backend), time.process_time())
                result = submissions(port, data, level, args.requests, offsets)
                used = (server_cpu(server.pid), database_cpu(backend), time.process_time())
                per = [
                    (after - before) * 1000 / result["ok"]
                    for before, after in zip(cpu, used, strict=True)
                ]
                print(
                    f"  POST /dossiers  {level:>2} clients: {result['per_second']:7.1f}/s  "
                    f"median {result['median_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms  "
                    f"({result['ok']} created; CPU ms each: server {per[0]:.1f}, "
                    f"database {per[1]:.1f}, client {per[2]:.1f})"
                )
            subprocess.run([*me, "--fill-inbox", str(args.inbox_rows)], env=env, check=True)
            for label, result in inbox(port, data, args.inbox_rounds).items():
                print(
                    f"  GET /dossiers {label:<18} ({args.inbox_rows:,} rows, {result['total']:,} "
                    f"the officer's): median {result['median_ms']:6.1f} ms  "
                    f"p95 {result['p95_ms']:6.1f} ms"
                )
            for label, result in inbox(port, data, args.inbox_rounds, page=True).items():
                print(
                    f"  back-office inbox {label:<15} ({args.inbox_rows:,} rows): "
                    f"median {result['median_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=600, help="submissions per level (0: the inbox only)"
    )
    parser.add_argument("--inbox-rows", type=int, default=100_000)
    parser.add_argument("--inbox-rounds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (above 1: gthread, keep-alive)"
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"])
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--levels", help=argparse.SUPPRESS)
    parser.add_argument("--fill-inbox", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        levels = [int(level) for level in args.levels.split(",")]
        setup(levels, args.requests, args.inbox_rows, args.setup)
        return
    if args.fill_inbox:
        fill_inbox(args.fill_inbox)
        return
    backends = [args.backend] if args.backend else ["sqlite", "postgresql"]
    for backend in backends:
        if backend == "postgresql":
            if not postgres_available():
                continue
            try:
                run(backend, args)
            finally:
                drop_postgres()
        else:
            run(backend, args)


if __name__ == "__main__":
    main()
