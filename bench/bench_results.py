"""Signed results: what signing (stamp + PAdES signature + store) adds to `finish`, signed
results per second, and the latency of `/verify/{token}` (API and page), median and p95.

Runs on a throwaway SQLite database in a temporary folder, with a local demo CA and
certificates (make_demo_certificates). `--rounds` dossiers are finished with signing and as
many without (no certificate), the result being a one-page PDF rendered by WeasyPrint.
Usage: python bench/bench_results.py [--rounds 30]
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


def line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<34} median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 0.95):7.1f} ms"
        f"   (n={len(ms)})"
    )


def at_leader_step(w, factories, perform, when):
    d = factories.submit(w, when)
    for action, actor in (
        ("receive", w.reception),
        ("forward", w.reception),
        ("transfer", w.specialist),
        ("transfer", w.partner_specialist),
    ):
        d = perform(d.code, action, actor, now=when)
    return d


def finish_times(w, factories, perform, pdf, rounds, when) -> list[float]:
    times = []
    for _ in range(rounds):
        d = at_leader_step(w, factories, perform, when)
        result = factories.upload(w.leader, data=pdf, name="ket-qua.pdf")
        start = time.perf_counter()
        perform(d.code, "finish", w.leader, now=when, result_file_id=str(result.pk))
        times.append(time.perf_counter() - start)
    return times


def run(args, keys_dir: Path) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from weasyprint import HTML

    from motcua.core.certificates import make_demo_certificates
    from motcua.dossiers.services import perform
    from motcua.vault import results
    from motcua.vault.models import SignedResult
    from tests.dossiers import factories

    call_command("migrate", verbosity=0)
    w = factories.world()
    make_demo_certificates(keys_dir, [(w.home.code, w.home.name)], "")
    pdf = HTML(string="<h1>Giấy chứng nhận</h1><p>Kết quả giải quyết.</p>").write_pdf()
    when = factories.local(2026, 11, 16, 9)

    settings.SIGNING_KEYS_DIR = str(keys_dir / "none")
    finish_times(w, factories, perform, pdf, 3, when)  # warm-up
    plain = finish_times(w, factories, perform, pdf, args.rounds, when)
    settings.SIGNING_KEYS_DIR = str(keys_dir)
    finish_times(w, factories, perform, pdf, 3, when)  # warm-up: keys and fonts loaded
    signed = finish_times(w, factories, perform, pdf, args.rounds, when)

    sealed = list(SignedResult.objects.select_related("dossier")[:5])
    seal = []
    for result in sealed * max(1, args.rounds // len(sealed)):
        start = time.perf_counter()
        results.seal_result(result.dossier, result.original_file, w.leader, when)
        seal.append(time.perf_counter() - start)

    client = Client()
    tokens = [r.token for r in sealed]
    api, page = [], []
    for i in range(args.rounds):
        token = tokens[i % len(tokens)]
        start = time.perf_counter()
        assert client.get(f"/api/v1/verify/{token}").json()["valid"]
        api.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert client.get(f"/verify/{token}").status_code == 200
        page.append(time.perf_counter() - start)

    print(f"result PDF {len(pdf)} bytes; signed copy adds the stamp and a ~16 KB signature")
    print(line("finish without signing", plain))
    print(line("finish with signing", signed))
    added = [s - p for s, p in zip(sorted(signed), sorted(plain), strict=True)]
    print(line("added by signing (by rank)", added))
    print(line("seal (stamp + sign + store)", seal))
    print(f"{'signed results per second':<34} {1 / statistics.mean(seal):7.1f} (one process)")
    print(line("GET /api/v1/verify/{token}", api))
    print(line("GET /verify/{token} (page)", page))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        os.environ["MOTCUA_VAR_DIR"] = var_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        os.environ.setdefault("PUBLIC_BASE_URL", "https://dichvucong.example.gov.vn")
        os.environ["HTTPS_ONLY"] = "false"
        import django

        django.setup()
        from django.conf import settings

        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(Path(var_dir) / "files")},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        run(args, Path(var_dir) / "signing")


if __name__ == "__main__":
    main()
