"""A real population registry over HTTP(S): `POST <POPULATION_REGISTRY_URL>/residents/lookup`
with `{"id_number": "…"}` and `Authorization: Bearer <POPULATION_REGISTRY_TOKEN>` (the ID
number travels in the body, so it stays out of URLs and access logs).

200 answers the resident, 404 means no such resident. The answer may use our field names or
the Vietnamese ones of the national data-sharing platform (`soDinhDanh`, `hoVaTen`,
`ngaySinh`, `gioiTinh`, `danToc`, `quocTich`, `noiThuongTru`, `noiOHienTai`, `thanhVienHo`
with `quanHe`); dates as `YYYY-MM-DD` or `DD/MM/YYYY`, sex as `Nam`/`Nữ` or `1`/`2`.
Anything else (timeout, network error, 5xx, refused credentials, a malformed answer) is
RegistryUnavailable: the citizen types the data instead. Logs never carry the ID number.
"""

import json
import logging
from datetime import date, datetime
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.conf import settings

from ...base import SEXES, HouseholdMember, RegistryUnavailable, Resident
from ...registry import register

logger = logging.getLogger("motcua.integrations.registry")

# Our name → the names a registry may use for it, ours first.
FIELDS = {
    "id_number": ("id_number", "soDinhDanh"),
    "full_name": ("full_name", "hoVaTen"),
    "date_of_birth": ("date_of_birth", "ngaySinh"),
    "sex": ("sex", "gioiTinh"),
    "ethnicity": ("ethnicity", "danToc"),
    "nationality": ("nationality", "quocTich"),
    "permanent_address": ("permanent_address", "noiThuongTru"),
    "current_address": ("current_address", "noiOHienTai"),
    "household": ("household", "thanhVienHo"),
    "relationship": ("relationship", "quanHe"),
}
_SEX = {
    "nam": "Nam",
    "male": "Nam",
    "m": "Nam",
    "1": "Nam",
    "nữ": "Nữ",
    "nu": "Nữ",
    "female": "Nữ",
    "f": "Nữ",
    "2": "Nữ",
}


class MalformedAnswer(ValueError):
    pass


def _get(data: dict, name: str, default=""):
    for key in FIELDS[name]:
        if key in data and data[key] is not None:
            return data[key]
    return default


def _text(data: dict, name: str) -> str:
    value = _get(data, name)
    if not isinstance(value, str | int):
        raise MalformedAnswer(name)
    return str(value).strip()


def parse_date(value) -> date | None:
    """`YYYY-MM-DD` or `DD/MM/YYYY`; None for what is not a whole date (registries keep
    some old births with the year only)."""
    if not isinstance(value, str) or not value.strip():
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip()[:10], pattern).date()
        except ValueError:
            continue
    return None


def parse_sex(value) -> str:
    sex = _SEX.get(str(value).strip().lower(), "")
    if sex not in SEXES:
        raise MalformedAnswer("sex")
    return sex


def resident_from_json(data) -> Resident:
    """Map a registry answer to a Resident; MalformedAnswer when it is not one."""
    if isinstance(data, dict) and isinstance(data.get("resident"), dict):
        data = data["resident"]
    if not isinstance(data, dict):
        raise MalformedAnswer("body")
    members = _get(data, "household", [])
    if not isinstance(members, list):
        raise MalformedAnswer("household")
    household: list[HouseholdMember] = []
    for member in members:
        if not isinstance(member, dict):
            raise MalformedAnswer("household")
        household.append(
            {
                "id_number": _text(member, "id_number"),
                "full_name": _text(member, "full_name"),
                "relationship": _text(member, "relationship"),
                "date_of_birth": parse_date(_get(member, "date_of_birth")),
            }
        )
    resident = Resident(
        id_number=_text(data, "id_number"),
        full_name=_text(data, "full_name"),
        date_of_birth=parse_date(_get(data, "date_of_birth")),
        sex=parse_sex(_get(data, "sex")),
        ethnicity=_text(data, "ethnicity"),
        nationality=_text(data, "nationality") or "Việt Nam",
        permanent_address=_text(data, "permanent_address"),
        current_address=_text(data, "current_address"),
        household=household,
    )
    if not resident.id_number or not resident.full_name:
        raise MalformedAnswer("id_number/full_name")
    return resident


@register("http")
class HttpRegistry:
    identifier = "http"

    def lookup(self, id_number: str) -> Resident | None:
        base = settings.POPULATION_REGISTRY_URL.rstrip("/")
        if not base:
            logger.error("population registry: POPULATION_REGISTRY_URL is not set")
            raise RegistryUnavailable()
        request = Request(
            f"{base}/residents/lookup",
            data=json.dumps({"id_number": id_number}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {settings.POPULATION_REGISTRY_TOKEN}",
            },
        )
        try:
            with urlopen(request, timeout=settings.POPULATION_REGISTRY_TIMEOUT) as response:
                body = response.read()
        except HTTPError as exc:
            if exc.code == 404:
                return None
            logger.warning("population registry answered an error", extra={"status": exc.code})
            raise RegistryUnavailable() from None
        except (URLError, OSError, HTTPException) as exc:  # timeouts are OSError
            logger.warning("population registry unreachable", extra={"error": type(exc).__name__})
            raise RegistryUnavailable() from None
        try:
            resident = resident_from_json(json.loads(body or b"null"))
        except MalformedAnswer as exc:
            logger.warning("population registry answer malformed", extra={"field": str(exc)})
            raise RegistryUnavailable() from None
        except ValueError:
            logger.warning("population registry answer is not JSON")
            raise RegistryUnavailable() from None
        if resident.id_number != id_number:
            # Never show one person's data to someone asking for another.
            logger.warning("population registry answered for another ID number")
            raise RegistryUnavailable()
        return resident
