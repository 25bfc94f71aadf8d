"""The population registry adapter: the local table, the HTTP registry behind a mocked HTTP
layer (no network), the choice by setting, and the record of every lookup."""

import io
import json
import logging
from datetime import date
from urllib.error import HTTPError, URLError

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.core.plugins import PluginRegistry
from motcua.integrations import demo
from motcua.integrations.models import LocalResident, RegistryLookup
from motcua.integrations.plugins.population import (
    RegistryUnavailable,
    Resident,
    get_registry,
    register,
)
from motcua.integrations.plugins.population.contrib.http import plugin as http_plugin
from tests.dossiers import factories

LAN = "015190004521"  # a demo citizen (catalog/data/demo_users.json)

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents():
    demo.seed()


# ------------------------------------------------------------------------------- local


def test_local_registry_answers_a_demo_citizen_with_her_household(residents):
    lan = get_registry().lookup(LAN)
    assert isinstance(lan, Resident)
    assert lan.full_name == "Nguyễn Thị Lan"
    assert lan.date_of_birth == date(1990, 3, 14)
    assert lan.sex == "Nữ"
    assert lan.nationality == "Việt Nam"
    assert "tỉnh Lào Cai" in lan.permanent_address
    relations = {m["full_name"]: m["relationship"] for m in lan.household}
    assert relations == {
        "Hoàng Văn Thắng": "Chồng",
        "Hoàng Minh Khôi": "Con",
        "Hoàng Bảo Ngọc": "Con",
    }
    assert all(isinstance(m["date_of_birth"], date) for m in lan.household)


def test_household_relationships_are_seen_from_each_member(residents):
    registry = get_registry()
    son = registry.lookup("015215003388")
    assert {m["full_name"]: m["relationship"] for m in son.household} == {
        "Hoàng Văn Thắng": "Cha",
        "Nguyễn Thị Lan": "Mẹ",
        "Hoàng Bảo Ngọc": "Em ruột",
    }
    grandfather = registry.lookup("010058000912")
    relations = {m["full_name"]: m["relationship"] for m in grandfather.household}
    assert relations["Giàng A Páo"] == "Con"
    assert relations["Thào Thị Mỷ"] == "Con dâu"
    assert relations["Giàng A Chứ"] == "Cháu nội"


def test_every_demo_citizen_is_a_resident_with_the_same_name(residents):
    from motcua.catalog.demo import load

    for citizen in load("users")["citizens"]:
        resident = LocalResident.objects.get(id_number=citizen["id_number"])
        assert resident.full_name == citizen["full_name"]
        assert resident.household, citizen["full_name"]


def test_seeding_twice_creates_nothing_more(residents):
    before = LocalResident.objects.count()
    demo.seed()
    assert LocalResident.objects.count() == before == 19


def test_unknown_or_malformed_id_numbers_are_none(residents):
    assert get_registry().lookup("001099999999") is None
    assert get_registry().lookup("12345") is None
    assert get_registry().lookup("") is None


def test_each_lookup_is_recorded_with_who_and_why(residents):
    officer = factories.user("Cán bộ Tra Cứu")
    get_registry().lookup(LAN, user=officer, purpose="Điền sẵn tờ khai")
    get_registry().lookup("001099999999")
    found, missing = RegistryLookup.objects.order_by("id")
    assert (found.user, found.id_number, found.purpose, found.outcome) == (
        officer,
        LAN,
        "Điền sẵn tờ khai",
        "found",
    )
    assert (missing.user, missing.outcome) == (None, "not_found")


def test_lookups_never_reach_the_logs(residents, caplog):
    caplog.set_level(logging.DEBUG)
    get_registry().lookup(LAN)
    assert LAN not in caplog.text and "Nguyễn Thị Lan" not in caplog.text


# ------------------------------------------------------------------------ configuration


def test_the_setting_picks_the_implementation(settings):
    assert get_registry().identifier == "local"
    settings.POPULATION_REGISTRY = "http"
    assert get_registry().identifier == "http"
    settings.POPULATION_REGISTRY = "nope"
    with pytest.raises(ImproperlyConfigured):
        get_registry()
    assert {"local", "http"} <= {p.identifier for p in register}


def test_a_plugin_registers_once():
    plugins = PluginRegistry("thing")

    @plugins("one")
    class One:
        pass

    assert plugins["one"].identifier == "one" and "one" in plugins
    with pytest.raises(ValueError):
        plugins("one")(One)


# -------------------------------------------------------------------------------- http


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def http(settings, monkeypatch):
    """The HTTP registry with its HTTP layer replaced: `http.answer` is what it answers
    (bytes, or an exception to raise); `http.requests` what was asked."""
    settings.POPULATION_REGISTRY = "http"
    settings.POPULATION_REGISTRY_URL = "https://dancu.example.gov.vn/api/"
    settings.POPULATION_REGISTRY_TOKEN = "secret-token"
    settings.POPULATION_REGISTRY_TIMEOUT = 3

    class Http:
        answer: object = b"{}"
        requests: list = []

    state = Http()
    state.requests = []

    def fake_urlopen(request, timeout):
        state.requests.append((request, timeout))
        if isinstance(state.answer, BaseException):
            raise state.answer
        return FakeResponse(state.answer)

    monkeypatch.setattr(http_plugin, "urlopen", fake_urlopen)
    return state


NATIONAL_ANSWER = {
    "soDinhDanh": "010088012345",
    "hoVaTen": "Giàng A Páo",
    "ngaySinh": "02/06/1988",
    "gioiTinh": "1",
    "danToc": "Mông",
    "quocTich": "Việt Nam",
    "noiThuongTru": "Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai",
    "noiOHienTai": "Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai",
    "thanhVienHo": [
        {
            "soDinhDanh": "010190007731",
            "hoVaTen": "Thào Thị Mỷ",
            "quanHe": "Vợ",
            "ngaySinh": "15/01/1990",
        }
    ],
}


def test_http_registry_maps_the_national_answer(http):
    http.answer = json.dumps(NATIONAL_ANSWER).encode()
    resident = get_registry().lookup("010088012345")
    assert resident == Resident(
        id_number="010088012345",
        full_name="Giàng A Páo",
        date_of_birth=date(1988, 6, 2),
        sex="Nam",
        ethnicity="Mông",
        nationality="Việt Nam",
        permanent_address="Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai",
        current_address="Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai",
        household=[
            {
                "id_number": "010190007731",
                "full_name": "Thào Thị Mỷ",
                "relationship": "Vợ",
                "date_of_birth": date(1990, 1, 15),
            }
        ],
    )
    request, timeout = http.requests[0]
    assert request.full_url == "https://dancu.example.gov.vn/api/residents/lookup"
    assert request.get_method() == "POST"
    assert request.get_header("Authorization") == "Bearer secret-token"
    # The ID number goes in the body, never in the URL.
    assert json.loads(request.data) == {"id_number": "010088012345"}
    assert timeout == 3


def test_http_registry_reads_our_own_field_names(http):
    http.answer = json.dumps(
        {
            "resident": {
                "id_number": LAN,
                "full_name": "Nguyễn Thị Lan",
                "date_of_birth": "1990-03-14",
                "sex": "Nữ",
                "household": [],
            }
        }
    ).encode()
    resident = get_registry().lookup(LAN)
    assert (resident.full_name, resident.date_of_birth, resident.sex) == (
        "Nguyễn Thị Lan",
        date(1990, 3, 14),
        "Nữ",
    )
    assert resident.nationality == "Việt Nam"


def test_http_registry_404_is_no_resident(http):
    http.answer = HTTPError("u", 404, "Not Found", {}, io.BytesIO(b""))
    assert get_registry().lookup(LAN) is None
    assert RegistryLookup.objects.get().outcome == "not_found"


@pytest.mark.parametrize(
    "answer",
    [
        TimeoutError("timed out"),
        URLError(ConnectionRefusedError()),
        HTTPError("u", 500, "Server Error", {}, io.BytesIO(b"")),
        HTTPError("u", 401, "Unauthorized", {}, io.BytesIO(b"")),
        b"<html>maintenance</html>",
        json.dumps({"hoVaTen": "Không có số"}).encode(),
        json.dumps({**NATIONAL_ANSWER, "gioiTinh": "?"}).encode(),
        json.dumps([1, 2]).encode(),
    ],
    ids=["timeout", "refused", "500", "401", "html", "no-id", "bad-sex", "list"],
)
def test_http_registry_failures_are_registry_unavailable(http, answer, caplog):
    http.answer = answer
    with pytest.raises(RegistryUnavailable) as raised:
        get_registry().lookup("010088012345")
    assert raised.value.code == "registry_unavailable"
    assert "dân cư" in raised.value.message
    assert RegistryLookup.objects.get().outcome == "unavailable"
    assert "010088012345" not in caplog.text


def test_http_registry_answering_for_someone_else_is_refused(http):
    http.answer = json.dumps(NATIONAL_ANSWER).encode()
    with pytest.raises(RegistryUnavailable):
        get_registry().lookup(LAN)


def test_http_registry_without_a_url_is_unavailable(http, settings):
    settings.POPULATION_REGISTRY_URL = ""
    with pytest.raises(RegistryUnavailable):
        get_registry().lookup(LAN)
    assert http.requests == []
