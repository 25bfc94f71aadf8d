"""Demo vault: identity papers and certificates in the demo citizens' vaults (their signed
results landed there when the demo dossiers were returned), and a few new dossiers that take
a component from the vault. Idempotent: nothing is done when uploads are there already."""

import io
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from motcua.dossiers import services as dossiers
from motcua.dossiers.demo import DEMO_PDF
from motcua.dossiers.demo_answers import answer
from motcua.dossiers.files import store_file

from . import services
from .models import Kind, Source, VaultDocument

SEED = 20261204
REUSES = 6
PAPERS = (
    (Kind.IDENTITY, "Căn cước công dân", "Cục Cảnh sát quản lý hành chính về trật tự xã hội", 15),
    (Kind.CERTIFICATE, "Bằng tốt nghiệp trung học phổ thông", "Sở Giáo dục và Đào tạo", None),
    (Kind.OTHER, "Giấy xác nhận tình trạng hôn nhân", "UBND phường Cam Đường", -1),
)


def seed(now=None) -> dict:
    if VaultDocument.objects.filter(source=Source.UPLOAD).exists():
        return {}
    now = now or timezone.now()
    rng = random.Random(SEED)
    citizens = list(
        get_user_model()
        .objects.filter(id_number__isnull=False, officer_roles__isnull=True)
        .order_by("id")
    )
    with transaction.atomic():
        for citizen in citizens:
            _papers(citizen, rng, now)
        _reuses(citizens, rng, now)
    return {}


def _papers(citizen, rng, now) -> None:
    today = timezone.localdate(now)
    for kind, title, issuer, years in PAPERS:
        if kind == Kind.OTHER and rng.random() < 0.5:
            continue
        issued = today - timedelta(days=rng.randint(200, 2000))
        expires = None
        if years is not None:
            expires = date(issued.year + years, issued.month, min(issued.day, 28))
            if years < 0:  # already expired: shown, never offered for a new dossier
                expires = today - timedelta(days=rng.randint(10, 90))
        stored = store_file(io.BytesIO(DEMO_PDF), f"{title}.pdf", citizen, now=now)
        services.add_document(
            citizen,
            file_id=stored.pk,
            kind=kind,
            title=title,
            issuer=issuer,
            issued_on=issued,
            expires_on=expires,
            now=now,
        )


def _reuses(citizens, rng, now) -> None:
    """New online dossiers whose first component is taken from the applicant's vault (a
    signed result of an earlier dossier when they have one)."""
    procedures = list(
        Procedure.objects.filter(status=Procedure.Status.PUBLISHED)
        .exclude(online_level=Procedure.OnlineLevel.NONE)
        .prefetch_related("agencies", "components")
        .order_by("code")
    )
    made = 0
    for citizen in citizens:
        if made >= REUSES:
            break
        documents = list(
            VaultDocument.objects.filter(owner=citizen, hidden=False)
            .exclude(expires_on__lt=timezone.localdate(now))
            .order_by("-created_at")
        )
        if not documents:
            continue
        chosen = next((d for d in documents if d.source == Source.RESULT), documents[0])
        for procedure in rng.sample(procedures, len(procedures)):
            if _submit_reusing(citizen, procedure, chosen, rng, now):
                made += 1
                break


def _submit_reusing(citizen, procedure, document, rng, now) -> bool:
    specs = list(procedure.components.all())
    agencies = list(procedure.agencies.all())
    if not specs or not agencies or "online" not in (procedure.channels or ["online"]):
        return False
    if document.dossier_id and document.dossier.procedure.code == procedure.code:
        return False
    components = [{"spec_id": specs[0].pk, "vault_document_id": document.pk}] + [
        {
            "spec_id": spec.pk,
            "file_id": str(store_file(io.BytesIO(DEMO_PDF), f"{spec.name[:80]}.pdf", citizen).pk),
        }
        for spec in specs[1:]
    ]
    try:
        with transaction.atomic():
            dossiers.submit_online(
                applicant_user=citizen,
                procedure=procedure.code,
                agency=agencies[0].code,
                form=answer(procedure.form_schema or {}, rng),
                components=components,
                applicant={"address": f"Tổ {rng.randint(1, 30)}, {agencies[0].name}"},
                now=now - timedelta(hours=rng.randint(1, 48)),
            )
    except DomainError:
        return False
    return True
