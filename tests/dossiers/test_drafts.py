"""Online drafts: started, saved page by page, files per component, submitted once, kept for
30 days after the last save and seen by nobody but their owner."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage

from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers import drafts, files
from motcua.dossiers.models import Dossier, Status, StoredFile
from motcua.integrations.models import LocalResident

from . import factories

pytestmark = pytest.mark.django_db
T0 = factories.local(2026, 3, 2, 9)


def start(w, user=None, **extra):
    return drafts.start(user or w.citizen, w.procedure.code, w.home.code, now=T0, **extra)


def attach_all(w, draft, user=None):
    for spec in w.specs:
        drafts.attach(
            draft, user or w.citizen, spec.pk, io.BytesIO(factories.PDF_BYTES), "a.pdf", now=T0
        )


def test_a_draft_has_no_code_no_due_date_and_belongs_to_its_starter(w):
    draft = start(w)
    assert draft.status == Status.DRAFT and draft.code is None and draft.due_at is None
    assert drafts.owned(w.citizen, draft.pk, now=T0) == draft
    assert list(drafts.drafts_of(w.citizen, now=T0)) == [draft]
    assert list(drafts.drafts_of(w.other_citizen, now=T0)) == []
    assert list(drafts.drafts_of(w.citizen, now=T0 + timedelta(days=31))) == []
    with pytest.raises(NotFound):
        drafts.owned(w.other_citizen, draft.pk, now=T0)
    with pytest.raises(NotFound):
        drafts.owned(w.reception, draft.pk, now=T0)


def test_starting_again_with_the_same_key_returns_the_same_draft(w):
    first = start(w, key="abc")
    assert start(w, key="abc") == first
    assert start(w, key="other") != first
    assert Dossier.objects.filter(status=Status.DRAFT).count() == 2


def test_answers_and_done_pages_are_saved(w):
    draft = start(w)
    drafts.save_answers(draft, w.citizen, {"child_name": "An"}, page="0", done=True, now=T0)
    drafts.save_answers(draft, w.citizen, {"child_name": "An"}, page="1", done=False, now=T0)
    draft.refresh_from_db()
    assert draft.form == {"child_name": "An"}
    assert draft.draft.done == ["0"]
    with pytest.raises(NotFound):
        drafts.save_answers(draft, w.other_citizen, {}, now=T0)


def test_files_are_attached_per_component_and_survive_the_sweep(w):
    draft = start(w)
    attach_all(w, draft)
    assert draft.components.count() == len(w.specs)
    assert files.purge_unattached(now=T0 + timedelta(days=3)) == 0
    # A retried upload of the same file is kept once.
    again = drafts.attach(
        draft, w.citizen, w.specs[0].pk, io.BytesIO(factories.PDF_BYTES), "a.pdf", now=T0
    )
    assert again == draft.components.get(spec=w.specs[0])
    assert StoredFile.objects.count() == len(w.specs)
    with pytest.raises(ValidationFailed):
        drafts.attach(draft, w.citizen, 999999, io.BytesIO(factories.PDF_BYTES), "a.pdf")
    with pytest.raises(files.UnsupportedFileType):
        drafts.attach(draft, w.citizen, w.specs[0].pk, io.BytesIO(b"not a pdf"), "a.pdf")


def test_a_removed_file_is_gone_with_its_bytes(w, django_capture_on_commit_callbacks):
    draft = start(w)
    attach_all(w, draft)
    component = draft.components.first()
    name = component.file.file.name
    with pytest.raises(NotFound):
        drafts.remove(draft, w.other_citizen, component.pk)
    with django_capture_on_commit_callbacks(execute=True):
        drafts.remove(draft, w.citizen, component.pk)
    assert not StoredFile.objects.filter(pk=component.file_id).exists()
    assert not default_storage.exists(name)


def test_submitting_checks_the_whole_form_then_numbers_the_dossier_once(w):
    draft = start(w)
    with pytest.raises(ValidationFailed) as refused:
        drafts.submit(draft, w.citizen, now=T0)
    assert "form.child_name" in refused.value.fields
    assert "components" in refused.value.fields
    drafts.save_answers(draft, w.citizen, {"child_name": "Nguyễn Văn Con"}, now=T0)
    attach_all(w, draft)
    submitted = drafts.submit(draft, w.citizen, now=T0)
    assert submitted.status == Status.SUBMITTED and submitted.code and submitted.due_at
    # Back button, retry: the same dossier, nothing new.
    again = drafts.submit(drafts.owned(w.citizen, draft.pk, now=T0), w.citizen, now=T0)
    assert again.code == submitted.code
    assert Dossier.objects.count() == 1
    with pytest.raises(NotFound):
        drafts.save_answers(submitted, w.citizen, {}, now=T0)


def test_drafts_expire_thirty_days_after_the_last_save(w, django_capture_on_commit_callbacks):
    old, kept = start(w), start(w)
    attach_all(w, old)
    name = old.components.first().file.file.name
    drafts.save_answers(kept, w.citizen, {}, now=T0 + timedelta(days=20))
    later = T0 + timedelta(days=31)
    with pytest.raises(NotFound):
        drafts.owned(w.citizen, old.pk, now=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts.purge_expired(now=later) == 1
    assert list(Dossier.objects.all()) == [kept]
    assert not StoredFile.objects.exists() and not default_storage.exists(name)


def test_submitted_dossiers_are_never_purged(w):
    draft = start(w)
    drafts.save_answers(draft, w.citizen, {"child_name": "An"}, now=T0)
    attach_all(w, draft)
    drafts.submit(draft, w.citizen, now=T0)
    assert drafts.purge_expired(now=T0 + timedelta(days=400)) == 0


def test_discarding_a_draft_removes_it(w):
    draft = start(w)
    drafts.discard(draft, w.citizen)
    assert not Dossier.objects.exists()


REGISTRY_SCHEMA = {
    "type": "object",
    "required": ["child_name"],
    "properties": {
        "child_name": {"type": "string"},
        "requester": {
            "type": "object",
            "properties": {"full_name": {"type": "string", "x-registry": "full_name"}},
        },
    },
}


@pytest.mark.parametrize("kept", [True, False])
def test_a_citizen_draft_is_prefilled_and_counted_only_if_kept(kept):
    w = factories.world(form_schema=REGISTRY_SCHEMA)
    LocalResident.objects.create(
        id_number=w.citizen.id_number, full_name="Nguyễn Văn An", sex="Nam"
    )
    draft = start(w)
    assert draft.form == {"requester": {"full_name": "Nguyễn Văn An"}}
    assert draft.registry_fields == ["requester.full_name"]
    assert draft.draft.prefilled == {"requester.full_name": "Nguyễn Văn An"}
    name = "Nguyễn Văn An" if kept else "Nguyễn Văn Ân"
    form = {"child_name": "Con", "requester": {"full_name": name}}
    drafts.save_answers(draft, w.citizen, form, now=T0)
    attach_all(w, draft)
    submitted = drafts.submit(draft, w.citizen, now=T0)
    assert submitted.from_registry is kept
    assert submitted.registry_fields == (["requester.full_name"] if kept else [])


def test_an_unknown_citizen_types_the_form(w):
    draft = start(w)
    assert draft.form == {} and draft.registry_fields == []
