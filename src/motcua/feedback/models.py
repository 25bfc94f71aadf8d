"""Feedback from citizens (docs/architecture.md, "The apps"). For now the satisfaction rating
(đánh giá mức độ hài lòng) of a dossier's handling; complaints (PAKN) come later.

A rating is not an `Event` of the dossier: the history records what the agencies and the
applicant did to the dossier (and feeds timeliness, the control slip and notifications), and
a rating changes nothing of that. It lives here, one row per dossier, with its own times.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

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
