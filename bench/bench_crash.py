"""A crash test: submissions keep their promise while the server is killed with SIGKILL.

On a throwaway database (PostgreSQL when one answers at BENCH_POSTGRES_URL, else SQLite), a
real server (gunicorn, as `make run` serves) receives `POST /api/v1/dossiers` from N clients,
each submission with its own `Idempotency-Key` and a marker in its form; a client retries the
same request (same key) on any connection error or 5xx until it is acknowledged. Meanwhile
the server's whole process group is killed with `kill -9` K times and started again. At the
end the bench counts, from the database: acknowledged, stored, lost (acknowledged but not
stored), doubled (one marker stored twice), gaps in the dossier code series, and runs
`verify_events`. The promise is 0 lost, 0 doubled, 0 gaps, every chain whole.

Usage: python bench/bench_crash.py [--clients 8] [--per-client 60] [--kills 10]
       [--backend sqlite|postgresql]
"""

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import bench_dossiers as shared

AGENCY, PROCEDURE = shared.AGENCY, shared.PROCEDURE


def count(out: str) -> None:
    """Runs in a child process with the server's environment: what the database holds."""
    sys.path.insert(0, str(shared.SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from collections import Counter

    from motcua.dossiers.models import Dossier

    markers = Counter()
    numbers: dict[str, list[int]] = {}
    for code, form in Dossier.objects.values_list("code", "form"):
        markers[form.get("child_name", "")] += 1
        series, _, number = code.rpartition("-")
        numbers.setdefault(series, []).append(int(number))
    gaps = sum(max(found) - len(set(found)) for found in numbers.values())
    Path(out).write_text(json.dumps({"markers": markers, "gaps": gaps}))


class Server:
    """gunicorn in its own process group, so that one SIGKILL takes master and workers."""

    def __init__(self, env: dict, cwd: str, workers: int) -> None:
        self.env, self.cwd, self.workers = env, cwd, workers
        self.port = shared.free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "motcua.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.workers), "--log-level", "critical"],
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
        )
        shared.wait_for(self.port, timeout=60)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def submit_until_acknowledged(port: int, citizen: dict, spec: int, marker: str, stats) -> bool:
    """One submission, retried with the same key until the server answers 201 (or gives a
    4xx, which is a failure of the bench, counted). Gives up after two minutes."""
    key = str(uuid.uuid4())
    body = json.dumps(
        {
            "procedure": PROCEDURE,
            "agency": AGENCY,
            "form": {"child_name": marker},
            "components": [{"spec_id": spec, "file_id": citizen["files"].pop()}],
        }
    )
    headers = {
        "Authorization": f"Bearer {citizen['token']}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
    }
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/api/v1/dossiers", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            conn.close()
        except OSError:
            stats["retries"] += 1
            time.sleep(0.1)
            continue
        if response.status in (200, 201):
            return True
        if response.status >= 500 or response.status == 409:  # 409: the first try still runs
            stats["retries"] += 1
            time.sleep(0.1)
            continue
        stats["refused"] += 1
        print(f"    refused: {response.status} {payload[:200]!r}")
        return False
    stats["gave_up"] += 1
    return False


def run(backend: str, args) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        env = {
            **os.environ,
            "PYTHONPATH": str(shared.SRC),
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_VAR_DIR": var_dir,
            "DEBUG": "false",
            "HTTPS_ONLY": "false",
            "LOG_LEVEL": "CRITICAL",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        if backend == "postgresql":
            env["DATABASE_URL"] = shared.PG_URL
        else:
            env.pop("DATABASE_URL", None)
        Path(var_dir, "static").mkdir()
        data_file = str(Path(var_dir, "bench.json"))
        bench_dossiers = str(Path(shared.__file__))
        subprocess.run(
            [sys.executable, bench_dossiers, "--setup", data_file]
            + ["--levels", str(args.clients), "--requests", str(args.clients * args.per_client)],
            env=env,
            check=True,
        )
        data = json.loads(Path(data_file).read_text())
        server = Server(env, var_dir, args.workers)
        server.start()
        stats = {"acknowledged": 0, "retries": 0, "refused": 0, "gave_up": 0}
        acknowledged: list[str] = []
        lock = threading.Lock()

        def client(index: int) -> None:
            citizen = data["citizens"][index]
            for i in range(args.per_client):
                marker = f"Con {index}-{i}"
                if submit_until_acknowledged(server.port, citizen, data["spec"], marker, stats):
                    with lock:
                        acknowledged.append(marker)

        print(f"== {backend}: {args.clients} clients x {args.per_client} submissions, ", end="")
        print(f"{args.kills} x kill -9 of gunicorn ({args.workers} workers)")
        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        rng = random.Random(7)
        kills = 0
        try:
            while kills < args.kills and any(t.is_alive() for t in threads):
                time.sleep(rng.uniform(0.5, 2.0))
                server.kill()
                kills += 1
                time.sleep(rng.uniform(0.1, 0.5))
                server.start()
            for thread in threads:
                thread.join()
        finally:
            server.stop()
        wall = time.monotonic() - started
        counts_file = str(Path(var_dir, "counts.json"))
        me = [sys.executable, __file__]
        subprocess.run([*me, "--count", counts_file], env=env, check=True)
        found = json.loads(Path(counts_file).read_text())
        markers = found["markers"]
        lost = sum(1 for marker in acknowledged if markers.get(marker, 0) == 0)
        doubled = sum(n - 1 for n in markers.values() if n > 1)
        verify = subprocess.run(
            [sys.executable, "-m", "motcua", "verify_events"],
            env=env,
            capture_output=True,
            text=True,
        )
        print(f"  {kills} kills in {wall:.1f} s; {stats['retries']} retries by the clients")
        print(
            f"  acknowledged {len(acknowledged)}, stored {sum(markers.values())}, "
            f"lost {lost}, doubled {doubled}, gaps in the code series {found['gaps']}, "
            f"refused {stats['refused']}, given up {stats['gave_up']}"
        )
        print(f"  verify_events: {(verify.stdout or verify.stderr).strip()}")
        if lost or doubled or found["gaps"] or verify.returncode or stats["gave_up"]:
            raise SystemExit("the crash test found a broken promise")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=60)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"])
    parser.add_argument("--count", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        count(args.count)
        return
    backends = [args.backend] if args.backend else ["sqlite", "postgresql"]
    for backend in backends:
        if backend == "postgresql":
            if not shared.postgres_available():
                continue
            try:
                run(backend, args)
            finally:
                shared.drop_postgres()
        else:
            run(backend, args)


if __name__ == "__main__":
    main()
