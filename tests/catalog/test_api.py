import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services

from . import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/procedures"


@pytest.fixture
def birth():
    factories.sector()
    factories.agency()
    return services.import_procedure(factories.procedure_data())


def test_list_item_shape(client, birth):
    body = client.get(URL).json()
    assert body["total"] == 1
    assert (body["page"], body["page_size"]) == (1, 20)
    assert body["items"] == [
        {
            "code": "1.001193",
            "version": 1,
            "name": "Đăng ký khai sinh",
            "sector": "ho-tich",
            "sector_name": "Hộ tịch",
            "level": "commune",
            "online_level": "full",
            "processing_time": {
                "value": 1.0,
                "unit": "working_days",
                "text": factories.BIRTH_REGISTRATION["processing_time"]["text"],
            },
            "fee_total": 8000,
            "agencies": [factories.AGENCY_CODE],
        }
    ]


@pytest.mark.parametrize("q", ["khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "KHAI SINH"])
def test_search_with_or_without_diacritics(client, birth, q):
    factories.procedure(name="Đăng ký lại khai sinh")
    factories.procedure(name="Đăng ký kết hôn")
    items = client.get(URL, {"q": q}).json()["items"]
    assert items[0]["code"] == "1.001193"


def test_filters(client, birth):
    factories.procedure(name="Đăng ký kết hôn", online_level="partial")
    assert [i["name"] for i in client.get(URL, {"online": "partial"}).json()["items"]] == [
        "Đăng ký kết hôn"
    ]
    assert client.get(URL, {"sector": "dat-dai"}).json() == {
        "items": [],
        "total": 0,
        "page": 1,
        "page_size": 20,
    }
    assert client.get(URL, {"agency": factories.AGENCY_CODE}).json()["total"] == 2
    assert client.get(URL, {"level": "province"}).json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"online": "total"}, "online"),
        ({"level": "district"}, "level"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]


def test_pagination(client, birth):
    for i in range(4):
        factories.procedure(name=f"Thủ tục thử {i}")
    page = client.get(URL, {"page": 2, "page_size": 2}).json()
    assert (page["total"], page["page"], page["page_size"], len(page["items"])) == (5, 2, 2, 2)
    assert client.get(URL, {"page": 9, "page_size": 2}).json()["items"] == []
    names = [
        i["name"]
        for p in (1, 2, 3)
        for i in client.get(URL, {"page": p, "page_size": 2}).json()["items"]
    ]
    assert len(set(names)) == 5


def _queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("params", [{}, {"q": "thu tuc"}])
def test_list_queries_do_not_grow_with_rows(client, birth, params):
    factories.procedure(name="Thủ tục thử")
    few = _queries(client, params | {"page_size": 100})
    for i in range(15):
        factories.procedure(name=f"Thủ tục thử {i}", agencies=[factories.AGENCY_CODE])
    assert _queries(client, params | {"page_size": 100}) == few


def test_detail_has_every_public_part(client, birth, settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.phutho.gov.vn"
    body = client.get(f"{URL}/1.001193").json()
    assert body["cutoff_time"] == "15:00"
    assert body["result_type"] == "Giấy khai sinh"
    assert [c["name"] for c in body["components"]] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert set(body["components"][0]) >= {"id", "name", "required", "copies", "original_required"}
    assert body["fees"] == factories.BIRTH_REGISTRATION["fees"]
    assert body["legal_basis"][0]["number"] == "60/2014/QH13"
    assert body["legal_basis"][0]["effective_on"] == "2016-01-01"
    assert body["steps"][1] == {
        "order": 2,
        "name": "Xử lý, trình ký",
        "role": "specialist",
        "agency": None,
        "budget_hours": 4.5,
        "inter_agency": False,
    }
    assert body["form_schema"]["required"] == ["child_name"]
    assert body["made_public_at"] == "2025-07-03T09:00:00+07:00"
    assert body["submission_url"] == "https://dichvucong.phutho.gov.vn/thu-tuc/1.001193/nop-ho-so/"
    assert body["qr_url"] == "http://testserver/api/v1/procedures/1.001193/qr.svg"


def test_online_amount_defaults_to_the_counter_amount(client):
    factories.procedure(code="1.000894", fees=[{"name": "Lệ phí", "amount": 30000}])
    assert client.get(f"{URL}/1.000894").json()["fees"][0]["online_amount"] == 30000


def test_detail_serves_the_current_version(client, birth):
    services.revise_procedure(birth, {"name": "Thủ tục đăng ký khai sinh"})
    body = client.get(f"{URL}/1.001193").json()
    assert (body["version"], body["name"]) == (2, "Thủ tục đăng ký khai sinh")


@pytest.mark.parametrize("path", ["/9.999999", "/1.001193/qr.svg", "/1.001193/qr.png", "/1.001193"])
def test_unknown_or_abolished_procedure_is_404(client, path):
    factories.procedure(code="1.001193")
    services.abolish_procedure(services.Procedure.objects.get(code="1.001193"))
    response = client.get(URL + path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_qr_codes_open_the_submission_page(client, birth):
    svg = client.get(f"{URL}/1.001193/qr.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(f"{URL}/1.001193/qr.png")
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")


def test_qr_encodes_the_absolute_submission_url(client, birth, settings):
    import segno

    settings.PUBLIC_BASE_URL = "https://dichvucong.phutho.gov.vn/"
    expected = segno.make("https://dichvucong.phutho.gov.vn/thu-tuc/1.001193/nop-ho-so/", error="m")
    svg = client.get(f"{URL}/1.001193/qr.svg").content
    import io

    out = io.BytesIO()
    expected.save(out, kind="svg", scale=8, border=4, title="Thủ tục 1.001193")
    assert svg == out.getvalue()


@pytest.fixture
def agencies():
    services.upsert_agency(
        {
            "code": "000.00.00.H26",
            "name": "UBND tỉnh Phú Thọ",
            "level": "province",
            "address": "Số 1 Trần Phú, Việt Trì",
        }
    )
    services.upsert_agency(
        {
            "code": "000.00.12.H26",
            "name": "Sở Tư pháp",
            "level": "department",
            "parent": "000.00.00.H26",
        }
    )
    services.upsert_agency(dict(factories.COMMUNE))
    services.upsert_agency(
        {"code": "000.00.32.H26", "name": "UBND xã cũ", "level": "commune", "is_active": False}
    )


def test_agency_list_and_level_filter(client, agencies):
    body = client.get("/api/v1/agencies").json()
    assert [a["code"] for a in body["items"]] == ["000.00.00.H26", "000.00.12.H26", "000.00.31.H26"]
    communes = client.get("/api/v1/agencies", {"level": "commune"}).json()["items"]
    assert [a["code"] for a in communes] == ["000.00.31.H26"]
    assert communes[0]["office_hours"] == [["07:30", "11:30"], ["13:30", "17:00"]]
    assert communes[0]["parent"] == {"code": "000.00.00.H26", "name": "UBND tỉnh Phú Thọ"}
    assert client.get("/api/v1/agencies", {"level": "district"}).status_code == 422
    assert client.get("/api/v1/agencies", {"page_size": 101}).status_code == 422


def test_agency_detail(client, agencies):
    body = client.get("/api/v1/agencies/000.00.00.H26").json()
    assert body["address"] == "Số 1 Trần Phú, Việt Trì"
    assert body["parent"] is None
    assert [c["code"] for c in body["children"]] == ["000.00.12.H26", "000.00.31.H26"]
    commune = client.get("/api/v1/agencies/000.00.31.H26").json()
    assert commune["hotline"] == "0211 3869 100"


@pytest.mark.parametrize("code", ["000.00.99.H26", "000.00.32.H26"])
def test_unknown_or_inactive_agency_is_404(client, agencies, code):
    response = client.get(f"/api/v1/agencies/{code}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
