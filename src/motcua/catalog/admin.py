"""Admin for catalog administrators: agencies, officer roles, sectors and procedures.

Procedures are saved through catalog.services: editing a published procedure creates a new
version; superseded and abolished versions are read-only history.
"""

import jsonschema
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.core.text import fold

from . import exchange, services
from .models import (
    AdministrativeUnit,
    Agency,
    ComponentSpec,
    Fee,
    LegalBasis,
    OfficerRole,
    Procedure,
    Sector,
    Step,
)

EDITABLE = (Procedure.Status.DRAFT, Procedure.Status.PUBLISHED)


def _domain_error_text(exc: DomainError) -> str:
    details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in (exc.fields or {}).items())
    return f"{exc.message} {details}".strip()


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """Loaded from vietnam-provinces (load_administrative_units): looked at, not edited."""

    list_display = ("code", "name", "division_type", "level", "province")
    list_filter = ("level",)
    search_fields = ("code", "name", "codename")
    list_select_related = ("province",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficerRoleInline(admin.TabularInline):
    model = OfficerRole
    extra = 0
    raw_id_fields = ("user",)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = (
            "code",
            "name",
            "short_name",
            "level",
            "parent",
            "unit",
            "is_active",
            "address",
            "hotline",
            "email",
            "website",
            "office_hours",
        )

    def clean_office_hours(self):
        try:
            return services.clean_office_hours(self.cleaned_data["office_hours"])
        except DomainError as exc:
            raise forms.ValidationError(_domain_error_text(exc)) from exc


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = ("code", "name", "level", "parent", "hotline", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent", "unit")
    inlines = [OfficerRoleInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "level", "parent", "unit", "is_active")}),
        (_("Liên hệ"), {"fields": ("address", "hotline", "email", "website", "office_hours")}),
    )


@admin.register(OfficerRole)
class OfficerRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role")
    list_filter = ("role", "agency__level")
    search_fields = ("user__username", "user__full_name", "agency__code", "agency__name")
    list_select_related = ("user", "agency")
    raw_id_fields = ("user",)
    autocomplete_fields = ("agency",)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "published_count")
    search_fields = ("code", "name", "name_en")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(published=Count("procedures", filter=Q(procedures__status="published")))
        )

    @admin.display(description=_("thủ tục đang áp dụng"), ordering="published")
    def published_count(self, obj):
        return obj.published

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def save_model(self, request, obj, form, change):
        # Through the service, so that a rename refreshes the procedures' search text.
        saved = services.upsert_sector(obj.code, obj.name, obj.name_en)
        obj.pk = saved.pk


# Inline model -> (key of the catalog dict, keys of one part).
PARTS = {
    LegalBasis: ("legal_bases", ("number", "title", "issuer", "issued_on", "effective_on")),
    ComponentSpec: (
        "components",
        (
            "name",
            "copies",
            "original_required",
            "required",
            "template_name",
            "digitization_required",
            "document_kind",
            "note",
        ),
    ),
    Fee: (
        "fees",
        (
            "name",
            "kind",
            "amount",
            "online_amount",
            "per_unit_field",
            "exemption_field",
            "exemption_values",
            "exemption_reason",
            "note",
        ),
    ),
    Step: ("steps", ("name", "role", "agency", "budget_hours", "inter_agency")),
}


class _ProcedurePartInline(admin.TabularInline):
    extra = 0

    def _editable(self, request, obj):
        return obj is None or obj.status in EDITABLE

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class LegalBasisInline(_ProcedurePartInline):
    model = LegalBasis
    fields = ("order", *PARTS[LegalBasis][1])


class ComponentInline(_ProcedurePartInline):
    model = ComponentSpec
    fields = ("order", *PARTS[ComponentSpec][1])


class FeeInline(_ProcedurePartInline):
    model = Fee
    fields = ("order", *PARTS[Fee][1])


class StepInline(_ProcedurePartInline):
    model = Step
    fields = ("order", *PARTS[Step][1])
    autocomplete_fields = ("agency",)


class ProcedureForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("kênh nộp"),
        choices=[
            ("counter", _("Trực tiếp")),
            ("online", _("Trực tuyến")),
            ("post", _("Bưu chính")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    applicant_kinds = forms.MultipleChoiceField(
        label=_("loại người nộp"),
        choices=[("citizen", _("Công dân")), ("organisation", _("Tổ chức"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Procedure
        fields = (
            "code",
            "name",
            "sector",
            "level",
            "agencies",
            "steps_text",
            "submission_text",
            "channels",
            "processing_time_value",
            "processing_time_unit",
            "cutoff_time",
            "processing_time_text",
            "applicant_text",
            "applicant_kinds",
            "requirements_text",
            "fee_text",
            "payment_due",
            "result_type",
            "result_is_document",
            "online_level",
            "full_process_eligible",
            "form_schema",
            "form_ui",
            "publication_decision",
            "publication_date",
            "made_public_at",
        )

    def clean_form_schema(self):
        schema = self.cleaned_data["form_schema"] or {}
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise forms.ValidationError(f"JSON Schema không hợp lệ: {exc.message}") from exc
        return schema


def _part(model, cleaned: dict) -> dict:
    _, keys = PARTS[model]
    part = {key: cleaned.get(key) for key in keys}
    if model is Step:
        part["agency"] = part["agency"].code if part["agency"] else None
    return part


def procedure_dict_from_forms(form, formsets, code: str) -> dict:
    """The catalog dict of what the admin form and its inlines hold."""
    f = form.cleaned_data
    cutoff = f.get("cutoff_time")
    data = {
        key: f[key]
        for key in form.fields
        if key
        not in (
            "code",
            "sector",
            "agencies",
            "processing_time_value",
            "processing_time_unit",
            "cutoff_time",
            "processing_time_text",
        )
    }
    data |= {
        "code": code,
        "sector": f["sector"].code,
        "agencies": [a.code for a in f["agencies"]],
        "processing_time": {
            "value": f["processing_time_value"],
            "unit": f["processing_time_unit"],
            "cutoff": cutoff.strftime("%H:%M") if cutoff else None,
            "text": f["processing_time_text"],
        },
    }
    for formset in formsets:
        model = formset.model
        rows = [
            (row.get("order") or 0, i, row)
            for i, row in enumerate(part.cleaned_data for part in formset.forms)
            if row and not row.get("DELETE")
        ]
        data[PARTS[model][0]] = [_part(model, row) for *_, row in sorted(rows, key=lambda r: r[:2])]
        # The service wrote the parts; tell the admin's change message there is nothing more.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    return data


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = ("code", "name", "version", "status", "sector", "level", "online_level")
    list_filter = (
        "status",
        "level",
        "online_level",
        "sector",
        ("agencies", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("code",)
    search_help_text = _("Tìm theo mã hoặc tên thủ tục, có dấu hay không dấu.")
    list_select_related = ("sector",)
    autocomplete_fields = ("agencies",)
    readonly_fields = ("version", "status", "previous_version", "created_at", "updated_at")
    inlines = [LegalBasisInline, ComponentInline, FeeInline, StepInline]
    actions = ["publish_selected", "abolish_selected", "export_xlsx", "export_csv"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("code", "version", "status"),
                    "name",
                    ("sector", "level"),
                    "agencies",
                    "previous_version",
                )
            },
        ),
        (
            _("Thực hiện"),
            {
                "fields": (
                    "steps_text",
                    "submission_text",
                    "channels",
                    ("online_level", "full_process_eligible"),
                    ("processing_time_value", "processing_time_unit", "cutoff_time"),
                    "processing_time_text",
                    "applicant_kinds",
                    "applicant_text",
                    "requirements_text",
                )
            },
        ),
        (_("Phí, lệ phí"), {"fields": ("fee_text", "payment_due")}),
        (_("Kết quả"), {"fields": ("result_type", "result_is_document")}),
        (_("Tờ khai điện tử"), {"fields": ("form_schema", "form_ui")}),
        (
            _("Công bố"),
            {
                "fields": (
                    ("publication_decision", "publication_date"),
                    "made_public_at",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = self.readonly_fields
        return (*fields, "code") if obj else fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # versions are history; drafts are deleted one by one
        return actions

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status in EDITABLE
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == Procedure.Status.DRAFT
        )

    def get_search_results(self, request, queryset, search_term):
        words = fold(search_term).split()
        if not words:
            return queryset, False
        matches = Q(code=search_term.strip())
        by_words = Q()
        for word in words:
            by_words &= Q(search_text__contains=word)
        return queryset.filter(matches | by_words), False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, _domain_error_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related hands the form and its inlines to the service at once."""

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        original = Procedure.objects.get(pk=obj.pk) if change else None
        code = original.code if original else form.cleaned_data["code"]
        data = procedure_dict_from_forms(form, formsets, code)
        if original is None:
            saved = services.create_draft(data, actor=request.user)
            self.message_user(request, _("Đã tạo bản nháp; dùng thao tác “Công bố” để áp dụng."))
        else:
            saved = services.revise_procedure(original, data, request.user)
            if saved.pk != original.pk:
                self.message_user(
                    request,
                    _("Đã tạo phiên bản %(version)s; phiên bản cũ được lưu làm lịch sử.")
                    % {"version": saved.version},
                )
        # The admin goes on (change message, redirect) with the version the service saved.
        for f in Procedure._meta.concrete_fields:
            setattr(obj, f.attname, getattr(saved, f.attname))
        obj._state.adding = False

    @admin.action(description=_("Công bố các bản nháp đã chọn"))
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, Procedure.Status.DRAFT, services.publish_procedure)

    @admin.action(description=_("Bãi bỏ các thủ tục đã chọn"))
    def abolish_selected(self, request, queryset):
        self._apply(request, queryset, Procedure.Status.PUBLISHED, services.abolish_procedure)

    def _apply(self, request, queryset, status, change):
        done = skipped = 0
        for procedure in queryset.order_by("code", "version"):
            if procedure.status != status:
                skipped += 1
                continue
            with transaction.atomic():
                change(procedure, actor=request.user)
            done += 1
        self.message_user(
            request,
            _("Đã xử lý %(done)s, bỏ qua %(skipped)s.") % {"done": done, "skipped": skipped},
        )

    def _export(self, queryset, fmt: str, content_type: str) -> HttpResponse:
        # Only current versions: an older one in the file would be imported as a change.
        content = exchange.export_catalog(fmt, queryset.filter(status=Procedure.Status.PUBLISHED))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="thu-tuc.{fmt}"'
        return response

    @admin.action(description=_("Xuất XLSX (các thủ tục đang áp dụng đã chọn)"))
    def export_xlsx(self, request, queryset):
        return self._export(
            queryset, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    @admin.action(description=_("Xuất CSV (các thủ tục đang áp dụng đã chọn)"))
    def export_csv(self, request, queryset):
        return self._export(queryset, "csv", "text/csv; charset=utf-8")
