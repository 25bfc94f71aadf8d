"""Changes to the catalog: agencies, sectors, administrative units, procedures and versions.

A published procedure is never edited in place: a change makes a new version (the old one is
`superseded` and linked as `previous_version`), so dossiers keep the version they started with.

This module holds the procedure versions; the cleaning of a procedure's content is in
`content` (one field at a time in `fields`), agencies and sectors in `agencies`,
administrative units in `units`. Callers use `services.<name>` for all of them.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.errors import ActionNotAllowed, ValidationFailed

from ..models import ComponentSpec, Fee, LegalBasis, Procedure, Step
from ..queries import PROCEDURE_DICT_PREFETCH, procedure_as_dict
from .agencies import clean_office_hours, upsert_agency, upsert_sector
from .content import (
    APPLICANT_KINDS,
    CHANNELS,
    _clean_procedure,
    _comparable,
    _search_text,
    with_property_order,
)
from .fields import REQUIRED
from .units import load_administrative_units

__all__ = [
    "APPLICANT_KINDS",
    "CHANNELS",
    "REQUIRED",
    "abolish_procedure",
    "clean_office_hours",
    "create_draft",
    "import_procedure",
    "load_administrative_units",
    "publish_procedure",
    "revise_procedure",
    "upsert_agency",
    "upsert_sector",
    "with_property_order",
]

log = logging.getLogger("motcua.catalog")


def _write(procedure: Procedure, cleaned: dict) -> Procedure:
    """Store the cleaned content on `procedure` (saved) and replace its children."""
    for key, value in cleaned["fields"].items():
        setattr(procedure, key, value)
    procedure.search_text = _search_text(procedure.name, procedure.code, procedure.sector)
    procedure.save()
    procedure.agencies.set(cleaned["agencies"])
    for model, key in (
        (LegalBasis, "legal_bases"),
        (ComponentSpec, "components"),
        (Fee, "fees"),
        (Step, "steps"),
    ):
        model.objects.filter(procedure=procedure).delete()
        model.objects.bulk_create(
            model(procedure=procedure, order=i, **item) for i, item in enumerate(cleaned[key])
        )
    return procedure


def _latest_version(code: str, *, lock: bool = True) -> Procedure | None:
    rows = Procedure.objects.filter(code=code).order_by("-version")
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def _current_content(procedure: Procedure) -> dict:
    fresh = (
        Procedure.objects.select_related("sector")
        .prefetch_related(*PROCEDURE_DICT_PREFETCH)
        .get(pk=procedure.pk)
    )
    return procedure_as_dict(fresh)


def _new_version(previous: Procedure, cleaned: dict, status: str) -> Procedure:
    if previous.status == Procedure.Status.PUBLISHED and status == Procedure.Status.PUBLISHED:
        previous.status = Procedure.Status.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    procedure = Procedure(
        code=previous.code, version=previous.version + 1, previous_version=previous, status=status
    )
    return _write(procedure, cleaned)


def _supersede_published(code: str, keep: Procedure) -> None:
    for old in Procedure.objects.filter(code=code, status=Procedure.Status.PUBLISHED).exclude(
        pk=keep.pk
    ):
        old.status = Procedure.Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])


def _retrying_once(change):
    """Run `change` in a savepoint; if another transaction created the same version first
    (unique code+version), run it again against what that one committed."""

    def run(data: dict, *, actor=None) -> Procedure:
        try:
            with transaction.atomic():
                return change(data, actor=actor)
        except IntegrityError:
            with transaction.atomic():
                return change(data, actor=actor)

    run.__doc__ = change.__doc__
    return run


@_retrying_once
def import_procedure(data: dict, *, actor=None) -> Procedure:
    """Create or update a procedure from the catalog dict and publish it.

    Keys left out keep the current version's values (or the model defaults for a new
    procedure). The same content again changes nothing; other content on a published
    procedure makes a new published version.
    """
    code = data.get("code") if isinstance(data, dict) else None
    latest = _latest_version(code) if isinstance(code, str) else None
    if latest is None:
        cleaned = _clean_procedure(data)
        procedure = _write(Procedure(status=Procedure.Status.PUBLISHED), cleaned)
        log.info("procedure_imported", extra={"code": procedure.code, "version": 1})
        return procedure
    current = _current_content(latest)
    cleaned = _clean_procedure({**current, **data})
    if latest.status == Procedure.Status.DRAFT:
        _write(latest, cleaned)
        return publish_procedure(latest, actor=actor)
    if latest.status == Procedure.Status.PUBLISHED and _comparable(cleaned) == _comparable(
        _clean_procedure(current)
    ):
        return latest
    procedure = _new_version(latest, cleaned, Procedure.Status.PUBLISHED)
    log.info("procedure_imported", extra={"code": procedure.code, "version": procedure.version})
    return procedure


@transaction.atomic
def revise_procedure(procedure: Procedure, changes: dict, actor=None) -> Procedure:
    """Apply `changes` (keys of the catalog dict) to a procedure.

    A draft is edited in place. A published procedure gets a new published version with the
    unchanged parts (legal bases, components, fees, steps) copied; no change, no new version.
    Superseded and abolished versions are history and cannot be edited.
    """
    latest = _latest_version(procedure.code)
    if latest.pk != procedure.pk or procedure.status not in (
        Procedure.Status.DRAFT,
        Procedure.Status.PUBLISHED,
    ):
        raise ActionNotAllowed("Chỉ sửa được phiên bản mới nhất đang áp dụng hoặc bản nháp.")
    if "code" in changes and changes["code"] != procedure.code:
        raise ValidationFailed(fields={"code": ["Không được đổi mã thủ tục."]})
    current = _current_content(latest)
    cleaned = _clean_procedure({**current, **changes})
    if latest.status == Procedure.Status.DRAFT:
        return _write(latest, cleaned)
    if _comparable(cleaned) == _comparable(_clean_procedure(current)):
        return latest
    revised = _new_version(latest, cleaned, Procedure.Status.PUBLISHED)
    log.info(
        "procedure_revised",
        extra={
            "code": revised.code,
            "version": revised.version,
            "actor": getattr(actor, "pk", None),
        },
    )
    return revised


@_retrying_once
def create_draft(data: dict, *, actor=None) -> Procedure:
    """A new procedure, or a new draft version of an existing one, not yet public."""
    code = data.get("code") if isinstance(data, dict) else None
    latest = _latest_version(code) if isinstance(code, str) else None
    if latest is None:
        return _write(Procedure(status=Procedure.Status.DRAFT), _clean_procedure(data))
    if latest.status == Procedure.Status.DRAFT:
        raise ActionNotAllowed("Thủ tục này đã có một bản nháp.")
    cleaned = _clean_procedure({**_current_content(latest), **data})
    return _new_version(latest, cleaned, Procedure.Status.DRAFT)


def _transition(procedure: Procedure, target: str, source: str, refusal: str):
    """Lock the row; None when already in `target`, else the row if it may move."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.status == target:
        return None, procedure
    if procedure.status != source:
        raise ActionNotAllowed(refusal)
    return procedure, procedure


@transaction.atomic
def publish_procedure(procedure: Procedure, *, actor=None) -> Procedure:
    """Publish a draft; the version published before it becomes superseded."""
    draft, current = _transition(
        procedure, Procedure.Status.PUBLISHED, Procedure.Status.DRAFT, "Chỉ công bố được bản nháp."
    )
    if draft is None:
        return current
    _supersede_published(draft.code, keep=draft)
    draft.status = Procedure.Status.PUBLISHED
    draft.made_public_at = draft.made_public_at or timezone.now()
    draft.save(update_fields=["status", "made_public_at", "updated_at"])
    log.info("procedure_published", extra={"code": draft.code, "version": draft.version})
    return draft


@transaction.atomic
def abolish_procedure(procedure: Procedure, *, actor=None) -> Procedure:
    """Withdraw a published procedure (bãi bỏ): it leaves the public catalog."""
    published, current = _transition(
        procedure,
        Procedure.Status.ABOLISHED,
        Procedure.Status.PUBLISHED,
        "Chỉ bãi bỏ được thủ tục đang áp dụng.",
    )
    if published is None:
        return current
    published.status = Procedure.Status.ABOLISHED
    published.save(update_fields=["status", "updated_at"])
    log.info("procedure_abolished", extra={"code": published.code, "version": published.version})
    return published
