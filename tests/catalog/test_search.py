import pytest

from motcua.catalog import services
from motcua.catalog.queries import fee_total, published_procedures, search_procedures
from motcua.core.text import fold

from . import factories

pytestmark = pytest.mark.django_db

COMPETING = [
    ("1.001193", "Đăng ký khai sinh", "ho-tich"),
    ("1.004884", "Đăng ký lại khai sinh", "ho-tich"),
    ("1.001695", "Đăng ký khai sinh có yếu tố nước ngoài", "ho-tich"),
    ("1.000894", "Đăng ký kết hôn", "ho-tich"),
    ("2.000635", "Cấp bản sao trích lục khai sinh", "ho-tich"),
    ("1.003583", "Đăng ký khai sinh lưu động", "ho-tich"),
    ("1.000656", "Đăng ký khai tử", "ho-tich"),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy khai sinh", "chung-thuc"),
    ("1.001612", "Đăng ký thường trú", "cu-tru"),
    ("2.001035", "Đăng ký thành lập hộ kinh doanh", "dang-ky-kinh-doanh"),
]


@pytest.fixture
def catalog():
    factories.agency()
    factories.agency("000.00.00.H26", "UBND tỉnh Phú Thọ", "province")
    factories.sector()
    services.upsert_sector("chung-thuc", "Chứng thực")
    services.upsert_sector("cu-tru", "Cư trú")
    services.upsert_sector("dang-ky-kinh-doanh", "Thành lập và hoạt động của hộ kinh doanh")
    for code, name, sector in COMPETING:
        online = "full" if code == "1.001193" else "partial"
        services.import_procedure(
            factories.procedure_data(
                code=code,
                name=name,
                sector=sector,
                online_level=online,
                agencies=["000.00.00.H26"]
                if sector == "dang-ky-kinh-doanh"
                else [factories.AGENCY_CODE],
                level="province" if sector == "dang-ky-kinh-doanh" else "commune",
            )
        )


@pytest.mark.parametrize(
    "query", ["khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "KHAI SINH", "  Khai   Sinh "]
)
def test_birth_registration_comes_first(catalog, query):
    results = search_procedures(query)
    assert results[0].name == "Đăng ký khai sinh"
    assert {p.name for p in results} >= {
        "Đăng ký lại khai sinh",
        "Đăng ký khai sinh có yếu tố nước ngoài",
    }
    assert "Đăng ký kết hôn" not in {p.name for p in results}
    if "dang" not in fold(query):
        assert "Cấp bản sao trích lục khai sinh" in {p.name for p in results}


def test_generic_prefix_does_not_lose_the_first_place(catalog):
    birth = published_procedures().get(code="1.001193")
    services.revise_procedure(birth, {"name": "Thủ tục đăng ký khai sinh"})
    assert search_procedures("khai sinh")[0].code == "1.001193"


def test_phrase_before_scattered_words(catalog):
    names = [p.name for p in search_procedures("dang ky khai sinh")]
    assert names.index("Đăng ký khai sinh lưu động") < names.index("Đăng ký lại khai sinh")


def test_words_in_name_before_words_only_in_sector(catalog):
    names = [p.name for p in search_procedures("dang ky ho")]
    # "hộ kinh doanh" has every word in its name; the civil-status ones only via the sector.
    assert names[0] == "Đăng ký thành lập hộ kinh doanh"
    assert "Đăng ký khai sinh" in names


def test_search_by_code_puts_that_procedure_first(catalog):
    assert search_procedures("1.000894")[0].name == "Đăng ký kết hôn"


def test_no_match_is_an_empty_list(catalog):
    assert search_procedures("xyz khong co") == []


def test_without_query_ordered_by_name_ignoring_diacritics(catalog):
    names = [p.name for p in search_procedures()]
    assert names[0] == "Cấp bản sao trích lục khai sinh"
    assert names.index("Đăng ký kết hôn") < names.index("Đăng ký thường trú")
    assert len(names) == len(COMPETING)


def test_filters(catalog):
    assert [p.code for p in search_procedures("khai sinh", online="full")] == ["1.001193"]
    assert {p.code for p in search_procedures(sector="chung-thuc")} == {"2.000815"}
    assert {p.code for p in search_procedures(agency="000.00.00.H26")} == {"2.001035"}
    assert {p.code for p in search_procedures(level="province")} == {"2.001035"}
    assert search_procedures("khai sinh", sector="cu-tru") == []


def test_only_current_published_versions_are_found(catalog):
    birth = published_procedures().get(code="1.001193")
    services.revise_procedure(birth, {"result_type": "Giấy khai sinh (bản điện tử)"})
    results = search_procedures("khai sinh")
    assert [p.version for p in results if p.code == "1.001193"] == [2]
    services.abolish_procedure(results[0])
    assert "1.001193" not in {p.code for p in search_procedures("khai sinh")}


def test_fee_total_sums_counter_amounts():
    procedure = factories.procedure(
        fees=[
            {"name": "Lệ phí", "amount": 8000, "online_amount": 0},
            {"name": "Phí cấp bản sao", "kind": "fee", "amount": 3000},
        ]
    )
    assert fee_total(procedure) == 11000
    assert fee_total(factories.procedure(fees=[])) == 0


def test_ranked_procedures_pages_in_the_same_order(catalog, django_assert_max_num_queries):
    from django.core.paginator import Paginator

    from motcua.catalog.queries import ranked_procedures

    everything = search_procedures("khai sinh")
    ranked = ranked_procedures("khai sinh")
    assert len(ranked) == ranked.count() == len(everything)
    with django_assert_max_num_queries(1):
        assert ranked[1:3] == everything[1:3]
    assert ranked[0] == everything[0]
    assert list(Paginator(ranked, 2).page(2)) == everything[2:4]
