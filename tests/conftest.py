import os

import pytest
from hypothesis import settings

# Property tests check what holds, not how fast: on a shared CI machine one example can take
# a second, which is no failure (speed is measured by bench/, never asserted here).
settings.register_profile("motcua", deadline=None)
settings.load_profile("motcua")

E2E_ENABLED = os.environ.get("MOTCUA_E2E") == "1"


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        _restore_data_after_flush(item)
    _skip_browser_tests_unless_enabled(items)


def _restore_data_after_flush(item):
    """A transactional test (threads, a live server) ends by emptying every table, including
    the rows data migrations put there (announced holiday overrides…); with a serialized
    rollback the next such test gets them back. Plain tests run before transactional ones
    on each worker (pytest-django's order, kept by xdist's default `--dist load`)."""
    marker = item.get_closest_marker("django_db")
    kwargs = dict(marker.kwargs) if marker else {}
    transactional = kwargs.get("transaction") or TRANSACTIONAL_FIXTURES & set(item.fixturenames)
    if transactional and not kwargs.get("serialized_rollback"):
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def _skip_browser_tests_unless_enabled(items):
    """Browser tests run only when MOTCUA_E2E=1 (scripts/test.sh sets it when Debian's
    Chromium is at /usr/bin/chromium); otherwise they are skipped with the reason shown."""
    if E2E_ENABLED:
        return
    skip = pytest.mark.skip(
        reason="browser test: set MOTCUA_E2E=1 with Chromium at /usr/bin/chromium "
        "(apt-get install -y chromium; `make test` sets it)"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    """Tests leave no files behind: private storage goes to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _rate_limit_clock(monkeypatch):
    """Rate-limit windows are aligned on the clock: a test that crossed a window boundary
    would see its counts reset. Tests run at one fixed instant (a test may move it)."""
    monkeypatch.setattr("motcua.core.ratelimit._clock", lambda: 1_800_000_030.0)


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """The calendar keeps the override table in a short-lived per-process cache; a rolled
    back or flushed test leaves it stale, so every test starts from the table."""
    from motcua.workdays.calendar import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (LocaleMiddleware does not
    switch back): every test starts, and ends, in the site's default language."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
