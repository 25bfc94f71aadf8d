import pytest

from motcua.core.certificates import make_demo_certificates
from tests.dossiers import factories
from tests.dossiers.factories import HOME, PARTNER


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory):
    """A local CA and the test agencies' certificates, made once for the session."""
    directory = tmp_path_factory.mktemp("signing")
    make_demo_certificates(
        directory,
        [(HOME, "UBND phường Phúc Yên"), (PARTNER, "Sở Tư pháp tỉnh Phú Thọ")],
        "mat-khau-thu",
    )
    return directory


@pytest.fixture(scope="session")
def result_pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Giấy chứng nhận</h1><p>Kết quả giải quyết thủ tục.</p>").write_pdf()


@pytest.fixture(autouse=True)
def _signing(settings, keys_dir):
    settings.SIGNING_KEYS_DIR = str(keys_dir)
    settings.SIGNING_PASSPHRASE = "mat-khau-thu"
    settings.SIGNING_TRUST_ROOTS = ""
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn"


@pytest.fixture
def w(db):
    return factories.world()
