"""The vault in Chromium: "Kho dữ liệu của tôi" (list, upload, share, revoke, hide), taking a
component from the vault on the submission page, the access log and the public verification
page; axe-core on each, and the vault and the reuse without JavaScript."""

import re

import pytest
from django.core.management import call_command

from motcua.dossiers import drafts
from motcua.vault.models import Share, SignedResult, VaultDocument
from tests.dossiers import factories as f
from tests.vault.helpers import file_bytes, returned

from .conftest import DESKTOP, assert_accessible, e2e, unexpected
from .test_tracking import signed_in

pytestmark = e2e


@pytest.fixture
def w(transactional_db, settings, tmp_path):
    settings.SIGNING_KEYS_DIR = str(tmp_path / "keys")
    settings.SIGNING_TRUST_ROOTS = ""
    world = f.world()
    call_command("make_demo_certificates")
    return world


@pytest.fixture
def result_pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Giấy chứng nhận</h1><p>Kết quả giải quyết.</p>").write_pdf()


def checked(page, javascript):
    """axe-core needs JavaScript: run it on the pages of the walk with JavaScript on."""
    if javascript:
        assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False])
def test_the_vault_walk(pages, live_server, w, result_pdf, tmp_path, javascript):
    from playwright.sync_api import expect

    d = returned(w, result_pdf)
    page = signed_in(pages, live_server, w.citizen, javascript=javascript)
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    page.get_by_role("link", name="Kho dữ liệu của tôi").first.click()
    expect(page.get_by_role("heading", name="Kho dữ liệu của tôi")).to_be_visible()
    checked(page, javascript)

    # Upload an identity paper.
    page.get_by_role("link", name="Tải lên giấy tờ").click()
    checked(page, javascript)
    paper = tmp_path / "cccd.pdf"
    paper.write_bytes(f.PDF_BYTES)
    page.get_by_label("Tệp giấy tờ (PDF, JPEG, PNG)").set_input_files(str(paper))
    page.get_by_label("Loại giấy tờ").select_option("identity")
    page.get_by_label("Tên giấy tờ").fill("Căn cước công dân")
    page.get_by_role("button", name="Lưu vào kho dữ liệu").click()
    expect(page.get_by_text("Đã lưu giấy tờ vào kho dữ liệu.")).to_be_visible()
    expect(page.get_by_role("link", name="Căn cước công dân")).to_be_visible()

    # The signed result: share it, open the link, revoke it.
    page.get_by_role("link", name=w.procedure.name).click()
    expect(page.get_by_role("link", name="Kiểm tra chữ ký số")).to_be_visible()
    checked(page, javascript)
    page.get_by_label("Thời hạn của liên kết").select_option("24")
    page.get_by_role("button", name="Tạo liên kết chia sẻ").click()
    share = Share.objects.get()
    expect(page.get_by_text(f"/shared/{share.token}")).to_be_visible()
    assert page.request.get(f"/shared/{share.token}").status == 200
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Đã thu hồi liên kết chia sẻ.")).to_be_visible()
    assert page.request.get(f"/shared/{share.token}").status == 410
    checked(page, javascript)

    # A result is hidden, not deleted.
    page.get_by_role("button", name="Ẩn kết quả").click()
    expect(page.get_by_text("Đã ẩn kết quả")).to_be_visible()
    assert VaultDocument.objects.get(dossier=d).hidden

    page.goto("/kho-du-lieu/nhat-ky-truy-cap/")
    expect(page.get_by_role("cell", name=re.compile("Người có liên kết"))).to_be_visible()
    checked(page, javascript)
    assert not unexpected(pages.errors)


@pytest.mark.parametrize("javascript", [True, False])
def test_taking_a_component_from_the_vault(pages, live_server, w, result_pdf, javascript):
    from playwright.sync_api import expect

    returned(w, result_pdf)
    result = VaultDocument.objects.get(owner=w.citizen)
    spec = w.specs[0]
    spec.document_kind = "result"
    spec.save()
    draft = drafts.start(w.citizen, w.procedure.code, w.home.code)
    page = signed_in(pages, live_server, w.citizen, javascript=javascript)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/nop-ho-so/{draft.pk}/giay-to/")
    expect(page.get_by_text("Hoặc dùng giấy tờ có sẵn trong kho dữ liệu")).to_be_visible()
    checked(page, javascript)
    page.get_by_role("button", name=f"Dùng “{result.title}” từ kho dữ liệu").first.click()
    component = draft.components.get()
    assert component.reused and component.file_id == result.file_id
    expect(page.get_by_text(result.file.name).first).to_be_visible()
    assert not unexpected(pages.errors)


def test_the_verification_page(pages, live_server, w, result_pdf, tmp_path):
    from playwright.sync_api import expect

    d = returned(w, result_pdf)
    sealed = SignedResult.objects.get(dossier=d)
    page = pages.new(viewport=DESKTOP)
    page.goto(f"/verify/{sealed.token}")
    expect(page.get_by_role("heading", name="Chữ ký số hợp lệ")).to_be_visible()
    expect(page.get_by_text(d.code)).to_be_visible()
    assert_accessible(page)
    tampered = bytearray(file_bytes(sealed.signed_file))
    tampered[len(result_pdf) // 2] ^= 0x01
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(bytes(tampered))
    page.get_by_label("Tệp kết quả cần kiểm tra (PDF)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="Chữ ký số không hợp lệ")).to_be_visible()
    expect(page.get_by_text("Nội dung tệp đã bị thay đổi sau khi ký.")).to_be_visible()
    assert_accessible(page)
    assert not unexpected(pages.errors)
