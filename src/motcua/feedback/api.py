"""Satisfaction ratings and feedback and complaints (docs/openapi.json, tag "feedback"):
thin routes over `services`."""

from datetime import datetime
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from motcua.core.api.auth import api_auth
from motcua.core.api.errors import ErrorOut
from motcua.core.api.pagination import Page, PageParams, paginate
from motcua.core.errors import NotFound
from motcua.core.idempotency import idempotent
from motcua.dossiers.queries import dossier_for

from . import limits, queries, services
from .models import Category, Feedback, FeedbackStatus, Rating, RefusalReason
from .services import submission, workflow

router = Router(tags=["feedback"])


class RatingIn(Schema):
    score: int = Field(ge=1, le=5, description="Satisfaction, 1 (very unhappy) to 5.")
    comment: str | None = Field(None, max_length=services.COMMENT_MAX)


class RatingOut(Schema):
    dossier_code: str
    score: int
    comment: str
    rated_at: datetime
    changed_at: datetime | None
    changeable_until: datetime = Field(description="The applicant may change it until then.")


def rating_out(rating: Rating) -> dict:
    return {
        "dossier_code": rating.dossier.code,
        "score": rating.score,
        "comment": rating.comment,
        "rated_at": timezone.localtime(rating.rated_at),
        "changed_at": timezone.localtime(rating.changed_at) if rating.changed_at else None,
        "changeable_until": timezone.localtime(rating.rated_at + services.CHANGE_WINDOW),
    }


@router.post(
    "/dossiers/{code}/rating",
    auth=api_auth,
    response={
        200: RatingOut,
        201: RatingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Rate how the dossier was handled (the applicant, once it has its result)",
    description="201 when the rating is first given; 200 when it is changed (allowed for "
    "7 days) or sent again unchanged. 409 `action_not_allowed` before the result or once the "
    "rating is final; 403 for an officer of the dossier's agency; 404 for anybody else.",
)
def rate(request, code: str, payload: RatingIn):
    def create():
        rating, created = services.rate_dossier(
            code, request.auth, payload.score, payload.comment or ""
        )
        return (201 if created else 200), rating_out(rating)

    return idempotent(request, "rating", create)


@router.get(
    "/dossiers/{code}/rating",
    auth=api_auth,
    response={200: RatingOut, 401: ErrorOut, 404: ErrorOut},
    summary="The dossier's rating, to its applicant and its agencies' officers (404 when none)",
)
def get_rating(request, code: str):
    rating = services.rating_of(dossier_for(request.auth, code))
    if rating is None:
        raise NotFound("Hồ sơ chưa được đánh giá.")
    return rating_out(rating)


# ---------------------------------------------------------------- feedback and complaints


class _Anonymous:
    """The last of `optional_auth`: no credentials, the call goes on as an anonymous one
    (a wrong bearer token is still 401)."""

    def __call__(self, request):
        return AnonymousUser()


optional_auth = [*api_auth, _Anonymous()]
KEY_HEADER = "X-Feedback-Key"

CategoryName = Literal[tuple(Category.values)]
StatusName = Literal[tuple(FeedbackStatus.values)]
ActionName = Literal[tuple(workflow.ACTIONS)]


class ContactCodeIn(Schema):
    contact: str = Field(description="A phone number or an e-mail address.", max_length=254)


class ContactCodeOut(Schema):
    id: str = Field(description="`contact.code_id` for POST /feedback.")
    recipient: str = Field(description="Where the code went, masked.")
    expires_at: datetime


class ContactIn(Schema):
    code_id: str
    code: str = Field(max_length=12)
    name: str | None = Field(None, max_length=200)


class FeedbackIn(Schema):
    title: str = Field(max_length=submission.TITLE_MAX)
    content: str = Field(max_length=submission.CONTENT_MAX)
    category: CategoryName
    agency: str | None = Field(
        None, description="Agency code; else routed by the dossier or the procedure."
    )
    procedure: str | None = None
    dossier_code: str | None = Field(None, description="One of the submitter's own dossiers.")
    attachments: list[str] | None = Field(
        None, description="file ids from POST /files (photos and PDFs; signed-in submitters)."
    )
    is_public: bool = True
    contact: ContactIn | None = Field(
        None,
        description="Anonymous submission: the contact confirmed by POST /feedback/contact-codes.",
    )


class CreatedOut(Schema):
    id: int
    status: StatusName
    due_at: datetime | None
    access_key: str | None = Field(
        None,
        description="Anonymous submission: send it as "
        f"`{KEY_HEADER}` to read and act on the feedback.",
    )


class AgencyRef(Schema):
    code: str
    name: str


class FeedbackFileOut(Schema):
    id: int
    name: str
    content_type: str
    purpose: str


class FeedbackEventOut(Schema):
    seq: int
    at: datetime
    actor: str
    actor_role: str
    action: str
    from_status: str
    to_status: str
    agency: str
    note: str
    internal_note: str | None = Field(None, description="Officers of the agency only.")


class DeadlineOut(Schema):
    kind: str
    round: int
    due_at: datetime
    met_at: datetime | None
    verdict: str


class SubmitterOut(Schema):
    full_name: str
    phone: str
    email: str


class FeedbackOut(Schema):
    id: int
    title: str
    content: str
    category: CategoryName
    agency: AgencyRef
    procedure: str | None
    dossier_code: str | None
    status: StatusName
    status_label: str
    is_public: bool
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    answer: str
    answered_at: datetime | None
    published_at: datetime | None
    refusal_reason: str
    reaction: str
    reopen_count: int
    submitter: SubmitterOut | None = Field(None, description="To its agency and submitter.")
    attachments: list[FeedbackFileOut]
    events: list[FeedbackEventOut]
    deadlines: list[DeadlineOut]
    allowed_actions: list[str]


class FeedbackItem(Schema):
    id: int
    title: str
    category: CategoryName
    agency: AgencyRef
    status: StatusName
    status_label: str
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    due_soon: bool


class PublicFeedbackOut(Schema):
    id: int
    title: str
    content: str
    category: CategoryName
    agency: AgencyRef
    answer: str
    answered_at: datetime | None
    published_at: datetime | None


class FeedbackActionIn(Schema):
    action: ActionName
    note: str | None = Field(
        None,
        description="To the submitter (ask_info: the question; "
        "supply_info: the information; reopen: why).",
    )
    internal_note: str | None = Field(None, description="Between officers only.")
    answer: str | None = None
    reason: Literal[tuple(RefusalReason.values)] | None = None
    to_agency: str | None = None
    attachments: list[str] | None = Field(None, description="file ids (answer: evidence).")
    like: bool | None = None


class ReactionIn(Schema):
    like: bool


class ReopenIn(Schema):
    note: str = Field(max_length=5000, description="Why the answer does not settle it.")


def _local(moment):
    return timezone.localtime(moment) if moment else None


def _submitter_out(fb: Feedback) -> dict:
    user = fb.submitter
    if user is not None:
        return {"full_name": user.full_name, "phone": user.phone, "email": user.email}
    return {"full_name": fb.contact_name, "phone": fb.contact_phone, "email": fb.contact_email}


def feedback_out(fb: Feedback, user, mine: bool) -> dict:
    officer = queries.is_officer_of(user, fb)
    return {
        **public_out(fb),
        "procedure": fb.procedure.code if fb.procedure_id else None,
        "dossier_code": fb.dossier.code if fb.dossier_id else None,
        "status": fb.status,
        "status_label": str(fb.get_status_display()),
        "is_public": fb.is_public,
        "received_at": _local(fb.received_at),
        "due_at": _local(fb.due_at),
        "overdue": fb.overdue,
        "refusal_reason": fb.refusal_reason,
        "reaction": fb.reaction,
        "reopen_count": fb.reopen_count,
        "submitter": _submitter_out(fb) if (officer or mine) else None,
        "attachments": [
            {
                "id": a.pk,
                "name": a.file.name,
                "content_type": a.file.content_type,
                "purpose": a.purpose,
            }
            for a in fb.attachments.select_related("file").order_by("id")
        ],
        "events": [
            {
                "seq": e.seq,
                "at": _local(e.at),
                "actor": e.actor_name,
                "actor_role": e.actor_role,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "agency": e.agency.code,
                "note": e.note,
                "internal_note": e.internal_note if officer else None,
            }
            for e in fb.events.select_related("agency").order_by("seq")
        ],
        "deadlines": [
            {
                "kind": d.kind,
                "round": d.round,
                "due_at": _local(d.due_at),
                "met_at": _local(d.met_at),
                "verdict": d.verdict,
            }
            for d in fb.deadlines.order_by("round", "due_at")
        ],
        "allowed_actions": workflow.allowed_actions(fb, user, submitter=mine),
    }


def feedback_item(fb: Feedback) -> dict:
    return {
        "id": fb.pk,
        "title": fb.title,
        "category": fb.category,
        "agency": {"code": fb.agency.code, "name": fb.agency.name},
        "status": fb.status,
        "status_label": str(fb.get_status_display()),
        "received_at": _local(fb.received_at),
        "due_at": _local(fb.due_at),
        "overdue": fb.overdue,
        "due_soon": fb.due_soon,
    }


def public_out(fb: Feedback) -> dict:
    """What anybody may read of a published answer: never who sent it."""
    return {
        "id": fb.pk,
        "title": fb.title,
        "content": fb.content,
        "category": fb.category,
        "agency": {"code": fb.agency.code, "name": fb.agency.name},
        "answer": fb.answer,
        "answered_at": _local(fb.answered_at),
        "published_at": _local(fb.published_at),
    }


@router.post(
    "/feedback/contact-codes",
    auth=None,
    response={201: ContactCodeOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Anonymous feedback: send a one-time code to the contact (phone or e-mail)",
)
def create_contact_code(request, payload: ContactCodeIn):
    _, recipient = submission.clean_contact(payload.contact)
    limits.check_code(request, recipient)
    row = services.send_contact_code(payload.contact)
    return Status(
        201,
        {
            "id": str(row.pk),
            "recipient": submission.masked(row),
            "expires_at": _local(row.expires_at),
        },
    )


@router.post(
    "/feedback",
    auth=optional_auth,
    response={
        201: CreatedOut,
        401: ErrorOut,
        403: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Send feedback (phản ánh, kiến nghị), signed in or anonymously with a contact "
    "confirmed by a one-time code",
    description="Accepts `Idempotency-Key`. Anonymous without a confirmed contact: 422 "
    "`contact_not_confirmed`. Rate-limited per client address (429 with `Retry-After`).",
)
def create_feedback(request, payload: FeedbackIn):
    def create():
        limits.check_submission(request)
        data = payload.dict()
        fb, key = services.submit_feedback(request.auth, **data)
        return 201, {
            "id": fb.pk,
            "status": fb.status,
            "due_at": _local(fb.due_at),
            "access_key": key or None,
        }

    return idempotent(request, "feedback", create)


@router.get(
    "/feedback",
    auth=api_auth,
    response=Page[FeedbackItem],
    summary="The caller's feedback (citizen) or their agencies' (officer), newest first",
)
def list_feedback(
    request, params: Query[PageParams], status: StatusName | None = None, agency: str | None = None
):
    rows = queries.visible_to(request.auth).select_related("agency")
    if status:
        rows = rows.filter(status=status)
    if agency:
        rows = rows.filter(agency__code=agency)
    return paginate(rows, params, feedback_item)


@router.get(
    "/feedback/public",
    auth=None,
    response=Page[PublicFeedbackOut],
    summary="Published answers, searchable (with or without diacritics), by agency and "
    "category; never who sent them",
)
def public_feedback(
    request,
    params: Query[PageParams],
    q: str = "",
    agency: str = "",
    category: CategoryName | None = None,
):
    rows = queries.published(q=q[:200], agency=agency, category=category or "")
    return paginate(rows, params, public_out)


def _found(request, feedback_id: int):
    return queries.feedback_for(request.auth, feedback_id, request.headers.get(KEY_HEADER))


@router.get(
    "/feedback/{feedback_id}",
    auth=optional_auth,
    response={200: FeedbackOut | PublicFeedbackOut, 401: ErrorOut, 404: ErrorOut},
    summary="One feedback: whole to its submitter (signed in, or with `X-Feedback-Key`) "
    "and its agency's officers; a published public one to anybody, without personal data",
)
def get_feedback(request, feedback_id: int):
    try:
        fb, mine = _found(request, feedback_id)
    except NotFound:
        fb = queries.published().filter(pk=feedback_id).first()
        if fb is None:
            raise
        return public_out(fb)
    return feedback_out(fb, request.auth, mine)


def _act(request, feedback_id: int, action: str, args: dict) -> dict:
    fb, mine = _found(request, feedback_id)  # 404 before anything else
    done = services.perform(fb, action, request.auth, submitter=mine, **args)
    # Not re-checked: after a transfer the sending agency no longer holds it, yet its officer
    # gets the outcome of what they just did (without the personal data or internal notes).
    fresh = Feedback.objects.select_related("agency", "procedure", "dossier").get(pk=done.pk)
    return feedback_out(fresh, request.auth, mine)


@router.post(
    "/feedback/{feedback_id}/actions",
    auth=optional_auth,
    response={
        200: FeedbackOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
    },
    summary="Do an action of the feedback's workflow (officers: accept, ask_info, answer, "
    "publish, refuse, transfer; the submitter: supply_info); 409 when not allowed now",
)
def feedback_action(request, feedback_id: int, payload: FeedbackActionIn):
    return _act(request, feedback_id, payload.action, payload.dict(exclude={"action"}))


@router.post(
    "/feedback/{feedback_id}/reaction",
    auth=optional_auth,
    response={200: FeedbackOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="The submitter likes or dislikes the answer",
)
def feedback_reaction(request, feedback_id: int, payload: ReactionIn):
    return _act(request, feedback_id, "react", {"like": payload.like})


@router.post(
    "/feedback/{feedback_id}/reopen",
    auth=optional_auth,
    response={200: FeedbackOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="The submitter reopens the answer: once, within 15 working days of it",
)
def feedback_reopen(request, feedback_id: int, payload: ReopenIn):
    return _act(request, feedback_id, "reopen", {"note": payload.note})
