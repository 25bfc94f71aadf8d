"""The citizen's pages after submission: my dossiers, one dossier, the confirmation, the
result download, and who may see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.integrations.models import Notification
from motcua.payments import services as payments
from tests.dossiers import factories as f

from .tracking_data import MON, awaiting_supplement, html, received, with_result

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------- my dossiers


def test_my_dossiers_needs_a_signed_in_user(client, w):
    response = client.get("/ho-so-cua-toi/")
    assert response.status_code == 302
    assert "next=/ho-so-cua-toi/" in response["Location"]


def test_my_dossiers_lists_only_the_applicants_own(citizen, w):
    mine = received(w)
    theirs = f.submit(w, MON, applicant=w.other_citizen)
    page = html(citizen.get("/ho-so-cua-toi/"))
    assert mine.code in page
    assert theirs.code not in page
    assert "Đang xử lý" in page and "Quá hạn" in page  # status and timeliness badges


def test_an_officer_sees_only_their_own_dossiers_there(client, w):
    """An officer's agency dossiers are for the back office, not "my dossiers"."""
    f.submit(w, MON)
    client.force_login(w.reception)
    page = html(client.get("/ho-so-cua-toi/"))
    assert "Bạn chưa nộp hồ sơ nào." in page


def test_empty_state_links_to_the_catalog(citizen, w):
    page = html(citizen.get("/ho-so-cua-toi/"))
    assert "Bạn chưa nộp hồ sơ nào." in page
    assert 'href="/thu-tuc/"' in page


def test_filter_by_status_group(citizen, w):
    waiting = awaiting_supplement(w)
    running = received(w)
    done = with_result(w)
    page = html(citizen.get("/ho-so-cua-toi/?nhom=can-bo-sung"))
    assert waiting.code in page and running.code not in page and done.code not in page
    assert "Cần bổ sung giấy tờ: mở hồ sơ để bổ sung." in page
    page = html(citizen.get("/ho-so-cua-toi/?nhom=da-co-ket-qua"))
    assert done.code in page and waiting.code not in page
    page = html(citizen.get("/ho-so-cua-toi/?nhom=da-ket-thuc"))
    assert "Không có hồ sơ nào ở tình trạng này." in page
    # Counts per group in the tabs; an unknown group shows everything.
    assert 'Cần bổ sung <span class="tr-count">(1)</span>' in page
    page = html(citizen.get("/ho-so-cua-toi/?nhom=khong-co"))
    assert all(d.code in page for d in (waiting, running, done))


def test_pagination_twenty_a_page_newest_first(citizen, w):
    dossiers = [f.submit(w, MON.replace(hour=8, minute=n)) for n in range(22)]
    first = html(citizen.get("/ho-so-cua-toi/"))
    assert dossiers[-1].code in first and dossiers[0].code not in first
    assert "22 hồ sơ" in first
    second = html(citizen.get("/ho-so-cua-toi/?page=2"))
    assert dossiers[0].code in second and dossiers[1].code in second
    assert dossiers[-1].code not in second


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_dossiers_queries_do_not_grow_with_the_rows(citizen, w):
    received(w)
    one = _queries(citizen, "/ho-so-cua-toi/")
    for n in range(6):
        f.submit(w, MON.replace(hour=13, minute=n))
    assert _queries(citizen, "/ho-so-cua-toi/") == one


# ---------------------------------------------------------------------- one dossier


def test_dossier_page_is_the_applicants_alone(client, w):
    d = received(w)
    url = f"/ho-so-cua-toi/{d.code}/"
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(w.other_citizen)
    assert client.get(url).status_code == 404
    client.force_login(w.reception)  # sees it in the back office, not here
    assert client.get(url).status_code == 404
    client.force_login(w.citizen)
    assert client.get(url).status_code == 200
    assert client.get("/ho-so-cua-toi/KHONG-CO/").status_code == 404


def test_history_in_plain_words_without_internal_notes(citizen, w):
    d = with_result(w, delivery="electronic")
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    for sentence in (
        "Bạn đã nộp hồ sơ trực tuyến.",
        "Bộ phận Một cửa đã tiếp nhận hồ sơ.",
        "Hồ sơ được chuyển sang bước “Thẩm định”.",
        "Hồ sơ được chuyển đến Sở Tư pháp tỉnh Phú Thọ để phối hợp giải quyết (liên thông).",
        "Hồ sơ được chuyển về UBND phường Phúc Yên để giải quyết tiếp.",
        "Hồ sơ đã có kết quả giải quyết.",
        "Kết quả đã được trả bản điện tử; bạn tải về ngay trên trang này.",
    ):
        assert sentence in page, sentence
    assert "Ghi chú nội bộ" not in page
    assert w.reception.full_name not in page  # officers are not named
    # Newest first.
    assert page.index("Hồ sơ đã có kết quả") < page.index("Bạn đã nộp hồ sơ trực tuyến.")


def test_an_assisted_submission_names_who_helped(citizen, w):
    d = f.submit(
        w, MON, helper={"full_name": "Lê Thị Hỗ Trợ", "role": "Tổ công nghệ số", "consent": True}
    )
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    assert "Hồ sơ được nộp trực tuyến cho bạn, với sự hỗ trợ của Lê Thị Hỗ Trợ." in page


def test_supplement_request_note_and_slips_are_shown(citizen, w):
    d = awaiting_supplement(w)
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    assert "Cơ quan đề nghị bạn bổ sung, hoàn thiện hồ sơ." in page
    assert f"Cần bổ sung: {w.specs[0].name}; Ảnh chân dung 4x6." in page
    assert "Bản chụp bị mờ, đề nghị chụp lại." in page
    assert f'href="/api/v1/dossiers/{d.code}/forms/mau-01.pdf"' in page
    assert f'href="/api/v1/dossiers/{d.code}/forms/mau-02.pdf"' in page
    assert "mau-06" not in page  # the control slip is the agencies' own


def test_a_stop_notice_is_named_by_the_title_it_prints(citizen, w):
    d = received(w)
    perform(d.code, "stop", w.head, now=MON.replace(hour=15), reason="Người nộp đề nghị dừng")
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    assert "Thông báo dừng giải quyết hồ sơ (Mẫu 05)" in page
    assert f'href="/api/v1/dossiers/{d.code}/forms/mau-05.pdf"' in page


def test_new_appointment_after_an_apology(citizen, w):
    d = received(w)
    perform(
        d.code,
        "apologize",
        w.specialist,
        now=MON.replace(hour=15),
        reason="Cần xác minh thêm",
        new_due_at=f.local(2026, 11, 24, 17),
    )
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    assert "Ngày hẹn trả mới (sau thư xin lỗi)" in page
    assert "17:00, Thứ Ba 24/11/2026" in page
    assert "Lý do: Cần xác minh thêm" in page
    assert "Ngày hẹn trả kết quả mới: Thứ Ba, ngày 24 tháng 11 năm 2026, lúc 17:00." in page


def test_fees_owed_link_to_the_payment_page(client):
    from tests.payments import factories as pf

    pw = pf.world()
    d = pf.submit(pw, copies=3)
    client.force_login(pw.citizen)
    page = html(client.get(f"/ho-so-cua-toi/{d.code}/"))
    assert "Phí, lệ phí phải nộp" in page
    assert "24.000 đồng" in page
    assert f'href="/thanh-toan/{d.code}/"' in page


def test_no_fee_section_when_nothing_is_owed(citizen, w):
    d = received(w)
    assert "Phí, lệ phí phải nộp" not in html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))


def test_opening_a_dossier_reads_its_notifications(citizen, w):
    d = received(w)
    other = received(w)
    assert Notification.objects.filter(dossier=d, read_at=None).count() == 2
    citizen.get(f"/ho-so-cua-toi/{d.code}/")
    assert Notification.objects.filter(dossier=d, read_at=None).count() == 0
    assert Notification.objects.filter(dossier=other, read_at=None).count() == 2


# ---------------------------------------------------------------------- confirmation


def test_confirmation_before_reception(citizen, w):
    d = f.submit(w, MON)
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/da-nop/"))
    assert "Đã nộp hồ sơ" in page
    assert f'<p class="tr-code--large"><strong>{d.code}</strong></p>' in page
    assert "Thứ Năm, ngày 19 tháng 11 năm 2026, lúc 09:00" in page  # due in words
    assert "Bộ phận Một cửa sẽ kiểm tra hồ sơ" in page
    # Mẫu 01 comes with the reception, not before.
    assert "mau-01.pdf" not in page
    assert "Giấy tiếp nhận được cấp khi Bộ phận Một cửa tiếp nhận hồ sơ" in page
    assert f'href="/ho-so-cua-toi/{d.code}/"' in page


def test_confirmation_offers_the_receipt_once_received(citizen, w):
    d = received(w)
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/da-nop/"))
    assert f'href="/api/v1/dossiers/{d.code}/forms/mau-01.pdf"' in page
    receipt = citizen.get(f"/api/v1/dossiers/{d.code}/forms/mau-01.pdf")
    assert receipt.status_code == 200
    assert receipt.content.startswith(b"%PDF")


def test_confirmation_is_the_applicants_alone(client, w):
    d = f.submit(w, MON)
    client.force_login(w.other_citizen)
    assert client.get(f"/ho-so-cua-toi/{d.code}/da-nop/").status_code == 404


def test_confirmation_asks_for_the_fee_paid_at_submission(client):
    from tests.payments import factories as pf

    pw = pf.world()
    d = pf.submit(pw, copies=1)
    client.force_login(pw.citizen)
    page = html(client.get(f"/ho-so-cua-toi/{d.code}/da-nop/"))
    assert "Thủ tục này thu phí, lệ phí khi nộp hồ sơ: 8.000 đồng." in page
    assert f'href="/thanh-toan/{d.code}/"' in page


# --------------------------------------------------------------------------- result


def test_result_download_once_returned(citizen, w):
    d = with_result(w, delivery="electronic")
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    assert f'href="/ho-so-cua-toi/{d.code}/ket-qua/"' in page
    response = citizen.get(f"/ho-so-cua-toi/{d.code}/ket-qua/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF_BYTES
    assert 'attachment; filename="giay-khai-sinh.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_online_result_is_downloadable_as_soon_as_it_is_ready(citizen, w):
    d = with_result(w, returned=False)
    assert d.status == Status.RESULT_READY
    assert citizen.get(f"/ho-so-cua-toi/{d.code}/ket-qua/").status_code == 200


def test_no_result_before_it_exists_nor_for_others(client, w):
    d = received(w)
    client.force_login(w.citizen)
    assert client.get(f"/ho-so-cua-toi/{d.code}/ket-qua/").status_code == 404
    done = with_result(w)
    client.force_login(w.other_citizen)
    assert client.get(f"/ho-so-cua-toi/{done.code}/ket-qua/").status_code == 404
    client.logout()
    assert client.get(f"/ho-so-cua-toi/{done.code}/ket-qua/").status_code == 302


def test_a_counter_result_waits_for_its_return(client, w):
    """A paper dossier's result is handed over at the counter first; its electronic copy
    follows the return."""
    d = f.counter(w, MON)
    d.applicant_user = w.citizen
    d.save(update_fields=["applicant_user"])
    d = perform(d.code, "forward", w.reception, now=MON.replace(hour=11))
    d = perform(d.code, "transfer", w.specialist, now=MON.replace(hour=14))
    d = perform(d.code, "transfer", w.partner_specialist, now=MON.replace(hour=16))
    result = f.upload(w.leader)
    d = perform(
        d.code, "finish", w.leader, now=f.local(2026, 11, 17, 9), result_file_id=str(result.pk)
    )
    client.force_login(w.citizen)
    assert client.get(f"/ho-so-cua-toi/{d.code}/ket-qua/").status_code == 404
    # The counter fee is paid before the result is handed over.
    payments.start_payment(d.code, w.reception, method="cash", now=f.local(2026, 11, 17, 9, 30))
    perform(d.code, "return_result", w.reception, now=f.local(2026, 11, 17, 10), delivery="counter")
    assert client.get(f"/ho-so-cua-toi/{d.code}/ket-qua/").status_code == 200


# --------------------------------------------------------------- weight and language


def _tracking_pages(w):
    waiting = awaiting_supplement(w)
    done = with_result(w)
    return [
        "/ho-so-cua-toi/",
        f"/ho-so-cua-toi/{waiting.code}/",
        f"/ho-so-cua-toi/{done.code}/",
        f"/ho-so-cua-toi/{done.code}/da-nop/",
        "/thong-bao/",
        f"/tra-cuu/?code={done.code}",
    ]


def test_each_page_weighs_under_100_kb_with_its_css_and_scripts(citizen, w):
    from pathlib import Path

    import motcua

    static = Path(motcua.__file__).parent
    assets = sum(
        (static / path).stat().st_size
        for path in (
            "core/static/motcua/css/site.css",
            "core/static/motcua/vendor/htmx.min.js",
            "portal/static/portal/css/tracking.css",
        )
    )
    for url in _tracking_pages(w):
        response = citizen.get(url)
        assert response.status_code == 200, url
        assert 'href="/static/portal/css/tracking.css"' in html(response)
        assert len(response.content) + assets < 100 * 1024, url


def test_the_pages_speak_english(citizen, w):
    expected = [
        ["My dossiers", "Documents needed"],
        ["Supplement the dossier", "The agency asked you for more documents.", "Needed:"],
        ["Download the result", "Rate your satisfaction", "Very satisfied"],
        ["Dossier submitted", "Your dossier code", "What happens next"],
        ["Notifications", "0 unread notifications."],
        ["Track the status of a dossier", "Dossier code"],
    ]
    for url, texts in zip(_tracking_pages(w), expected, strict=True):
        page = html(citizen.get(url, headers={"Accept-Language": "en"}))
        assert '<html lang="en">' in page
        for text in texts:
            assert text in page, (url, text)


def test_the_applicant_downloads_the_documents_of_their_dossier(client, w):
    d = received(w)
    component = d.components.select_related("file").first()
    url = f"/ho-so-cua-toi/{d.code}/tep/{component.file_id}/"
    client.force_login(w.citizen)
    assert f'href="{url}"' in html(client.get(f"/ho-so-cua-toi/{d.code}/"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF_BYTES
    # Another dossier's file through this dossier's address, or another citizen: not found.
    other = received(w, applicant=w.other_citizen)
    foreign = other.components.first().file_id
    assert client.get(f"/ho-so-cua-toi/{d.code}/tep/{foreign}/").status_code == 404
    client.force_login(w.other_citizen)
    assert client.get(url).status_code == 404


def test_drafts_are_listed_apart_with_a_way_back(citizen, w):
    from motcua.dossiers import drafts

    draft = drafts.start(w.citizen, w.procedure.code, w.home.code)
    page = html(citizen.get("/ho-so-cua-toi/"))
    assert "Hồ sơ đang soạn" in page
    assert f'href="/nop-ho-so/{draft.pk}/"' in page
    assert "Bạn chưa nộp hồ sơ nào." in page  # a draft is not a submitted dossier
    # Another citizen's draft is not listed.
    citizen.force_login(w.other_citizen)
    assert "Hồ sơ đang soạn" not in html(citizen.get("/ho-so-cua-toi/"))


def test_no_drafts_section_without_drafts(citizen, w):
    assert "Hồ sơ đang soạn" not in html(citizen.get("/ho-so-cua-toi/"))
