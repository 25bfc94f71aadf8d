"""Feedback from citizens (docs/architecture.md, "The apps"): the satisfaction rating
(đánh giá mức độ hài lòng) of a dossier's handling, and feedback and complaints (phản ánh,
kiến nghị) with their append-only history and deadlines (docs/domain.md, "Feedback and
complaints"; the workflow is `services/workflow.py`).

A rating is not an `Event` of the dossier: the history records what the agencies and the
applicant did to the dossier (and feeds timeliness, the control slip and notifications), and
a rating changes nothing of that. It lives here, one row per dossier, with its own times.
"""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency, Procedure
from motcua.core.models import AppendOnly
from motcua.core.onetime import OneTimeCodeFields
from motcua.dossiers.models import Dossier, StoredFile

SCORES = range(1, 6)


class Rating(models.Model):
    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="rating", verbose_name=_("hồ sơ")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("người đánh giá"),
    )
    score = models.PositiveSmallIntegerField(_("mức độ hài lòng (1–5)"))
    comment = models.TextField(_("góp ý"), blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"))
    changed_at = models.DateTimeField(_("sửa lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.score}/5"


# ------------------------------------------------------------------ feedback and complaints


class Category(models.TextChoices):
    REGULATION = "regulation", _("Quy định hành chính")
    SERVICE = "service", _("Dịch vụ công của cơ quan")
    CONDUCT = "conduct", _("Hành vi, thái độ của cán bộ")
    PLACE = "place", _("Nơi công cộng, hạ tầng")
    OTHER = "other", _("Khác")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    AWAITING_INFO = "awaiting_info", _("Chờ bổ sung thông tin")
    PROCESSING = "processing", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã công khai")
    REFUSED = "refused", _("Từ chối xử lý")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan khác")


class RefusalReason(models.TextChoices):
    NOT_IN_SCOPE = "not_in_scope", _("Không thuộc phạm vi tiếp nhận phản ánh, kiến nghị")
    DUPLICATE = "duplicate", _("Trùng với phản ánh đã được xử lý")
    UNCLEAR = "unclear", _("Nội dung không rõ ràng, không xác định được vụ việc")
    ABUSIVE = "abusive", _("Ngôn từ xúc phạm, không đúng mực")
    IN_COURT = "in_court", _("Đã được cơ quan có thẩm quyền giải quyết hoặc đang khởi kiện")


class Reaction(models.TextChoices):
    NONE = "", _("Chưa đánh giá")
    LIKE = "like", _("Hài lòng")
    DISLIKE = "dislike", _("Không hài lòng")


class Feedback(models.Model):
    """One piece of feedback: its current status and agency; the history is `FeedbackEvent`
    and the deadlines `FeedbackDeadline`. Changed only through `services.perform`."""

    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    category = models.CharField(_("lĩnh vực"), max_length=12, choices=Category.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("cơ quan xử lý")
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback"
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback"
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("người gửi"),
    )
    # Anonymous feedback: the contact confirmed by a one-time code (ContactCode), and the
    # hash of the secret link that opens its page.
    contact_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    contact_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    access_hash = models.CharField(max_length=64, blank=True)
    is_public = models.BooleanField(_("đồng ý công khai"), default=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.RECEIVED,
        db_index=True,
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"), db_index=True)
    # Deadlines run from here: the receipt, or the latest transfer (or reopening).
    clock_started_at = models.DateTimeField()
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_hours = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    refusal_reason = models.CharField(max_length=16, choices=RefusalReason.choices, blank=True)
    reaction = models.CharField(max_length=8, choices=Reaction.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # Folded title, content and answer (core.text.fold), for the public search.
    search_text = models.TextField(editable=False, default="")
    # Cached flags of the pending deadlines, for the inbox tabs (`mark_deadlines`).
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    due_soon = models.BooleanField(default=False)
    overdue = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="feedback_inbox"),
            # The public list: published answers, newest first.
            models.Index(fields=["status", "-published_at"], name="feedback_published"),
        ]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"PAKN #{self.pk} {self.title}"


class FeedbackEvent(AppendOnly):
    """One entry of a feedback's append-only history."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)  # shown to the submitter
    internal_note = models.TextField(blank=True)  # the agencies' officers only
    payload = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["feedback", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "seq"], name="unique_feedback_event_seq")
        ]
        verbose_name = _("nhật ký xử lý phản ánh")
        verbose_name_plural = _("nhật ký xử lý phản ánh")

    def __str__(self) -> str:
        return f"PAKN #{self.feedback_id} {self.seq}. {self.action}"


class FeedbackAttachment(models.Model):
    class Purpose(models.TextChoices):
        SUBMISSION = "submission", _("Kèm phản ánh")
        INFO = "info", _("Thông tin bổ sung")
        EVIDENCE = "evidence", _("Minh chứng trả lời")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    event = models.ForeignKey(
        FeedbackEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "file"], name="unique_feedback_file")
        ]

    def __str__(self) -> str:
        return f"PAKN #{self.feedback_id} {self.purpose}"


class DeadlineKind(models.TextChoices):
    REFUSE = "refuse", _("Từ chối hoặc tiếp nhận xử lý")
    ASK_INFO = "ask_info", _("Yêu cầu bổ sung thông tin lần đầu")
    ANSWER = "answer", _("Trả lời")
    PUBLISH = "publish", _("Công khai kết quả")


class Verdict(models.TextChoices):
    PENDING = "pending", _("Đang trong hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    OVERDUE = "overdue", _("Quá hạn")
    VOID = "void", _("Không áp dụng")


class FeedbackDeadline(models.Model):
    """One deadline of one round (a round starts at the receipt, a transfer or a reopening),
    with its verdict once met, passed or no longer applicable."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=10, choices=DeadlineKind.choices)
    round = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField()
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    # Met, or no longer applying (transferred away, refused…): the verdict is final.
    closed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(
        max_length=8, choices=Verdict.choices, default=Verdict.PENDING, db_index=True
    )
    due_soon = models.BooleanField(default=False)

    class Meta:
        ordering = ["feedback", "round", "due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "kind", "round"], name="unique_feedback_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"PAKN #{self.feedback_id} {self.kind} ({self.round}): {self.verdict}"


class ContactCode(OneTimeCodeFields):
    """A one-time code sent to an anonymous submitter's phone or e-mail; the feedback is
    accepted only with the code, which confirms the contact."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(max_length=8)  # "sms" | "email"
    recipient = models.CharField(max_length=254)

    def __str__(self) -> str:
        return f"{self.channel} {self.pk}"
