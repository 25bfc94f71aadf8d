"""The citizen's document vault ("kho dữ liệu điện tử"), the signed results and their
verification tokens, shares of a document and every read of it (docs/domain.md,
"Documents and results")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency
from motcua.core.models import PersonalDataRead
from motcua.dossiers.models import Dossier, StoredFile


class SignedResult(models.Model):
    """A result signed at `finish`: the file as attached, its stamped and signed copy, and
    the token of the public verification page its QR code opens."""

    token = models.CharField(max_length=64, unique=True)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="signed_results")
    original_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    signed_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    signer = models.CharField(_("người ký"), max_length=300)
    signed_at = models.DateTimeField(_("thời điểm ký"))

    class Meta:
        verbose_name = _("kết quả điện tử đã ký số")
        verbose_name_plural = _("kết quả điện tử đã ký số")
        indexes = [models.Index(fields=["dossier", "-signed_at"], name="signedresult_dossier")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.signed_at:%Y-%m-%d}"


class Kind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục")
    IDENTITY = "identity", _("Giấy tờ tùy thân")
    CERTIFICATE = "certificate", _("Văn bằng, chứng chỉ, giấy chứng nhận")
    OTHER = "other", _("Giấy tờ khác")


class Source(models.TextChoices):
    RESULT = "result", _("Kết quả của hồ sơ")
    UPLOAD = "upload", _("Tự tải lên")
    REGISTRY = "registry", _("Cơ sở dữ liệu quốc gia")


class VaultDocument(models.Model):
    """One document of a citizen's (or an organisation representative's) vault."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vault_documents"
    )
    kind = models.CharField(_("loại giấy tờ"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("tên giấy tờ"), max_length=300)
    issuer = models.CharField(_("cơ quan cấp"), max_length=300, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="vault_documents"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="vault_documents")
    hidden = models.BooleanField(_("đã ẩn"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("giấy tờ trong kho dữ liệu")
        indexes = [models.Index(fields=["owner", "-created_at"], name="vaultdoc_owner")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "dossier"],
                condition=models.Q(source="result"),
                name="vaultdoc_one_result_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def issued_by_agency(self) -> bool:
        """A result issued by an agency: its owner may hide it, never delete it."""
        return self.source == Source.RESULT


class Share(models.Model):
    """A link that serves one document to whoever holds it, until it expires or is revoked."""

    token = models.CharField(max_length=64, unique=True)
    document = models.ForeignKey(VaultDocument, on_delete=models.CASCADE, related_name="shares")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("liên kết chia sẻ")
        verbose_name_plural = _("liên kết chia sẻ")

    def __str__(self) -> str:
        return f"{self.document_id} → {self.expires_at:%Y-%m-%d %H:%M}"

    def live(self, now) -> bool:
        return self.revoked_at is None and now < self.expires_at


class ShareAccess(PersonalDataRead):
    """One opening of a share link: when, from where (an address prefix) and with what."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="accesses")
    ip_prefix = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta(PersonalDataRead.Meta):
        verbose_name = _("lượt mở liên kết chia sẻ")
        verbose_name_plural = _("lượt mở liên kết chia sẻ")
        indexes = [models.Index(fields=["share", "-at"], name="shareaccess_share")]

    def __str__(self) -> str:
        return f"{self.share_id} {self.at:%Y-%m-%d %H:%M}"


class DocumentRead(PersonalDataRead):
    """An officer's read of a vault document (a component taken from it), for the owner's
    access log."""

    document = models.ForeignKey(VaultDocument, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    role = models.CharField(max_length=100, blank=True)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta(PersonalDataRead.Meta):
        verbose_name = _("lượt cán bộ xem giấy tờ")
        verbose_name_plural = _("lượt cán bộ xem giấy tờ")
        indexes = [models.Index(fields=["document", "-at"], name="documentread_document")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.document_id} {self.at:%Y-%m-%d %H:%M}"
