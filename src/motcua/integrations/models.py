"""Notifications: the outbox of messages to send (written in the transaction of the change
that caused them) and the in-portal notification centre."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import PersonalDataRead
from motcua.dossiers.models import Dossier, Event


class OutboxMessage(models.Model):
    """A message to deliver after commit; retried with backoff until sent or given up."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")
        PORTAL = "portal", _("Cổng dịch vụ công")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    # None for news that is not about a dossier (feedback, feedback_notices.py).
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox_messages"
    )
    # No database constraint: the history is guarded by its hash chain (`verify_events`
    # names a missing event), and what was told about an event stays on record regardless.
    event = models.ForeignKey(
        Event,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text='Documents rendered at delivery: [{"kind": "receipt", "id": 12}] (see '
        "notifications.ATTACHMENTS).",
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a failed message is tried again (None: given up)."
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("thông báo chờ gửi")
        verbose_name_plural = _("thông báo chờ gửi")

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.status}"


class Notification(models.Model):
    """An entry of a user's in-portal notification centre."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="notifications",
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")
        ]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        return self.title


class LocalResident(models.Model):
    """A resident of the local population registry (`POPULATION_REGISTRY=local`): the demo
    residents, or a test's. `household` lists the other members as this resident's registry
    entry shows them, each with what they are to this resident."""

    class Sex(models.TextChoices):
        MALE = "Nam", _("Nam")
        FEMALE = "Nữ", _("Nữ")

    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=3, choices=Sex.choices)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    nationality = models.CharField(_("quốc tịch"), max_length=50, default="Việt Nam")
    permanent_address = models.CharField(_("nơi thường trú"), max_length=300, blank=True)
    current_address = models.CharField(_("nơi ở hiện tại"), max_length=300, blank=True)
    household = models.JSONField(
        _("thành viên hộ"),
        default=list,
        blank=True,
        help_text="[{id_number, full_name, relationship, date_of_birth (YYYY-MM-DD)}]",
    )

    class Meta:
        ordering = ["id_number"]
        verbose_name = _("công dân (cơ sở dữ liệu dân cư cục bộ)")
        verbose_name_plural = _("công dân (cơ sở dữ liệu dân cư cục bộ)")

    def __str__(self) -> str:
        return self.full_name

    def as_resident(self):
        from datetime import date

        from .plugins.population.base import Resident

        return Resident(
            id_number=self.id_number,
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            ethnicity=self.ethnicity,
            nationality=self.nationality,
            permanent_address=self.permanent_address,
            current_address=self.current_address,
            household=[
                {
                    "id_number": member.get("id_number", ""),
                    "full_name": member.get("full_name", ""),
                    "relationship": member.get("relationship", ""),
                    "date_of_birth": (
                        date.fromisoformat(member["date_of_birth"])
                        if member.get("date_of_birth")
                        else None
                    ),
                }
                for member in self.household or []
            ],
        )


class RegistryLookup(PersonalDataRead):
    """Who looked up whom in the population registry, when and why (the audit of a read of
    personal data; the logs never carry it)."""

    class Outcome(models.TextChoices):
        FOUND = "found", _("Có dữ liệu")
        NOT_FOUND = "not_found", _("Không có dữ liệu")
        UNAVAILABLE = "unavailable", _("Không kết nối được")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tra cứu"),
    )
    id_number = models.CharField(_("số định danh được tra cứu"), max_length=12)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices)

    class Meta(PersonalDataRead.Meta):
        indexes = [models.Index(fields=["id_number", "-at"], name="registrylookup_person")]
        verbose_name = _("lượt tra cứu dữ liệu dân cư")
        verbose_name_plural = _("lượt tra cứu dữ liệu dân cư")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome}"
