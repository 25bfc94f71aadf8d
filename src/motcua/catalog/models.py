"""Agencies, places, sectors and the procedure catalog (definitions, not instances)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStamped

from .codes import validate_agency_code, validate_procedure_code

DEFAULT_OFFICE_HOURS = [["08:00", "12:00"], ["13:00", "17:00"]]


def default_office_hours() -> list[list[str]]:
    return [list(period) for period in DEFAULT_OFFICE_HOURS]


class AdministrativeUnit(models.Model):
    """Province or commune (two-level local government since 1 July 2025)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    codename = models.CharField(max_length=200, blank=True)
    province = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("tỉnh"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return self.name


class Agency(TimeStamped):
    class Level(models.TextChoices):
        MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
        PROVINCE = "province", _("UBND cấp tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE = "commune", _("UBND cấp xã")

    code = models.CharField(
        _("mã định danh"), max_length=35, unique=True, validators=[validate_agency_code]
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    level = models.CharField(_("cấp"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("đơn vị hành chính"),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    hotline = models.CharField(_("đường dây nóng"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    office_hours = models.JSONField(
        _("giờ làm việc"),
        default=default_office_hours,
        help_text=_(
            'Các khoảng giờ làm việc trong ngày, ví dụ [["08:00", "12:00"], ["13:00", "17:00"]].'
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self) -> str:
        return self.name


class OfficerRole(models.Model):
    """A role an officer holds in one agency; officers see only their agencies' dossiers."""

    class Role(models.TextChoices):
        RECEPTION = "reception", _("Tiếp nhận và trả kết quả")
        SPECIALIST = "specialist", _("Chuyên viên xử lý")
        HEAD = "head", _("Lãnh đạo phòng")
        LEADER = "leader", _("Lãnh đạo đơn vị")
        CATALOG_ADMIN = "catalog_admin", _("Quản trị thủ tục")
        MONITOR = "monitor", _("Theo dõi, thống kê")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_roles"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="officer_roles")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_officer_role")
        ]
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency.code}"


class Sector(models.Model):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    IN_DAY = "in_day", _("trong ngày")


class Procedure(TimeStamped):
    """One version of an administrative procedure (TTHC).

    Editing a published procedure makes a new version (catalog.services); dossiers keep the
    version they started with.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đang áp dụng")
        SUPERSEDED = "superseded", _("Đã thay thế")
        ABOLISHED = "abolished", _("Đã bãi bỏ")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Cấp Trung ương")
        PROVINCE = "province", _("Cấp Tỉnh")
        COMMUNE = "commune", _("Cấp Xã")

    class OnlineLevel(models.TextChoices):
        NONE = "none", _("Không trực tuyến")
        PARTIAL = "partial", _("Trực tuyến một phần")
        FULL = "full", _("Trực tuyến toàn trình")

    class PaymentDue(models.TextChoices):
        AT_SUBMISSION = "at_submission", _("Khi nộp hồ sơ")
        BEFORE_PROCESSING = "before_processing", _("Trước khi xử lý")
        BEFORE_RESULT = "before_result", _("Trước khi trả kết quả")

    code = models.CharField(
        _("mã thủ tục"), max_length=20, validators=[validate_procedure_code], db_index=True
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    previous_version = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    search_text = models.TextField(
        editable=False, default="", help_text="Folded name, code and sector for search."
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    agencies = models.ManyToManyField(
        Agency, related_name="procedures", verbose_name=_("cơ quan thực hiện")
    )
    steps_text = models.TextField(_("trình tự thực hiện"), blank=True)
    submission_text = models.TextField(_("cách thức thực hiện"), blank=True)
    channels = models.JSONField(
        _("kênh nộp"),
        default=list,
        blank=True,
        help_text=_('Danh sách trong "online", "counter", "post".'),
    )
    processing_time_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    cutoff_time = models.TimeField(
        _("giờ chốt tiếp nhận"),
        null=True,
        blank=True,
        help_text=_(
            "Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo (thủ tục trong ngày)."
        ),
    )
    processing_time_text = models.CharField(_("thời hạn (như công bố)"), max_length=500, blank=True)
    applicant_text = models.TextField(_("đối tượng thực hiện"), blank=True)
    applicant_kinds = models.JSONField(
        _("loại người nộp"),
        default=list,
        blank=True,
        help_text=_('Danh sách trong "citizen", "organisation".'),
    )
    requirements_text = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    fee_text = models.TextField(_("phí, lệ phí (như công bố)"), blank=True)
    payment_due = models.CharField(
        _("thời điểm nộp phí"),
        max_length=20,
        choices=PaymentDue.choices,
        default=PaymentDue.AT_SUBMISSION,
    )
    result_type = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    result_is_document = models.BooleanField(_("kết quả là văn bản, giấy tờ"), default=True)
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    full_process_eligible = models.BooleanField(
        _("đủ điều kiện trực tuyến toàn trình"), default=False
    )
    form_schema = models.JSONField(_("tờ khai điện tử (JSON Schema)"), default=dict, blank=True)
    form_ui = models.JSONField(_("bố cục tờ khai"), default=dict, blank=True)
    publication_decision = models.CharField(_("quyết định công bố"), max_length=200, blank=True)
    publication_date = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    made_public_at = models.DateTimeField(_("ngày công khai trên hệ thống"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        indexes = [
            # The public list: published rows in name order (search_text starts with the name).
            models.Index(fields=["status", "search_text"], name="procedure_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_procedure_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="published"),
                name="one_published_version_per_procedure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class LegalBasis(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(_("số, ký hiệu"), max_length=100)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ComponentSpec(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1)
    original_required = models.BooleanField(_("bản chính"), default=False)
    required = models.BooleanField(_("bắt buộc"), default=True)
    template_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=200, blank=True)
    digitization_required = models.BooleanField(_("bắt buộc số hóa"), default=False)
    document_kind = models.CharField(
        _("loại giấy tờ (để lấy từ kho dữ liệu)"),
        max_length=12,
        blank=True,
        choices=[
            ("identity", _("Giấy tờ tùy thân")),
            ("certificate", _("Văn bằng, chứng chỉ, giấy chứng nhận")),
            ("result", _("Kết quả giải quyết thủ tục")),
            ("other", _("Giấy tờ khác")),
        ],
        help_text=_("Giấy tờ trong kho dữ liệu của công dân cùng loại này được gợi ý dùng lại."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    class Kind(models.TextChoices):
        FEE = "fee", _("Phí")
        CHARGE = "charge", _("Lệ phí")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên khoản thu"), max_length=300)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, default=Kind.CHARGE)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    online_amount = models.PositiveBigIntegerField(
        _("mức thu khi nộp trực tuyến (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu như mức thu thông thường."),
    )
    per_unit_field = models.CharField(
        _("nhân theo trường tờ khai"),
        max_length=100,
        blank=True,
        help_text=_("Tên trường của tờ khai (ví dụ số bản sao) mà mức thu được nhân theo."),
    )
    exemption_field = models.CharField(
        _("miễn theo trường tờ khai"),
        max_length=100,
        blank=True,
        help_text=_(
            "Tên trường của tờ khai (có thể có dấu chấm, ví dụ requester.poor_household) mà "
            "câu trả lời quyết định việc miễn khoản thu."
        ),
    )
    exemption_values = models.JSONField(
        _("câu trả lời được miễn"),
        default=list,
        blank=True,
        help_text=_(
            "Các câu trả lời được miễn (ví dụ các nhóm đối tượng); để trống nếu trường là câu "
            "hỏi có/không và câu trả lời “có” được miễn."
        ),
    )
    exemption_reason = models.CharField(
        _("lý do miễn"),
        max_length=500,
        blank=True,
        help_text=_("Đối tượng được miễn và căn cứ pháp lý, hiển thị cho người nộp."),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} đ"


class Step(models.Model):
    """One step of the procedure's internal process (quy trình nội bộ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò"), max_length=20, choices=OfficerRole.Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
        help_text=_("Để trống: cơ quan tiếp nhận hồ sơ."),
    )
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"), max_digits=7, decimal_places=2
    )
    inter_agency = models.BooleanField(_("liên thông"), default=False)

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
