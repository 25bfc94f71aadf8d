"""What the citizen does from their pages: answer a supplement request, rate the handling,
read notifications, and look a dossier up by code and ID number."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core import ids, ratelimit
from motcua.dossiers.models import DossierComponent, Status, StoredFile
from motcua.feedback.models import Rating
from motcua.integrations.models import Notification
from tests.dossiers import factories as f

from .tracking_data import MON, awaiting_supplement, html, received, with_result

pytestmark = pytest.mark.django_db


def pdf(name="bo-sung.pdf"):
    return SimpleUploadedFile(name, f.PDF_BYTES, content_type="application/pdf")


# ------------------------------------------------------------------------ supplement


def test_the_dossier_page_lists_what_is_missing_with_an_upload_each(citizen, w):
    d = awaiting_supplement(w)
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    assert "Bổ sung hồ sơ" in page
    assert f'action="/ho-so-cua-toi/{d.code}/bo-sung/"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="file_0"' in page and 'name="file_1"' in page
    assert "tối đa 20 MB mỗi tệp" in page
    assert "Hướng dẫn của cơ quan" in page


def test_answering_a_supplement_request_resumes_the_dossier(citizen, w):
    d = awaiting_supplement(w)
    response = citizen.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/",
        {"file_0": pdf(), "file_1": pdf("anh.pdf"), "note": "Đã chụp lại rõ hơn."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so-cua-toi/{d.code}/"
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    assert d.paused_at is None
    added = DossierComponent.objects.filter(dossier=d, supplement=True).order_by("id")
    assert [(c.spec_id, c.name) for c in added] == [
        (w.specs[0].pk, w.specs[0].name),
        (None, "Ảnh chân dung 4x6"),
    ]
    event = d.events.order_by("-seq").first()
    assert (event.action, event.actor_role, event.note) == (
        "supplement",
        "applicant",
        "Đã chụp lại rõ hơn.",
    )
    page = html(citizen.get(response["Location"]))
    assert "Đã gửi giấy tờ bổ sung. Hồ sơ được giải quyết tiếp." in page
    assert "Bạn đã bổ sung hồ sơ; hồ sơ được giải quyết tiếp." in page
    assert "Ghi chú: Đã chụp lại rõ hơn." in page  # the applicant's own note


def test_a_procedure_document_needs_a_file(citizen, w):
    d = awaiting_supplement(w)
    response = citizen.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {"note": "Gửi sau"})
    assert response.status_code == 422
    page = html(response)
    assert "Chưa gửi được giấy tờ bổ sung" in page
    assert "Chọn tệp cho giấy tờ này." in page
    d.refresh_from_db()
    assert d.status == Status.AWAITING_SUPPLEMENT


def test_free_text_items_may_be_answered_by_the_note(citizen, w):
    d = awaiting_supplement(w)
    response = citizen.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/", {"file_0": pdf(), "note": "Ảnh đã dán trong tờ khai."}
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSING


def test_an_error_keeps_the_files_already_uploaded(citizen, w):
    d = awaiting_supplement(w)
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00not a document", "application/pdf")
    response = citizen.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/", {"file_0": pdf("giu-lai.pdf"), "file_1": bad}
    )
    assert response.status_code == 422
    page = html(response)
    assert "virus.exe: Chỉ nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX." in page
    kept = StoredFile.objects.get(owner=w.citizen, name="giu-lai.pdf")
    assert f'name="kept_0" value="{kept.pk}"' in page
    assert "Đã tải lên: giu-lai.pdf" in page
    # The second try sends only the missing one; the kept file goes with it.
    response = citizen.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/", {"kept_0": str(kept.pk), "file_1": pdf("anh.pdf")}
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.attached
    assert DossierComponent.objects.filter(dossier=d, file=kept, supplement=True).exists()


def test_kept_files_must_be_the_applicants_own(citizen, w):
    d = awaiting_supplement(w)
    foreign = f.upload(w.other_citizen)
    response = citizen.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/", {"kept_0": str(foreign.pk), "kept_1": "not-a-uuid"}
    )
    assert response.status_code == 422
    foreign.refresh_from_db()
    assert not foreign.attached


def test_supplement_only_while_awaiting_and_only_by_the_applicant(client, w):
    d = received(w)
    client.force_login(w.citizen)
    response = client.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {"file_0": pdf()})
    assert response.status_code == 302
    assert "Hồ sơ không còn chờ bổ sung." in html(client.get(response["Location"]))
    waiting = awaiting_supplement(w)
    client.force_login(w.other_citizen)
    assert client.post(f"/ho-so-cua-toi/{waiting.code}/bo-sung/").status_code == 404
    assert client.get(f"/ho-so-cua-toi/{waiting.code}/bo-sung/").status_code == 405


def test_the_workflow_decides_whether_a_supplement_may_be_given(citizen, w, monkeypatch):
    """The page and the answer ask the dossier's allowed actions, not its status."""
    from motcua.dossiers import services

    d = awaiting_supplement(w)
    monkeypatch.setattr(services, "allowed_actions", lambda dossier, user, now=None: [])
    assert 'name="file_0"' not in html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    response = citizen.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {"file_0": pdf()})
    assert "Hồ sơ không còn chờ bổ sung." in html(citizen.get(response["Location"]))
    assert d.events.last().action == "request_supplement"


# --------------------------------------------------------------------------- rating


def test_rating_is_offered_after_the_result(citizen, w):
    running = received(w)
    assert "Đánh giá mức độ hài lòng" not in html(citizen.get(f"/ho-so-cua-toi/{running.code}/"))
    d = with_result(w)
    page = html(citizen.get(f"/ho-so-cua-toi/{d.code}/"))
    assert "Đánh giá mức độ hài lòng" in page
    assert "<legend>Mức độ hài lòng của bạn</legend>" in page
    assert page.count('name="score"') == 5


def test_rating_from_the_page(citizen, w):
    d = with_result(w)
    response = citizen.post(
        f"/ho-so-cua-toi/{d.code}/danh-gia/", {"score": "5", "comment": "Nhanh, gọn."}
    )
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=d)
    assert (rating.score, rating.comment, rating.user) == (5, "Nhanh, gọn.", w.citizen)
    page = html(citizen.get(response["Location"]))
    assert "Cảm ơn bạn đã đánh giá." in page
    assert "Bạn đã đánh giá 5/5." in page
    assert "Bạn có thể sửa đánh giá đến" in page
    citizen.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"score": "4"})
    rating.refresh_from_db()
    assert (rating.score, rating.comment) == (4, "")
    # The rating leaves the dossier alone.
    d.refresh_from_db()
    assert d.status == Status.RETURNED
    assert d.events.filter(action__contains="rat").count() == 0


def test_a_rating_needs_a_score(citizen, w):
    d = with_result(w)
    response = citizen.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"score": "9"})
    assert response.status_code == 422
    assert 'id="loi-diem"' in html(response)
    assert not Rating.objects.exists()


def test_rating_before_the_result_is_refused(citizen, w):
    d = received(w)
    response = citizen.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"score": "1"})
    assert response.status_code == 302
    assert "chưa thể đánh giá" in html(citizen.get(response["Location"]))
    assert not Rating.objects.exists()


# -------------------------------------------------------------------- notifications


def test_notification_centre_newest_first_with_unread_marked(citizen, w):
    d = awaiting_supplement(w)
    page = html(citizen.get("/thong-bao/"))
    assert "3 thông báo chưa đọc." in page
    assert page.index(f"Hồ sơ {d.code} cần bổ sung, hoàn thiện") < page.index(
        f"Hồ sơ {d.code} đã được tiếp nhận"
    )
    assert page.count("tr-unread") == 3
    assert f'href="/ho-so-cua-toi/{d.code}/"' in page
    # The header counts them, for every portal page.
    assert '3<span class="visually-hidden"> chưa đọc</span>' in html(citizen.get("/"))


def test_mark_one_and_all_read(citizen, w):
    received(w)
    first = Notification.objects.filter(user=w.citizen).order_by("id").first()
    response = citizen.post(f"/thong-bao/{first.pk}/da-doc/", {"page": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/thong-bao/?page=1"
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(user=w.citizen, read_at=None).count() == 1
    citizen.post("/thong-bao/da-doc-tat-ca/")
    assert not Notification.objects.filter(user=w.citizen, read_at=None).exists()
    page = html(citizen.get("/thong-bao/"))
    assert "0 thông báo chưa đọc." in page and "tr-unread" not in page
    assert "chưa đọc</span>" not in page.split("<main", 1)[0]  # no count in the header


def test_another_users_notification_is_not_found(client, w):
    received(w)
    theirs = Notification.objects.filter(user=w.citizen).first()
    client.force_login(w.other_citizen)
    assert client.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    assert client.get(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Bạn chưa có thông báo nào." in html(client.get("/thong-bao/"))


def test_notification_centre_pages(citizen, w):
    for n in range(12):  # two notifications each
        received(w, MON.replace(hour=8, minute=n))
    first = html(citizen.get("/thong-bao/"))
    assert first.count('<li class="card') == 20
    assert html(citizen.get("/thong-bao/?page=2")).count('<li class="card') == 4


def test_notifications_need_a_signed_in_user(client, w):
    assert client.get("/thong-bao/").status_code == 302
    assert client.post("/thong-bao/da-doc-tat-ca/").status_code == 302


# ---------------------------------------------------------------------------- lookup


def test_the_qr_code_opens_the_form_with_the_code_and_nothing_else(client, w):
    d = received(w)
    page = html(client.get(f"/tra-cuu/?code={d.code}"))
    assert f'value="{d.code}"' in page
    assert d.procedure.name not in page.split("<main", 1)[1]
    assert "Đang xử lý" not in page


def test_lookup_with_code_and_id_number(client, w):
    d = received(w)
    response = client.post("/tra-cuu/", {"code": d.code, "id_number": w.citizen.id_number})
    assert response.status_code == 200
    page = html(response)
    assert d.procedure.name in page
    assert "Đang xử lý" in page
    assert "Hẹn trả kết quả" in page
    assert "Xem chi tiết hồ sơ" not in page  # anonymous: no way in to the details


def test_lookup_by_the_signed_in_applicant_links_to_the_dossier(citizen, w):
    d = received(w)
    page = html(citizen.post("/tra-cuu/", {"code": d.code, "id_number": w.citizen.id_number}))
    assert f'href="/ho-so-cua-toi/{d.code}/"' in page


def test_lookup_never_tells_that_a_code_exists(client, w):
    d = received(w)
    wrong_number = html(client.post("/tra-cuu/", {"code": d.code, "id_number": "001090099999"}))
    unknown_code = html(
        client.post("/tra-cuu/", {"code": "000.00.31.H26-261116-9999", "id_number": "001090099999"})
    )
    message = "Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập."
    assert message in wrong_number and message in unknown_code
    assert d.procedure.name not in wrong_number.split("<main", 1)[1]


def test_lookup_checks_the_id_number_format(client, w):
    response = client.post("/tra-cuu/", {"code": "X", "id_number": "12345"})
    assert response.status_code == 422
    assert "Nhập 12 chữ số của số định danh cá nhân" in html(response)


def test_lookup_shares_the_apis_rate_limit(client, w, monkeypatch):
    d = received(w)
    for _ in range(9):
        client.post("/tra-cuu/", {"code": d.code, "id_number": "001090099999"})
    assert (
        client.get("/api/v1/lookup", {"code": d.code, "id_number": w.citizen.id_number}).status_code
        == 200
    )
    response = client.post("/tra-cuu/", {"code": d.code, "id_number": w.citizen.id_number})
    assert response.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu" in html(response)
    assert d.procedure.name not in html(response).split("<main", 1)[1]
    # The next window lets the citizen try again.
    monkeypatch.setattr(ratelimit, "_clock", lambda: 1_800_000_100.0)
    assert (
        client.post("/tra-cuu/", {"code": d.code, "id_number": w.citizen.id_number}).status_code
        == 200
    )


def test_lookup_of_an_organisation_by_tax_code(client, w):
    tax_code = ids.with_tax_check_digit("010010910")
    response = client.post("/tra-cuu/", {"code": "X-1", "id_number": tax_code})
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ" in html(response)


def test_lookup_takes_a_branch_tax_code_typed_without_its_dash(client, w):
    branch = ids.with_tax_check_digit("010010910") + "001"
    response = client.post("/tra-cuu/", {"code": "X-1", "id_number": branch})
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ" in html(response)  # looked up, not refused as malformed
