"""A dossier taken through its life to a signed result, for the vault's tests."""

from motcua.dossiers.services import perform
from tests.dossiers.factories import local, submit, upload

MON = local(2026, 11, 16, 9)


def finished(w, result_pdf, *, applicant=None):
    """A dossier of `w` finished by its leader with `result_pdf` as the result."""
    d = submit(w, MON, applicant=applicant)
    d = perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    d = perform(d.code, "forward", w.reception, now=MON.replace(hour=11))
    d = perform(d.code, "transfer", w.specialist, now=MON.replace(hour=14))
    d = perform(d.code, "transfer", w.partner_specialist, now=MON.replace(hour=16))
    result = upload(w.leader, data=result_pdf, name="ket-qua.pdf")
    return perform(
        d.code, "finish", w.leader, now=local(2026, 11, 17, 9), result_file_id=str(result.pk)
    )


def returned(w, result_pdf, *, delivery="electronic", applicant=None):
    d = finished(w, result_pdf, applicant=applicant)
    return perform(
        d.code, "return_result", w.reception, now=local(2026, 11, 17, 10), delivery=delivery
    )


def file_bytes(stored) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()
