"""The public catalog pages: content, filters, pagination, empty states, 404s."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import segno
from django.utils import timezone

from motcua.catalog import services
from tests.catalog import factories

from .catalog_data import COMMUNE, DEPARTMENT, PROVINCE

pytestmark = pytest.mark.django_db

TITLES = re.compile(r'<h3 class="card__title"><a href="[^"]+"[^>]*>([^<]+)</a></h3>')


def titles(response) -> list[str]:
    return TITLES.findall(response.content.decode())


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


# ---------------------------------------------------------------------------------- home


def test_home_shows_search_and_sector_shortcuts(client, catalog):
    html = page(client, "/").content.decode()
    assert '<html lang="vi">' in html
    assert "Cổng dịch vụ công" in html
    assert 'action="/thu-tuc/"' in html and 'name="q"' in html
    # Each sector with its count of published procedures, linking to the filtered list.
    assert 'href="/thu-tuc/?sector=ho-tich"' in html
    assert re.search(r"Hộ tịch</span>\s*<span class=\"tile__meta\">4 thủ tục", html)
    assert "1800 1096" in html  # the footer hotline


def test_home_sectors_in_vietnamese_alphabetical_order(client, catalog):
    services.upsert_sector("dat-dai", "Đất đai", "Land")
    services.import_procedure(
        factories.procedure_data(code="1.012766", name="Đăng ký đất đai", sector="dat-dai")
    )
    html = page(client, "/").content.decode()
    order = re.findall(r'<span class="tile__title">([^<]+)</span>', html)
    # Đ sorts with D (code-point order would put it after X).
    assert order == ["Chứng thực", "Đất đai", "Hộ tịch", "Xây dựng"]


def test_home_empty_catalog(client, db):
    html = page(client, "/").content.decode()
    assert "Chưa có thủ tục nào được công bố." in html
    assert "tile__title" not in html


# ---------------------------------------------------------------------- procedure list


def test_list_without_filters_shows_every_published_procedure_by_name(client, catalog):
    response = page(client, "/thu-tuc/")
    assert titles(response) == [
        "Cấp giấy phép xây dựng",
        "Chứng thực bản sao từ bản chính",
        "Đăng ký kết hôn",
        "Đăng ký khai sinh",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "Đăng ký lại khai sinh",
    ]
    assert "6 thủ tục" in response.content.decode()


@pytest.mark.parametrize("query", ["khai sinh", "dang ky khai sinh", "KHAI SINH"])
def test_search_puts_birth_registration_first(client, catalog, query):
    found = titles(page(client, "/thu-tuc/", q=query))
    assert found[0] == "Đăng ký khai sinh"
    assert "Cấp giấy phép xây dựng" not in found


def test_search_in_capitals_with_diacritics(client, catalog):
    found = titles(page(client, "/thu-tuc/", q="ĐĂNG KÝ"))
    assert len(found) == 4
    assert all(name.startswith("Đăng ký") for name in found)


def test_search_result_count_names_the_query(client, catalog):
    html = page(client, "/thu-tuc/", q="khai sinh").content.decode()
    assert "Tìm thấy 3 thủ tục cho “khai sinh”" in html
    assert 'value="khai sinh"' in html  # the box keeps what was typed


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "chung-thuc"}, ["Chứng thực bản sao từ bản chính"]),
        ({"agency": DEPARTMENT}, ["Cấp giấy phép xây dựng"]),
        ({"level": "province"}, ["Cấp giấy phép xây dựng"]),
        ({"online": "full"}, ["Đăng ký kết hôn", "Đăng ký khai sinh"]),
        ({"online": "none"}, ["Chứng thực bản sao từ bản chính"]),
        ({"sector": "ho-tich", "online": "partial", "q": "khai sinh"}, None),
    ],
)
def test_filters(client, catalog, params, expected):
    found = titles(page(client, "/thu-tuc/", **params))
    if expected is None:
        expected = ["Đăng ký lại khai sinh", "Đăng ký khai sinh có yếu tố nước ngoài"]
        assert sorted(found) == sorted(expected)
    else:
        assert found == expected


def test_filter_selects_keep_the_chosen_values(client, catalog):
    html = page(client, "/thu-tuc/", sector="ho-tich", online="full").content.decode()
    assert re.search(r'<option value="ho-tich" selected>', html)
    assert re.search(r'<option value="full" selected>', html)


def test_unknown_filter_values_are_dropped_not_a_500(client, catalog):
    response = page(client, "/thu-tuc/", sector="khong-co", level="galaxy", page="abc")
    assert len(titles(response)) == 6


def test_no_match_shows_the_empty_state(client, catalog):
    html = page(client, "/thu-tuc/", q="tàu vũ trụ").content.decode()
    assert "Không có thủ tục nào khớp với điều kiện tìm kiếm." in html
    assert "Tìm thấy 0 thủ tục" in html


def test_list_empty_catalog(client, db):
    html = page(client, "/thu-tuc/").content.decode()
    assert "Chưa có thủ tục nào được công bố." in html


@pytest.fixture
def many(catalog):
    for i in range(25):
        services.import_procedure(
            factories.procedure_data(
                code=f"2.{900000 + i:06d}",
                name=f"Thủ tục hộ tịch thử nghiệm số {i:02d}",
                agencies=[COMMUNE],
            )
        )


def test_pagination_twenty_per_page_with_filters_kept(client, many):
    first = page(client, "/thu-tuc/", sector="ho-tich")
    html = first.content.decode()
    assert len(titles(first)) == 20
    assert "29 thủ tục" in html
    # Page links keep the filters.
    assert 'href="?sector=ho-tich&amp;page=2"' in html
    assert 'aria-current="page"' in html
    second = page(client, "/thu-tuc/", sector="ho-tich", page=2)
    assert len(titles(second)) == 9
    assert not set(titles(first)) & set(titles(second))
    assert 'href="?sector=ho-tich&amp;page=1"' in second.content.decode()


def test_page_past_the_end_shows_the_last_page(client, many):
    assert len(titles(page(client, "/thu-tuc/", page=99))) == 11


def test_htmx_request_gets_only_the_results(client, catalog):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="ket-qua"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    restore = client.get(
        "/thu-tuc/",
        {"q": "khai sinh"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


# ---------------------------------------------------------------------- procedure page


def test_procedure_page_shows_every_public_part(client, catalog):
    html = page(client, "/thu-tuc/1.001193/").content.decode()
    for part in [
        '<h1 lang="vi">Đăng ký khai sinh</h1>',
        "1.001193",
        "Hộ tịch",
        "Cấp Xã",
        'href="/co-quan/000.00.31.H26/" lang="vi">UBND phường Phúc Yên',
        "Người yêu cầu nộp hồ sơ; công chức tư pháp - hộ tịch kiểm tra và ghi sổ.",
        "Trực tiếp tại bộ phận một cửa",
        "Qua dịch vụ bưu chính công ích",
        "Tờ khai đăng ký khai sinh",
        "Mẫu TP/HT-2020-KS.1",
        "Giấy chứng sinh",
        "1 bản",
        "Bản chính",
        "1 ngày làm việc",
        "hồ sơ nhận sau 15:00 được tính từ ngày làm việc tiếp theo",
        "Ngay trong ngày tiếp nhận",
        "Công dân Việt Nam",
        "Lệ phí đăng ký khai sinh",
        "8.000 đồng",
        "Miễn",  # the online fee differs: 0
        "Thời điểm nộp: khi nộp hồ sơ.",
        "Giấy khai sinh",
        "60/2014/QH13",
        "Luật Hộ tịch",
        "20/11/2014",
        "01/01/2016",
        "Trực tuyến toàn trình",
        "Quyết định số 1084/QĐ-UBND",
        "01/07/2025",
    ]:
        assert part in html, part


def test_procedure_page_shows_the_due_time_if_submitted_now(client, catalog, monkeypatch):
    # Monday 18:30, after hours: one working day at the commune (07:30-11:30, 13:30-17:00)
    # runs all of Tuesday, so the dossier is due Tuesday at closing time.
    now = datetime(2026, 11, 30, 18, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    html = page(client, "/thu-tuc/1.001193/").content.decode()
    assert "Nếu nộp hồ sơ ngay bây giờ tại UBND phường Phúc Yên" in html
    assert re.search(
        r'<time datetime="2026-12-01T17:00:00\+07:00">17:00, [^<]+ 01/12/2026</time>', html
    )


def test_due_time_skips_the_holiday(client, catalog, monkeypatch):
    # 24 November (Vietnamese Culture Day) is a day off from 2026: Monday 23 after hours
    # -> Wednesday 25 at closing time.
    now = datetime(2026, 11, 23, 18, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    html = page(client, "/thu-tuc/1.001193/").content.decode()
    assert 'datetime="2026-11-25T17:00:00+07:00"' in html


def test_procedure_page_in_day_procedure_after_cutoff(client, catalog, monkeypatch):
    # Within the day with a 15:00 cut-off: received Monday 15:30 -> end of Tuesday.
    now = datetime(2026, 11, 30, 15, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    html = page(client, "/thu-tuc/2.000815/").content.decode()
    assert "Trong ngày" in html
    assert 'datetime="2026-12-01T17:00:00+07:00"' in html
    # Before the cut-off: the same day.
    monkeypatch.setattr(timezone, "now", lambda: now.replace(hour=14))
    html = page(client, "/thu-tuc/2.000815/").content.decode()
    assert 'datetime="2026-11-30T17:00:00+07:00"' in html
    assert "Không thu phí, lệ phí." in html


def test_procedure_page_qr_code_opens_the_submission_page(client, catalog):
    html = page(client, "/thu-tuc/1.001193/").content.decode()
    url = "http://testserver/thu-tuc/1.001193/nop-ho-so/"
    expected = segno.make(url, error="m").svg_data_uri(scale=6, border=4)
    assert f'src="{expected}"' in html
    assert 'alt="Mã QR mở trang nộp hồ sơ thủ tục 1.001193"' in html
    assert url in html


def test_procedure_page_uses_the_public_base_url_for_the_qr_code(client, catalog, settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.phutho.gov.vn"
    html = page(client, "/thu-tuc/1.001193/").content.decode()
    assert "https://dichvucong.phutho.gov.vn/thu-tuc/1.001193/nop-ho-so/" in html


def test_only_the_current_version_is_shown(client, catalog):
    services.import_procedure(
        factories.procedure_data(code="1.001193", agencies=[COMMUNE], result_type="Bản điện tử")
    )
    html = page(client, "/thu-tuc/1.001193/").content.decode()
    assert "Bản điện tử" in html
    assert "<dt>Phiên bản</dt><dd>2</dd>" in html


def test_submission_page_asks_to_sign_in(client, catalog):
    html = page(client, "/thu-tuc/1.001193/nop-ho-so/").content.decode()
    assert "Đăng nhập để nộp hồ sơ trực tuyến." in html
    assert "Tờ khai đăng ký khai sinh" in html
    assert "?next=/thu-tuc/1.001193/nop-ho-so/" in html


def test_submission_page_of_a_counter_only_procedure(client, catalog):
    html = page(client, "/thu-tuc/2.000815/nop-ho-so/").content.decode()
    assert "Thủ tục này chưa tiếp nhận hồ sơ trực tuyến." in html
    assert "Đăng nhập để nộp" not in html


@pytest.mark.parametrize(
    "url", ["/thu-tuc/9.999999/", "/thu-tuc/9.999999/nop-ho-so/", "/co-quan/000.00.99.H26/"]
)
def test_unknown_code_is_a_vietnamese_404_page(client, catalog, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không tìm thấy trang" in html
    assert "Không tìm thấy" in html and "mã" in html


def test_abolished_or_superseded_only_is_404(client, catalog):
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code="1.000894").update(status=Procedure.Status.ABOLISHED)
    assert client.get("/thu-tuc/1.000894/").status_code == 404
    assert "Đăng ký kết hôn" not in titles(page(client, "/thu-tuc/"))


# ------------------------------------------------------------------------------ agencies


def test_agency_list(client, catalog):
    html = page(client, "/co-quan/").content.decode()
    assert "3 cơ quan" in html
    for name in ["UBND tỉnh Phú Thọ", "Sở Xây dựng tỉnh Phú Thọ", "UBND phường Phúc Yên"]:
        assert name in html
    assert 'href="tel:02103846535"' in html


def test_agency_list_goes_from_the_province_down(client, catalog):
    assert titles(page(client, "/co-quan/")) == [
        "UBND tỉnh Phú Thọ",
        "Sở Xây dựng tỉnh Phú Thọ",
        "UBND phường Phúc Yên",
    ]


def test_agency_list_level_filter(client, catalog):
    response = page(client, "/co-quan/", level="department")
    assert titles(response) == ["Sở Xây dựng tỉnh Phú Thọ"]
    assert len(titles(page(client, "/co-quan/", level="nope"))) == 3


def test_agency_list_empty(client, db):
    assert "Chưa có cơ quan nào." in page(client, "/co-quan/").content.decode()


def test_agency_page_shows_contacts_hours_parent_and_procedures(client, catalog):
    html = page(client, f"/co-quan/{COMMUNE}/").content.decode()
    for part in [
        '<h1 lang="vi">UBND phường Phúc Yên</h1>',
        COMMUNE,
        "Số 1 đường Hai Bà Trưng, phường Phúc Yên",
        'href="tel:02113869100"',
        "mailto:phucyen@phutho.gov.vn",
        "07:30–11:30, 13:30–17:00",
        f'href="/co-quan/{PROVINCE}/" lang="vi">UBND tỉnh Phú Thọ',
        "Thủ tục thực hiện (5)",
    ]:
        assert part in html, part
    assert "Cấp giấy phép xây dựng" not in html


def test_agency_page_lists_children_and_its_empty_state(client, catalog):
    html = page(client, f"/co-quan/{PROVINCE}/").content.decode()
    assert f'href="/co-quan/{DEPARTMENT}/" lang="vi">Sở Xây dựng tỉnh Phú Thọ' in html
    assert "Cơ quan này chưa có thủ tục nào được công bố." in html


def test_agency_page_paginates_procedures(client, many):
    first = page(client, f"/co-quan/{COMMUNE}/")
    assert len(titles(first)) == 20
    assert 'href="?page=2"' in first.content.decode()
    assert len(titles(page(client, f"/co-quan/{COMMUNE}/", page=2))) == 10


# --------------------------------------------------------------------- security headers


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=khai+sinh",
        "/thu-tuc/1.001193/",
        "/thu-tuc/1.001193/nop-ho-so/",
        "/co-quan/",
        f"/co-quan/{COMMUNE}/",
        "/thu-tuc/9.999999/",
    ],
)
def test_pages_have_no_inline_styles_or_scripts(client, catalog, url):
    """The CSP allows only our own files: an inline style or script would be blocked."""
    html = client.get(url).content.decode()
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script
    assert html.count("<main") == 1 and 'class="skip-link" href="#noi-dung"' in html


# -------------------------------------------------------------------------- query counts


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/", "/thu-tuc/", "/thu-tuc/?q=ho+tich", "/thu-tuc/?sector=ho-tich", f"/co-quan/{COMMUNE}/"],
)
def test_page_queries_do_not_grow_with_the_catalog(client, catalog, url):
    few = _queries(client, url)
    for i in range(12):
        services.import_procedure(
            factories.procedure_data(
                code=f"2.{800000 + i:06d}", name=f"Hộ tịch số {i:02d}", agencies=[COMMUNE]
            )
        )
    assert _queries(client, url) == few


def test_procedure_page_with_only_the_required_parts(client, catalog):
    """A sparse catalog entry still renders, saying what is missing instead of blank space."""
    services.import_procedure(
        {
            "code": "2.002222",
            "name": "Thủ tục chỉ có phần bắt buộc",
            "sector": "ho-tich",
            "level": "commune",
            "agencies": [COMMUNE],
            "processing_time": {"value": 5, "unit": "working_days"},
        }
    )
    html = page(client, "/thu-tuc/2.002222/").content.decode()
    assert "5 ngày làm việc" in html
    assert "Không thu phí, lệ phí." in html
    assert "Yêu cầu, điều kiện</h2>\n      <p>Không có</p>" in html
    assert "<table" not in html
    submit = page(client, "/thu-tuc/2.002222/nop-ho-so/").content.decode()
    assert "Thủ tục này chưa tiếp nhận hồ sơ trực tuyến." in submit


@pytest.mark.parametrize("url", ["/thu-tuc/", "/co-quan/"])
def test_any_page_number_is_a_page(client, catalog, url):
    for asked in ("18446744073709551617", "9" * 5000, "x"):
        assert client.get(url, {"page": asked}).status_code == 200
