"""Dossiers (hồ sơ): one application for one procedure version by one applicant, with its
components, its append-only hash-chained history and the number series that give it its code.

`Dossier.status` / `current_step` / `assignee` are the current values; every change goes
through `dossiers.services` and appends an `Event`.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency, ComponentSpec, Procedure, Step
from motcua.core.models import PersonalDataRead
from motcua.core.onetime import OneTimeCodeFields


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    PROCESSING = "processing", _("Đang xử lý")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối")
    STOPPED = "stopped", _("Dừng xử lý")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


# The statuses whose clock has ended (docs/domain.md: result ready, returned, stopped, refused,
# withdrawn).
ENDED = frozenset(
    {Status.RESULT_READY, Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN}
)
OPEN = frozenset(
    {Status.SUBMITTED, Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT, Status.PROCESSING}
)


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Bưu chính công ích")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    OVERDUE = "overdue", _("Quá hạn")
    IN_TIME = "in_time", _("Trong hạn")


class IdentityCheck(models.TextChoices):
    """How the applicant's identity was verified when the dossier was submitted (indicator
    5.6; the rules are in `dossiers/identity.py`)."""

    NONE = "", _("Không xác thực qua định danh quốc gia")
    NATIONAL_ID = "national_id", _("Đăng nhập bằng tài khoản định danh điện tử")
    REGISTRY = "registry", _("Người nộp được xác định từ Cơ sở dữ liệu quốc gia về dân cư")


def _file_path(instance, filename):
    # The stored name never carries the uploader's file name (personal data, odd characters).
    return f"uploads/{instance.id.hex[:2]}/{instance.id.hex}"


class StoredFile(models.Model):
    """An uploaded file in private storage (Django's default storage, never a public URL)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stored_files"
    )
    file = models.FileField(upload_to=_file_path, max_length=200)
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    attached = models.BooleanField(_("đã gắn vào hồ sơ"), default=False)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("tệp tải lên")
        verbose_name_plural = _("tệp tải lên")
        indexes = [models.Index(fields=["attached", "created_at"], name="storedfile_unattached")]

    def __str__(self) -> str:
        return self.name


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=50, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("cơ quan tiếp nhận"),
    )
    channel = models.CharField(_("kênh nộp"), max_length=8, choices=Channel.choices)
    applicant = models.JSONField(
        _("người nộp"),
        default=dict,
        help_text="Snapshot: {kind, full_name, id_number | tax_code, phone, email, address}.",
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("tài khoản người nộp"),
    )
    applicant_id_number = models.CharField(
        max_length=14, blank=True, db_index=True, help_text="ID number or tax code, for lookup."
    )
    helper = models.JSONField(
        _("người hỗ trợ"),
        default=dict,
        blank=True,
        help_text="Who assisted the applicant: {full_name, role, organisation, consent, and for "
        "an assisted submission user_id, role_label, consent_method, consent_at, consent_note, "
        "consent_file}.",
    )
    helper_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helped_dossiers",
        verbose_name=_("tài khoản người hỗ trợ"),
        help_text="Who submitted for the applicant (assisted submission); sees the dossier too.",
    )
    form = models.JSONField(_("tờ khai"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    current_step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    current_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Agency of the current step (another agency's during liên thông).",
    )
    held_by = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Another agency whose step holds the dossier (liên thông); empty while the "
        "receiving agency holds it. Serves that agency's inbox through a small index.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    extended_due_at = models.DateTimeField(_("ngày hẹn trả mới"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=12, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_hours = models.DecimalField(max_digits=9, decimal_places=6, default=0)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    timeliness = models.CharField(
        max_length=8, choices=Timeliness.choices, default=Timeliness.IN_TIME
    )
    due_soon = models.BooleanField(
        default=False, help_text="Due within one working day (set by mark_deadlines)."
    )
    from_registry = models.BooleanField(
        default=False,
        help_text="Answers pre-filled from the population registry were kept (indicator 5.6).",
    )
    registry_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Dotted paths of the form answers taken from the population registry and "
        "kept unchanged (a draft holds the claimed ones until it is submitted).",
    )
    identity_check = models.CharField(
        _("xác thực định danh người nộp"),
        max_length=12,
        choices=IdentityCheck.choices,
        default=IdentityCheck.NONE,
        blank=True,
        help_text="How the applicant's identity was verified at submission (indicator 5.6).",
    )
    result_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The head of the history, written with each event (docs/domain.md, "History"): a deleted
    # last event, or a whole chain gone, no longer looks like a shorter history.
    event_count = models.PositiveIntegerField(default=0, editable=False)
    last_event_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            # Inbox pages in submission order, one index per part of what a caller sees
            # (queries.inbox_page).
            models.Index(fields=["agency", "-submitted_at", "-id"], name="dossier_agency_inbox"),
            # Partial: most rows have neither (received and held at home; counter applicants
            # without an account), and SQLite's planner skips an index full of NULLs.
            models.Index(
                fields=["held_by", "-submitted_at", "-id"],
                name="dossier_step_inbox",
                condition=Q(held_by__isnull=False),
            ),
            models.Index(
                fields=["applicant_user", "-submitted_at", "-id"],
                name="dossier_applicant",
                condition=Q(applicant_user__isnull=False),
            ),
            models.Index(
                fields=["helper_user", "-submitted_at", "-id"],
                name="dossier_helper",
                condition=Q(helper_user__isnull=False),
            ),
            # The back-office tabs: a status of the agency in deadline order, and all of the
            # agency's dossiers in deadline order (backoffice.queries).
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_status_due"),
            models.Index(fields=["agency", "due_at", "id"], name="dossier_agency_due"),
            # Overdue filters: dossiers that ended late, beside those running late (above).
            models.Index(fields=["agency", "timeliness"], name="dossier_agency_timeliness"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def acting_agency_id(self) -> int:
        return self.current_agency_id or self.agency_id


class DossierComponent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    spec = models.ForeignKey(
        ComponentSpec, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=500, help_text="The spec's name, or what was supplemented.")
    file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="components"
    )
    reused = models.BooleanField(default=False, help_text="Taken from the vault.")
    from_registry = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False, help_text="Scanned from paper at the counter.")
    supplement = models.BooleanField(default=False, help_text="Given in answer to Mẫu 02.")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")

    def __str__(self) -> str:
        return self.name


def canonical_json(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Events are append-only.")

    def delete(self):
        raise TypeError("Events are append-only.")


class ChainAnchor(models.Model):
    """One day's fingerprint of every dossier's history: the SHA-256 over the heads of all
    chains as they stood at the day's last event (`last_event_id`). Kept here and printed by
    `anchor_events`, so that an operator can publish it and prove later that the history up
    to that day was not rewritten (`verify_events` recomputes every anchor)."""

    day = models.DateField(unique=True)
    last_event_id = models.BigIntegerField()
    dossiers = models.PositiveIntegerField()
    events = models.PositiveBigIntegerField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["day"]
        verbose_name = _("mốc neo nhật ký")
        verbose_name_plural = _("mốc neo nhật ký")

    def __str__(self) -> str:
        return f"{self.day} {self.digest}"


class Event(models.Model):
    """One entry of a dossier's append-only history, chained to the previous one by hash."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    from_step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    documents = models.JSONField(default=list, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="unique_event_seq"),
        ]
        verbose_name = _("nhật ký xử lý")
        verbose_name_plural = _("nhật ký xử lý")

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Events are append-only.")

    def content(self) -> dict:
        """What the hash covers: every field but the hashes themselves."""
        return {
            "dossier": self.dossier_id,
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "action": self.action,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "from_step": self.from_step_id,
            "to_step": self.to_step_id,
            "note": self.note,
            "payload": self.payload,
            "documents": self.documents,
        }

    def compute_hash(self) -> str:
        from datetime import UTC

        content = self.content()
        content["at"] = self.at.astimezone(UTC).isoformat(timespec="microseconds")
        return hashlib.sha256((canonical_json(content) + self.prev_hash).encode()).hexdigest()


class DossierCodeSequence(models.Model):
    """The last sequence number an agency gave on one local day (Circular 01/2018 Art. 19)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="unique_code_counter")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class DossierCount(models.Model):
    """How many dossiers an agency received in each status, so that inbox totals do not count
    rows. Kept by database triggers on the dossier table in the transaction of every change
    (dossiers/tallies.py), whoever writes; `python -m motcua rebuild_dossier_counts` recounts."""

    # No database constraint: the trigger writes at commit, when an agency deleted in the same
    # transaction (with its dossiers) would fail it; a stale row of zeros is harmless.
    agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "status"], name="unique_dossier_count")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.status}: {self.count}"


class AccessLog(PersonalDataRead):
    """An officer's read of a dossier, shown to the citizen ("who saw my data")."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="access_logs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    role = models.CharField(max_length=100, blank=True)

    class Meta(PersonalDataRead.Meta):
        indexes = [models.Index(fields=["dossier", "-at"], name="accesslog_dossier")]
        verbose_name = _("lượt truy cập hồ sơ")
        verbose_name_plural = _("lượt truy cập hồ sơ")

    def __str__(self) -> str:
        return f"{self.user_id} {self.dossier_id} {self.at:%Y-%m-%d %H:%M}"


class Draft(models.Model):
    """What an online dossier needs while it is a draft (status `draft`): the form pages
    already saved, the answers taken from the population registry (to tell at submission
    which were kept unchanged) and the key that makes starting it safe to retry."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="draft")
    prefilled = models.JSONField(
        default=dict, blank=True, help_text="Dotted form path -> value filled from the registry."
    )
    done = models.JSONField(default=list, blank=True, help_text="Pages saved without errors.")
    start_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")

    def __str__(self) -> str:
        return f"#{self.dossier_id}"


class DigitalTeamMember(models.Model):
    """A member of a commune's community digital team (Tổ công nghệ số cộng đồng), who may
    submit dossiers for citizens with their consent (assisted submission). Not an officer:
    membership gives no sight of the agency's dossiers, only of those the member submitted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digital_team"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Ủy ban nhân dân cấp xã thành lập tổ"),
    )
    team_name = models.CharField(_("tên tổ"), max_length=200, default="Tổ công nghệ số cộng đồng")
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("thành viên Tổ công nghệ số cộng đồng")
        verbose_name_plural = _("thành viên Tổ công nghệ số cộng đồng")

    def __str__(self) -> str:
        return f"{self.user} — {self.team_name}"


class ConsentCode(OneTimeCodeFields):
    """A one-time code sent to a citizen's phone: giving it to the person helping them is
    the citizen's consent to an assisted submission. Only a hash of the code is kept
    (core.onetime)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    id_number = models.CharField(max_length=12)
    phone = models.CharField(max_length=15)

    class Meta:
        verbose_name = _("mã xác nhận đồng ý")
        verbose_name_plural = _("mã xác nhận đồng ý")

    def __str__(self) -> str:
        return str(self.pk)
