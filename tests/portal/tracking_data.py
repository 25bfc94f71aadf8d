"""Dossiers at the points of their life the citizen's pages show, built through the services."""

from motcua.dossiers.services import perform
from tests.dossiers.factories import local, submit, upload

MON = local(2026, 11, 16, 9, 0)  # a Monday


def received(w, at=MON, applicant=None):
    d = submit(w, at, applicant=applicant)
    return perform(d.code, "receive", w.reception, now=at.replace(hour=10))


def awaiting_supplement(w, at=MON, applicant=None):
    """Asked for one document of the procedure and one thing in free text."""
    d = received(w, at, applicant)
    return perform(
        d.code,
        "request_supplement",
        w.reception,
        now=at.replace(hour=11),
        missing=[w.specs[0].pk, "Ảnh chân dung 4x6"],
        note="Bản chụp bị mờ, đề nghị chụp lại.",
    )


def with_result(w, at=MON, *, delivery="electronic", returned=True, applicant=None):
    d = received(w, at, applicant)
    d = perform(d.code, "forward", w.reception, now=at.replace(hour=11), note="Ghi chú nội bộ")
    d = perform(d.code, "transfer", w.specialist, now=at.replace(hour=14))
    d = perform(d.code, "transfer", w.partner_specialist, now=at.replace(hour=16))
    result = upload(w.leader, name="giay-khai-sinh.pdf")
    d = perform(
        d.code, "finish", w.leader, now=at.replace(day=at.day + 1), result_file_id=str(result.pk)
    )
    if returned:
        d = perform(
            d.code,
            "return_result",
            w.reception,
            now=at.replace(day=at.day + 1, hour=15),
            delivery=delivery,
        )
    return d


def html(response) -> str:
    return response.content.decode()
