from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.workdays.calendar import is_working_day
from motcua.workdays.models import HolidayOverride

pytestmark = pytest.mark.django_db

URL = "/admin/workdays/holidayoverride/"


@pytest.fixture
def operator(django_user_model, client):
    user = django_user_model.objects.create_superuser("operator", "op@example.vn", "x-Pass-12345")
    client.force_login(user)
    return user


def test_operator_adds_a_working_saturday_and_the_calendar_uses_it(client, operator):
    response = client.post(
        URL + "add/",
        {"date": "2026-12-19", "kind": "working_day", "name": "Làm bù", "decision": "CV 1/BNV"},
    )
    assert response.status_code == 302, response.content.decode()
    assert is_working_day(date(2026, 12, 19))


def test_an_override_that_changes_nothing_is_refused(client, operator):
    response = client.post(
        URL + "add/", {"date": "2026-12-18", "kind": "working_day", "name": "Làm bù"}
    )
    assert response.status_code == 200
    assert "vốn đã là ngày làm việc" in response.content.decode()
    assert not HolidayOverride.objects.filter(date=date(2026, 12, 18)).exists()


def test_changelist_shows_the_announced_overrides(client, operator):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Thứ Bảy" in response.content.decode()  # 26/04/2025 and 22/08/2026


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 3, 14), HolidayOverride.Kind.DAY_OFF),  # a Saturday
        (date(2026, 2, 17), HolidayOverride.Kind.DAY_OFF),  # Tết
        (date(2026, 3, 10), HolidayOverride.Kind.WORKING_DAY),  # an ordinary Tuesday
    ],
)
def test_clean_refuses_overrides_that_change_nothing(day, kind):
    with pytest.raises(ValidationError):
        HolidayOverride(date=day, kind=kind, name="x").full_clean()


def test_clean_accepts_real_changes():
    HolidayOverride(date=date(2026, 3, 10), kind="day_off", name="Nghỉ bù").full_clean()
    HolidayOverride(date=date(2026, 2, 17), kind="working_day", name="Làm bù").full_clean()
