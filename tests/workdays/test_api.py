"""The domain.md deadline examples through GET /api/v1/workdays/due."""

import pytest
from django.test import Client

from motcua.catalog.models import Agency

pytestmark = pytest.mark.django_db

URL = "/api/v1/workdays/due"


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def agency():
    return Agency.objects.create(
        code="000.00.12.H26",
        name="Sở Tư pháp tỉnh Thái Nguyên",
        level=Agency.Level.DEPARTMENT,
        office_hours=[["07:30", "11:30"], ["13:30", "17:00"]],
    )


def due_at(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["due_at"]


@pytest.mark.parametrize(
    ("start", "value", "unit", "cutoff", "expected"),
    [
        ("2026-03-09T09:00:00+07:00", "3", "working_days", None, "2026-03-12T09:00:00+07:00"),
        ("2026-03-13T16:00:00+07:00", "1", "working_days", None, "2026-03-16T16:00:00+07:00"),
        ("2026-03-09T18:30:00+07:00", "1", "working_days", None, "2026-03-10T17:00:00+07:00"),
        ("2026-03-14T10:00:00+07:00", "0.5", "working_days", None, "2026-03-16T12:00:00+07:00"),
        ("2026-03-09T14:59:00+07:00", "1", "in_day", "15:00", "2026-03-09T17:00:00+07:00"),
        ("2026-03-09T15:01:00+07:00", "1", "in_day", "15:00", "2026-03-10T17:00:00+07:00"),
        ("2026-03-09T11:00:00+07:00", "2", "working_hours", None, "2026-03-09T14:00:00+07:00"),
        # Tết Bính Ngọ 2026, a compensatory day off, an announced working Saturday.
        ("2026-02-13T09:00:00+07:00", "1", "working_days", None, "2026-02-23T09:00:00+07:00"),
        ("2026-04-24T10:00:00+07:00", "1", "working_days", None, "2026-04-28T10:00:00+07:00"),
        ("2026-08-21T09:00:00+07:00", "1", "working_days", None, "2026-08-22T09:00:00+07:00"),
        # Other offsets in, Hà Nội time out; no offset means Hà Nội time.
        ("2026-03-09T02:00:00Z", "3", "working_days", None, "2026-03-12T09:00:00+07:00"),
        ("2026-03-09T09:00:00", "3", "working_days", None, "2026-03-12T09:00:00+07:00"),
    ],
)
def test_domain_examples(client, start, value, unit, cutoff, expected):
    params = {"start": start, "value": value, "unit": unit}
    if cutoff:
        params["cutoff"] = cutoff
    assert due_at(client, **params) == expected


def test_the_agency_office_hours_are_used(client, agency):
    # A 7.5-hour day: Monday 09:00 + 1 working day is Tuesday 09:00; the close is 17:00.
    start = "2026-03-09T09:00:00+07:00"
    assert due_at(client, agency=agency.code, start=start) == "2026-03-10T09:00:00+07:00"
    assert (
        due_at(client, agency=agency.code, start=start, value="4", unit="working_hours")
        == "2026-03-09T15:00:00+07:00"
    )


def test_start_defaults_to_now(client):
    assert due_at(client, value="1").endswith("+07:00")


def test_unknown_agency_is_not_found(client):
    response = client.get(URL, {"agency": "000.00.99.H99", "start": "2026-03-09T09:00:00+07:00"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"value": "abc"}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": "1e9"}, "value"),
        ({"start": "9999-12-31T23:00:00+07:00"}, "start"),
        ({"unit": "days"}, "unit"),
        ({"start": "yesterday"}, "start"),
        ({"unit": "in_day", "cutoff": "3pm"}, "cutoff"),
        ({"unit": "in_day", "cutoff": "25:00"}, "cutoff"),
    ],
)
def test_bad_parameters_are_a_validation_error(client, params, field):
    response = client.get(URL, {"start": "2026-03-09T09:00:00+07:00", **params})
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert error["message"]


def test_malformed_agency_office_hours_are_a_validation_error(client, agency):
    Agency.objects.filter(pk=agency.pk).update(office_hours=[["17:00", "08:00"]])
    response = client.get(URL, {"agency": agency.code, "start": "2026-03-09T09:00:00+07:00"})
    assert response.status_code == 422
    assert "office_hours" in response.json()["error"]["fields"]
