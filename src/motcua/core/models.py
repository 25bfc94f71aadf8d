from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


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
