"""Catalog search latency: search_procedures and GET /api/v1/procedures, median and p95.

Measured over (a) the demo catalog (catalog.demo.seed) and (b) the demo plus 5,000 generated
procedures, on a throwaway SQLite database, then on PostgreSQL too when DATABASE_URL points
to one (a temporary database `test_<name>` is created there and dropped afterwards).
Usage: python bench/bench_catalog_search.py [--rounds 20] [--size 5000]
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

API = "/api/v1/procedures"
QUERIES = [
    "khai sinh",
    "dang ky khai sinh",
    "ĐĂNG KÝ KẾT HÔN",
    "giay phep xay dung",
    "cấp lại",
    "ho kinh doanh",
    "chứng thực bản sao",
]

ACTIONS = [
    "Đăng ký",
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Điều chỉnh",
    "Thu hồi",
    "Xác nhận",
    "Công nhận",
    "Thẩm định",
    "Phê duyệt",
    "Chứng thực",
    "Đăng ký thay đổi",
    "Đăng ký lại",
]
OBJECTS = [
    "khai sinh",
    "kết hôn",
    "khai tử",
    "giám hộ",
    "giấy phép xây dựng",
    "giấy chứng nhận quyền sử dụng đất",
    "hộ kinh doanh",
    "giấy phép lái xe",
    "giấy phép kinh doanh vận tải",
    "chứng chỉ hành nghề",
    "bản sao từ bản chính",
    "chữ ký trong giấy tờ",
    "lý lịch tư pháp",
    "thường trú",
    "tạm trú",
    "trợ cấp xã hội",
    "hợp đồng lao động",
    "giấy phép lao động cho người nước ngoài",
    "văn bằng, chứng chỉ",
    "cơ sở giáo dục mầm non",
    "nhãn hiệu",
    "an toàn thực phẩm",
]
QUALIFIERS = [
    "",
    "có yếu tố nước ngoài",
    "cho tổ chức",
    "cho cá nhân",
    "lưu động",
    "đối với nhà ở riêng lẻ",
    "trường hợp bị mất, hỏng",
    "tại cơ quan đại diện",
    "theo yêu cầu",
    "trên môi trường điện tử",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="repetitions of each query")
    parser.add_argument("--size", type=int, default=5000, help="generated procedures")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        run_on(args.backend, args.rounds, args.size)
        return
    database_url = os.environ.get("DATABASE_URL", "")
    backends = ["sqlite"] + (["postgresql"] if database_url.startswith("postgres") else [])
    for backend in backends:
        command = [sys.executable, __file__, "--backend", backend]
        command += ["--rounds", str(args.rounds), "--size", str(args.size)]
        subprocess.run(command, check=True)


def run_on(backend: str, rounds: int, size: int) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        os.environ["MOTCUA_VAR_DIR"] = var_dir
        Path(var_dir, "static").mkdir()  # what collectstatic would have made
        if backend == "sqlite":
            os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        import django
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        settings.ALLOWED_HOSTS = ["testserver"]
        if backend == "postgresql":
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
        try:
            measure(backend, rounds, size)
        finally:
            if backend == "postgresql":
                connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], 0)


def _seed_demo_or_small() -> str:
    try:
        from motcua.catalog.demo import seed
    except ImportError:
        seed = None
    if seed is not None:
        seed()
        return "demo catalog"
    from motcua.catalog import services

    services.upsert_sector("ho-tich", "Hộ tịch")
    services.upsert_agency({"code": "000.00.31.H26", "name": "UBND xã", "level": "commune"})
    for i, name in enumerate(
        [
            "Đăng ký khai sinh",
            "Đăng ký lại khai sinh",
            "Đăng ký khai sinh có yếu tố nước ngoài",
            "Đăng ký kết hôn",
            "Cấp bản sao trích lục khai sinh",
            "Đăng ký khai tử",
        ]
    ):
        services.import_procedure(
            {
                "code": f"1.{i + 1:06d}",
                "name": name,
                "sector": "ho-tich",
                "level": "commune",
                "agencies": ["000.00.31.H26"],
                "processing_time": {"value": 1, "unit": "working_days"},
                "fees": [{"name": "Lệ phí", "amount": 8000}],
            }
        )
    return "small catalog"


def _generate(size: int) -> None:
    """Add `size` published procedures with realistic names, agencies and fees, in bulk."""
    from motcua.catalog import services
    from motcua.catalog.models import Fee, Procedure, Sector

    rng = random.Random(5000)
    sectors = [
        services.upsert_sector(f"bench-{i}", name)
        for i, name in enumerate(
            ["Hộ tịch", "Đất đai", "Xây dựng", "Đăng ký kinh doanh", "Lao động", "Giáo dục"]
        )
    ]
    agencies = [
        services.upsert_agency(
            {"code": f"000.00.{i:02d}.H99", "name": f"Cơ quan thử {i}", "level": "commune"}
        )
        for i in range(40)
    ]
    taken = set(Procedure.objects.values_list("code", flat=True))
    rows = []
    while len(rows) < size:
        code = f"{rng.choice('123')}.{rng.randrange(1_000_000):06d}"
        if code in taken:
            continue
        taken.add(code)
        name = " ".join(
            part
            for part in (rng.choice(ACTIONS), rng.choice(OBJECTS), rng.choice(QUALIFIERS))
            if part
        )
        sector: Sector = rng.choice(sectors)
        rows.append(
            Procedure(
                code=code,
                name=name,
                status=Procedure.Status.PUBLISHED,
                sector=sector,
                level=rng.choice(["province", "commune"]),
                online_level=rng.choice(["none", "partial", "full"]),
                processing_time_value=rng.choice([1, 3, 5, 10, 15]),
                search_text=services._search_text(name, code, sector),
            )
        )
    procedures = Procedure.objects.bulk_create(rows, batch_size=500)
    through = Procedure.agencies.through
    links, fees = [], []
    for p in procedures:
        for agency in rng.sample(agencies, rng.randint(1, 2)):
            links.append(through(procedure_id=p.pk, agency_id=agency.pk))
        fees.append(Fee(procedure=p, name="Lệ phí", amount=rng.choice([0, 8000, 50000])))
    through.objects.bulk_create(links, batch_size=1000)
    Fee.objects.bulk_create(fees, batch_size=1000)


def _timed(call, rounds: int) -> list[float]:
    response = call()  # warm up (connection, caches)
    # secure=True: as behind the HTTPS proxy, so no redirect to https is measured.
    status = getattr(response, "status_code", 200)
    assert status == 200, f"the API answered {status}"
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _report(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    print(f"  {label:<34} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def measure(backend: str, rounds: int, size: int) -> None:
    from django.db import connection
    from django.test import Client

    from motcua.catalog.models import Procedure
    from motcua.catalog.queries import search_procedures

    client = Client()

    def run(title: str) -> None:
        count = Procedure.objects.filter(status="published").count()
        first = search_procedures("khai sinh")
        print(f"{backend}: {title}, {count} published procedures")
        print(f"  'khai sinh' ranks first: {first[0].name if first else '(nothing)'}")
        service, http, listing = [], [], []
        for q in QUERIES:
            service += _timed(lambda q=q: search_procedures(q), rounds)
            http += _timed(
                lambda q=q: client.get(API, {"q": q, "page_size": 20}, secure=True), rounds
            )
        for page in (1, 2, 50):
            listing += _timed(
                lambda page=page: client.get(API, {"page": page}, secure=True), rounds
            )
        _report(f"search_procedures ({len(QUERIES)} queries)", service)
        _report("GET /api/v1/procedures?q= (page 1)", http)
        _report("GET /api/v1/procedures (no q)", listing)

    run(_seed_demo_or_small())
    _generate(size)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a bulk load
            cursor.execute("ANALYZE")
    run(f"demo + {size} generated")


if __name__ == "__main__":
    main()
