"""Online submission as a draft: started for a procedure and an agency, saved on every page,
files attached per component, then submitted through the state machine (which checks the
whole form, numbers the dossier and sets its due date).

A draft is written by one person (anyone else gets 404): its applicant, or for an assisted
submission (dossiers/assisted.py) the helper alone, until it is submitted and becomes the
citizen's dossier. It lives on the server, so it can be resumed from any device, until
`DRAFT_TTL` after its last save.
"""

from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.errors import ActionNotAllowed, NotFound, ValidationFailed

from . import assisted, hooks, services
from .files import store_file
from .models import Dossier, DossierComponent, Draft, Status, StoredFile
from .prefill import prefill, value_at
from .residents import RegistryUnavailable, population_registry

DRAFT_TTL = timedelta(days=30)
NOT_FOUND = "Không tìm thấy hồ sơ nháp."
PREFILL_PURPOSE = "Điền sẵn tờ khai khi nộp hồ sơ trực tuyến"


def written_by(user) -> Q:
    """The drafts `user` writes: their own, and those they prepare for citizens as a helper
    (a citizen does not see or change a draft a helper is still writing for them)."""
    return Q(helper_user=user) | Q(applicant_user=user, helper_user__isnull=True)


def _kept(user, scope: Q, now) -> QuerySet[Dossier]:
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(
            scope, status=Status.DRAFT, updated_at__gte=(now or timezone.now()) - DRAFT_TTL
        )
        .select_related("procedure", "agency")
        .order_by("-updated_at", "-id")
    )


def drafts_of(user, now: datetime | None = None) -> QuerySet[Dossier]:
    """The user's own drafts still kept, the most recently saved first."""
    return _kept(user, Q(applicant_user=user, helper_user__isnull=True), now)


def assisted_drafts_of(user, now: datetime | None = None) -> QuerySet[Dossier]:
    """The drafts the user prepares for citizens (assisted submission), still kept."""
    return _kept(user, Q(helper_user=user), now)


def expires_at(dossier: Dossier) -> datetime:
    return dossier.updated_at + DRAFT_TTL


def owned(user, pk, *, now: datetime | None = None) -> Dossier:
    """The user's own online dossier `pk` (a draft not yet expired, or one it became): a
    submitted draft is still found so that a repeated submit leads to its confirmation."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        raise NotFound(NOT_FOUND)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(NOT_FOUND) from None
    dossier = (
        Dossier.objects.filter(written_by(user), pk=pk)
        .select_related("procedure", "agency")
        .first()
    )
    if dossier is None or not Draft.objects.filter(dossier=dossier).exists():
        raise NotFound(NOT_FOUND)
    if dossier.helper_user_id == user.pk and not assisted.can_assist(user):
        # No longer on a digital team nor at a counter: the drafts for citizens stop too.
        raise NotFound(NOT_FOUND)
    if dossier.status == Status.DRAFT and dossier.updated_at < now - DRAFT_TTL:
        raise NotFound(NOT_FOUND)
    return dossier


def _registry_answers(procedure, user, id_number: str = "") -> tuple[dict, dict]:
    """(answers, {dotted path: value}) pre-filled from the population registry for the
    citizen `id_number` (the user's own by default; `user` is who asks, in the registry's
    access log); nothing when the registry does not know the person or cannot answer now
    (the form is then simply typed)."""
    id_number = id_number or user.id_number
    if not id_number:
        return {}, {}
    try:
        resident = population_registry().lookup(id_number, user=user, purpose=PREFILL_PURPOSE)
    except RegistryUnavailable:
        return {}, {}
    return _prefilled_from(procedure, resident)


def _prefilled_from(procedure, resident) -> tuple[dict, dict]:
    if resident is None:
        return {}, {}
    filled = prefill(procedure.form_schema or {}, resident)
    values = {path: value_at(filled.answers, path) for path in filled.sources}
    return filled.answers, {k: v for k, v in values.items() if v is not None}


def start(
    user,
    procedure: str,
    agency: str,
    *,
    organisation=None,
    key: str = "",
    now: datetime | None = None,
) -> Dossier:
    """A new draft, pre-filled from the registry for a citizen. Retried with the same `key`
    (the start page's hidden token), it returns the draft already started."""
    now = now or timezone.now()
    found = started(user, key)
    if found is not None:
        return found
    applicant = {"kind": "citizen"}
    if organisation is not None:
        applicant = {
            "kind": "organisation",
            "full_name": organisation.name,
            "tax_code": organisation.tax_code,
            "address": getattr(organisation, "address", "") or "",
        }
    answers, prefilled = ({}, {})
    if organisation is None:
        procedure_obj = _published(procedure)
        if procedure_obj is not None:
            answers, prefilled = _registry_answers(procedure_obj, user)
    with transaction.atomic():
        # The paths filled are claimed now and checked against the registry on submission.
        dossier = services.submit_online(
            applicant_user=user,
            procedure=procedure,
            agency=agency,
            form=answers,
            applicant=applicant,
            registry_fields=sorted(prefilled) or None,
            draft=True,
            now=now,
        )
        Draft.objects.create(dossier=dossier, prefilled=prefilled, start_key=(key or "")[:64])
    return dossier


def _published(code: str):
    return Procedure.objects.filter(code=code, status=Procedure.Status.PUBLISHED).first()


def start_for(
    helper,
    procedure: str,
    agency: str,
    *,
    on_behalf_of: str,
    consent: dict,
    full_name: str = "",
    key: str = "",
    now: datetime | None = None,
) -> Dossier:
    """A draft `helper` prepares for the citizen `on_behalf_of` (assisted submission):
    the consent (as `helper` in `services.submit_online`) is checked and recorded first;
    only then is the form pre-filled with the citizen's registry entry (never the
    helper's). `full_name` names a citizen neither the registry nor an account knows.
    Retried with the same `key`, it returns the draft already started."""
    now = now or timezone.now()
    found = started(helper, key)
    if found is not None:
        return found
    applicant = {"kind": "citizen"}
    if full_name.strip():
        applicant["full_name"] = " ".join(full_name.split())[:200]
    # Not inside a transaction of ours: a wrong consent code must count as a try even
    # though the draft is refused (assisted._check_code commits it on its own).
    dossier = services.submit_online(
        applicant_user=helper,
        procedure=procedure,
        agency=agency,
        form={},
        applicant=applicant,
        draft=True,
        on_behalf_of=on_behalf_of,
        helper=consent,
        now=now,
    )
    try:
        state = Draft.objects.create(dossier=dossier, prefilled={}, start_key=(key or "")[:64])
    except Exception:
        _delete_draft(dossier)  # no draft half made
        raise
    # The entry read (outside any transaction) when the consent was checked: one read of the
    # citizen's data, one line in their access log.
    answers, prefilled = _prefilled_from(dossier.procedure, dossier.registry_entry)
    if prefilled:
        # The paths filled are claimed now and checked against the registry on submission.
        Dossier.objects.filter(pk=dossier.pk).update(
            form=answers, registry_fields=sorted(prefilled)
        )
        Draft.objects.filter(pk=state.pk).update(prefilled=prefilled)
        dossier.form, dossier.registry_fields = answers, sorted(prefilled)
    return dossier


def started(user, key: str) -> Dossier | None:
    """The draft the user started with this start-page token, if any (a repeated start)."""
    key = (key or "")[:64]
    if not key or user is None or not user.is_authenticated:
        return None
    return Dossier.objects.filter(written_by(user), draft__start_key=key).first()


def _locked_draft(dossier: Dossier, user) -> Dossier:
    locked = (
        Dossier.objects.select_for_update()
        .filter(written_by(user), pk=dossier.pk, status=Status.DRAFT)
        .first()
    )
    if locked is None:
        raise NotFound(NOT_FOUND)
    return locked


def save_answers(
    dossier: Dossier, user, form: dict, *, page: str = "", done: bool = False, now=None
) -> Dossier:
    """Keep the whole form as it now stands; `page` is marked done (or not) on the task
    list. Saving also keeps the draft for another `DRAFT_TTL`."""
    now = now or timezone.now()
    if not isinstance(form, dict):
        raise ValidationFailed(fields={"form": ["Tờ khai phải là một đối tượng JSON."]})
    with transaction.atomic():
        locked = _locked_draft(dossier, user)
        locked.form = form
        locked.updated_at = now
        locked.save(update_fields=["form", "updated_at"])
        if page:
            state = Draft.objects.select_for_update().get(dossier=locked)
            pages = [p for p in state.done if p != page] + ([page] if done else [])
            if pages != state.done:
                state.done = pages
                state.save(update_fields=["done"])
    dossier.form, dossier.updated_at = form, now
    return dossier


def _spec(dossier: Dossier, spec_id):
    spec = next((s for s in dossier.procedure.components.all() if str(s.pk) == str(spec_id)), None)
    if spec is None:
        raise ValidationFailed(fields={"spec": ["Không thuộc thành phần hồ sơ của thủ tục."]})
    return spec


def attach(dossier: Dossier, user, spec_id, fileobj, name: str, *, now=None) -> DossierComponent:
    """One uploaded file for one component of the procedure (a component may take several
    files: the pages of a scan). Checked and kept by `files.store_file`."""
    now = now or timezone.now()
    spec = _spec(dossier, spec_id)
    with transaction.atomic():
        locked = _locked_draft(dossier, user)
        stored = store_file(fileobj, name, user, now=now)
        same = DossierComponent.objects.filter(
            dossier=locked, spec=spec, file__sha256=stored.sha256
        ).first()
        if same is not None:
            # The same file again (a retried upload): kept once.
            _delete_file(stored)
            return same
        component = DossierComponent.objects.create(
            dossier=locked, spec=spec, name=spec.name, file=stored, added_at=now
        )
        # Attached: the hourly sweep of unattached uploads must not take a draft's files.
        StoredFile.objects.filter(pk=stored.pk).update(attached=True)
        locked.updated_at = now
        locked.save(update_fields=["updated_at"])
    return component


def remove(dossier: Dossier, user, component_id, *, now=None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_draft(dossier, user)
        component = DossierComponent.objects.filter(
            dossier=locked, pk=_int_or_none(component_id)
        ).first()
        if component is None:
            raise NotFound("Không tìm thấy tệp trong hồ sơ nháp.")
        stored = component.file
        component.delete()
        if stored is not None and not component.reused:  # a vault file stays the vault's
            _delete_file(stored)
        locked.updated_at = now
        locked.save(update_fields=["updated_at"])


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _delete_file(stored: StoredFile) -> None:
    name = stored.file.name
    stored.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


def submit(dossier: Dossier, user, *, now=None) -> Dossier:
    """Submit the draft (action `submit`: whole form and required components checked, code
    and due date given). Submitting again is harmless: the dossier is returned as it is."""
    if dossier.status != Status.DRAFT:
        return dossier
    try:
        # The registry answers kept are checked by the action itself (registry_fields).
        return services.perform(dossier, "submit", user, now=now)
    except ActionNotAllowed:
        # A parallel submit got there first: answer as it did.
        current = Dossier.objects.get(pk=dossier.pk)
        if current.status == Status.DRAFT:
            raise
        return current


def discard(dossier: Dossier, user) -> None:
    with transaction.atomic():
        locked = _locked_draft(dossier, user)
        _delete_draft(locked)


def _delete_draft(dossier: Dossier) -> None:
    files = [
        c.file for c in dossier.components.select_related("file") if c.file_id and not c.reused
    ]
    dossier.delete()  # components and the draft state go with it
    for stored in files:
        _delete_file(stored)


def purge_expired(now: datetime | None = None) -> int:
    """Delete drafts not saved for `DRAFT_TTL`, with their files."""
    limit = (now or timezone.now()) - DRAFT_TTL
    removed = 0
    expired = Dossier.objects.filter(status=Status.DRAFT, updated_at__lt=limit)
    for pk in expired.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            locked = (
                Dossier.objects.select_for_update()
                .filter(pk=pk, status=Status.DRAFT, updated_at__lt=limit)
                .first()
            )
            if locked is None:
                continue
            _delete_draft(locked)
        removed += 1
    return removed


def vault_documents(user, spec) -> list:
    """Documents of the user's vault that could serve as `spec` (asked of the vault)."""
    return hooks.vault_documents().offered(user, spec)


def attach_from_vault(dossier: Dossier, user, spec_id, document_id, *, now=None):
    """One component taken from the user's vault instead of an upload (flagged `reused`);
    the file stays the vault's."""
    now = now or timezone.now()
    spec = _spec(dossier, spec_id)
    with transaction.atomic():
        locked = _locked_draft(dossier, user)
        stored = hooks.vault_documents().take(user, document_id)
        component, _ = DossierComponent.objects.get_or_create(
            dossier=locked,
            spec=spec,
            file=stored,
            defaults={"name": spec.name, "reused": True, "added_at": now},
        )
        locked.updated_at = now
        locked.save(update_fields=["updated_at"])
    return component
