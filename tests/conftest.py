import pytest


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
