"""Accounts: organisations and who represents them, confirmation of contacts by one-time
codes, verified national identities (OpenID Connect)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import ids
from motcua.core.models import TimeStamped
from motcua.core.onetime import OneTimeCodeFields


def validate_tax_code(value: str) -> None:
    if not ids.is_tax_code(value):
        raise ValidationError(ids.TAX_CODE_MESSAGE, code="tax_code")


class Organisation(TimeStamped):
    """An enterprise, cooperative or other organisation, known by its tax code (mã số thuế)."""

    tax_code = models.CharField(
        _("mã số thuế"), max_length=14, unique=True, validators=[validate_tax_code]
    )
    name = models.CharField(_("tên tổ chức"), max_length=300)
    address = models.CharField(_("địa chỉ trụ sở"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"


class Representation(models.Model):
    """A user acting for an organisation (người đại diện). Declared by the user; an officer
    may mark it verified after seeing the papers."""

    class Status(models.TextChoices):
        DECLARED = "declared", _("Tự khai báo")
        VERIFIED = "verified", _("Đã xác minh")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representations"
    )
    title = models.CharField(_("chức vụ"), max_length=150)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DECLARED
    )
    declared_at = models.DateTimeField(_("ngày khai báo"))

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="representation_unique_user_organisation"
            )
        ]
        verbose_name = _("người đại diện tổ chức")
        verbose_name_plural = _("người đại diện tổ chức")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class Verification(models.Model):
    """What an account proved, for accounts opened online (by sign-up or through the national
    identity provider). Accounts opened by staff (officers, the counter, the demo) have none:
    their contacts were checked in person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification"
    )
    # The contact values a one-time code reached; a contact changed later is unconfirmed.
    confirmed_phone = models.CharField(_("số điện thoại đã xác nhận"), max_length=15, blank=True)
    confirmed_email = models.EmailField(_("thư điện tử đã xác nhận"), blank=True)
    # Signed in through the national identity provider (indicator 5.6).
    identity_verified_at = models.DateTimeField(
        _("định danh đã xác thực lúc"), null=True, blank=True
    )
    identity_provider = models.CharField(_("nhà cung cấp định danh"), max_length=200, blank=True)
    identity_subject = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identity_provider", "identity_subject"],
                condition=~models.Q(identity_subject=""),
                name="verification_unique_identity",
            )
        ]
        verbose_name = _("xác thực tài khoản")
        verbose_name_plural = _("xác thực tài khoản")

    def __str__(self) -> str:
        return str(self.user)


class OneTimeCode(OneTimeCodeFields):
    """A 6-digit code sent to a phone or e-mail; only a keyed hash of it is kept
    (core.onetime)."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", _("Xác nhận liên hệ")
        RESET = "reset", _("Đặt lại mật khẩu")
        # A new phone or e-mail, sent to it before it replaces the account's.
        NEW_PHONE = "newphone", _("Đổi số điện thoại")
        NEW_EMAIL = "newemail", _("Đổi thư điện tử")

    class Channel(models.TextChoices):
        SMS = "sms", _("Tin nhắn SMS")
        EMAIL = "email", _("Thư điện tử")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=254)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "-created_at"], name="otc_latest")]
        verbose_name = _("mã xác nhận")
        verbose_name_plural = _("mã xác nhận")

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"


# The purpose of the code that proves a new contact, per channel: one change per channel may
# wait for its code at a time, and a new phone and a new e-mail may wait together.
CHANGE_PURPOSES = {
    OneTimeCode.Channel.SMS: OneTimeCode.Purpose.NEW_PHONE,
    OneTimeCode.Channel.EMAIL: OneTimeCode.Purpose.NEW_EMAIL,
}
