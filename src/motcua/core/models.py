from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("History rows are append-only.")

    def delete(self):
        raise TypeError("History rows are append-only.")


class AppendOnly(models.Model):
    """A history row: inserted once, never updated or deleted (a dossier's `Event`, a
    feedback's `FeedbackEvent`)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("History rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("History rows are append-only.")


class PersonalDataRead(models.Model):
    """The audit row of a read of personal data: when and why (each table says who and
    what). Kept in the database, shown to whom it concerns, never written to the logs."""

    at = models.DateTimeField(_("thời điểm"))
    purpose = models.CharField(_("mục đích"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class User(AbstractUser):
    """Anyone who signs in: citizens (username = 12-digit ID number), officers, machines."""

    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    id_number = models.CharField(_("số CCCD"), max_length=12, unique=True, null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the API (docs/api.md, "Auth"). Only a SHA-256 hash of the token is
    stored: the token itself is shown once, when it is issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters, to tell tokens apart in the admin without revealing them.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class IdempotencyRecord(models.Model):
    """The first answer to a creating request sent with an `Idempotency-Key`.

    `owner` is "u<user id>" or "anon": a unique constraint over (owner, scope, key) is what
    makes a concurrent duplicate wait for the first request and then replay its answer
    (NULL user ids would not collide in a unique constraint, hence the string).
    """

    owner = models.CharField(max_length=32)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True)
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "scope", "key"], name="idempotency_unique_owner_scope_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
