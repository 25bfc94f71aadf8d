"""What a submission must satisfy before a dossier is created or submitted: the e-form
against its schema, the applicant and helper snapshots, the uploaded files and components,
the procedure and agency. Each check adds its Vietnamese messages to one `_Errors` per
request, so that the answer lists every field at once (422)."""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop

from motcua.accounts.queries import is_confirmed
from motcua.catalog.models import Agency, Procedure
from motcua.core import ids
from motcua.core.errors import AccountNotConfirmed, ValidationFailed

from ..hooks import vault_documents
from ..models import StoredFile
from ..procedures import compile_validator


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self, message: str = "Hồ sơ chưa hợp lệ.") -> None:
        if self.fields:
            raise ValidationFailed(message, fields=self.fields)


# Marked for the catalog: the API answers in Vietnamese, the portal shows them translated.
_SCHEMA_MESSAGES = {
    "required": gettext_noop("Bắt buộc nhập."),
    "type": gettext_noop("Sai kiểu dữ liệu."),
    "enum": gettext_noop("Giá trị không nằm trong danh sách cho phép."),
    "const": gettext_noop("Giá trị không hợp lệ."),
    "minLength": gettext_noop("Quá ngắn."),
    "maxLength": gettext_noop("Quá dài."),
    "pattern": gettext_noop("Không đúng định dạng."),
    "format": gettext_noop("Không đúng định dạng."),
    "minimum": gettext_noop("Giá trị quá nhỏ."),
    "exclusiveMinimum": gettext_noop("Giá trị quá nhỏ."),
    "maximum": gettext_noop("Giá trị quá lớn."),
    "exclusiveMaximum": gettext_noop("Giá trị quá lớn."),
    "minItems": gettext_noop("Chưa đủ số mục."),
    "maxItems": gettext_noop("Quá nhiều mục."),
    "additionalProperties": gettext_noop("Có trường không được khai báo."),
}


def validate_form(schema: dict, form, errors: _Errors, *, validator=None) -> None:
    """The e-form against the procedure's JSON Schema; one Vietnamese message per field.
    `validator`: the schema's compiled validator when the caller keeps one."""
    if not isinstance(form, dict):
        errors.add("form", "Tờ khai phải là một đối tượng JSON.")
        return
    if not schema:
        return
    validator = validator or compile_validator(schema)
    for error in validator.iter_errors(form):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path.append(missing)
        field = ".".join(["form", *[p for p in path if p]])
        message = _SCHEMA_MESSAGES.get(error.validator, gettext_noop("Giá trị không hợp lệ."))
        if message not in errors.fields.get(field, []):
            errors.add(field, message)


def clean_applicant(data, errors: _Errors, *, user=None) -> dict:
    """The applicant snapshot. A signed-in citizen's name and ID number come from the
    account, not from what the request says."""
    data = data if isinstance(data, dict) else {}
    kind = data.get("kind") or "citizen"
    if kind not in ("citizen", "organisation"):
        errors.add("applicant.kind", "Phải là citizen hoặc organisation.")
        kind = "citizen"
    snapshot = {"kind": kind}

    def text(key: str, max_length: int = 200) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            errors.add(f"applicant.{key}", "Phải là chuỗi ký tự.")
            return ""
        value = value.strip()
        if len(value) > max_length:
            errors.add(f"applicant.{key}", f"Tối đa {max_length} ký tự.")
        return value

    full_name = text("full_name")
    id_number = text("id_number", 12)
    if user is not None and kind == "citizen":
        full_name = user.full_name or full_name or user.get_username()
        id_number = user.id_number or id_number
    if not full_name:
        errors.add("applicant.full_name", "Bắt buộc nhập.")
    snapshot["full_name"] = full_name
    if kind == "citizen":
        if not ids.is_id_number(id_number):
            errors.add("applicant.id_number", str(ids.ID_NUMBER_MESSAGE))
        snapshot["id_number"] = id_number
    else:
        tax_code = text("tax_code", 14)
        if not ids.is_tax_code(tax_code):
            errors.add("applicant.tax_code", str(ids.TAX_CODE_MESSAGE))
        snapshot["tax_code"] = tax_code
        if user is not None:
            snapshot["representative"] = user.full_name or user.get_username()
        else:  # at the counter: the person who brought the organisation's dossier
            snapshot["representative"] = text("representative")
    phone = ids.normalise_phone(text("phone", 20)) or (getattr(user, "phone", "") if user else "")
    if phone and not ids.is_phone(phone):
        errors.add("applicant.phone", "Số điện thoại không hợp lệ.")
    email = text("email", 254) or (getattr(user, "email", "") if user else "")
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.add("applicant.email", "Địa chỉ thư điện tử không hợp lệ.")
    snapshot.update(phone=phone, email=email, address=text("address", 300))
    return snapshot


def clean_helper(data, errors: _Errors) -> dict:
    if not data:
        return {}
    if not isinstance(data, dict):
        errors.add("helper", "Phải là một đối tượng JSON.")
        return {}
    name = data.get("full_name")
    if not isinstance(name, str) or not name.strip():
        errors.add("helper.full_name", "Bắt buộc nhập.")
    if data.get("consent") is not True:
        errors.add("helper.consent", "Cần có sự đồng ý của người nộp hồ sơ.")
    return {
        "full_name": (name or "").strip() if isinstance(name, str) else "",
        "role": str(data.get("role") or "")[:100],
        "organisation": str(data.get("organisation") or "")[:200],
        "consent": data.get("consent") is True,
    }


def published(procedure_code) -> Procedure:
    procedure = (
        Procedure.objects.filter(code=procedure_code, status=Procedure.Status.PUBLISHED)
        .prefetch_related("components", "agencies")
        .first()
    )
    if procedure is None:
        raise ValidationFailed(
            "Thủ tục không tồn tại hoặc không còn áp dụng.",
            fields={"procedure": ["Thủ tục không tồn tại hoặc không còn áp dụng."]},
        )
    return procedure


def agency_of(procedure: Procedure, agency_code) -> Agency:
    for agency in procedure.agencies.all():
        if agency.code == agency_code and agency.is_active:
            return agency
    raise ValidationFailed(
        "Cơ quan này không thực hiện thủ tục.",
        fields={"agency": ["Cơ quan này không thực hiện thủ tục."]},
    )


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def files_for(components, owner, errors: _Errors, field: str = "components") -> list[tuple]:
    """[(spec_id, StoredFile, item)] from `[{spec_id, file_id, ...}]`: the owner's own
    uploads, not yet attached anywhere (locked so two dossiers cannot take the same file)."""
    if components is None:
        return []
    if not isinstance(components, list):
        errors.add(field, "Phải là một danh sách.")
        return []
    wanted: dict[int, uuid.UUID] = {}
    taken: dict[int, tuple] = {}
    for index, item in enumerate(components):
        if not isinstance(item, dict):
            errors.add(f"{field}.{index}", "Phải là một đối tượng JSON.")
        elif item.get("vault_document_id"):
            # Taken from the owner's vault (someone else's id is a 404): the vault keeps the
            # file, the dossier's component points at it and is flagged `reused`.
            stored = vault_documents().take(owner, item["vault_document_id"])
            taken[index] = (item.get("spec_id"), stored, item | {"from_vault": True})
        elif (file_id := _uuid_or_none(item.get("file_id"))) is None:
            errors.add(f"{field}.{index}.file_id", "Bắt buộc chọn tệp đã tải lên.")
        else:
            wanted[index] = file_id
    found = {}
    if wanted:
        found = {
            f.pk: f
            for f in StoredFile.objects.select_for_update().filter(
                pk__in=set(wanted.values()), owner=owner
            )
        }
    result = []
    for index, file_id in wanted.items():
        stored = found.get(file_id)
        if stored is None:
            errors.add(f"{field}.{index}.file_id", "Không tìm thấy tệp đã tải lên.")
        elif stored.attached or file_id in {s.pk for _, s, _ in result}:
            errors.add(f"{field}.{index}.file_id", "Tệp đã được dùng cho hồ sơ khác.")
        else:
            result.append((components[index].get("spec_id"), stored, components[index]))
    return result + [taken[index] for index in sorted(taken)]


def check_components(procedure: Procedure, given: list[tuple], errors: _Errors) -> None:
    specs = {spec.pk: spec for spec in procedure.components.all()}
    present = set()
    for index, (spec_id, _stored, _item) in enumerate(given):
        if spec_id not in specs:
            errors.add(f"components.{index}.spec_id", "Không thuộc thành phần hồ sơ của thủ tục.")
        present.add(spec_id)
    for spec in specs.values():
        if spec.required and spec.pk not in present:
            errors.add("components", f"Thiếu thành phần hồ sơ bắt buộc: {spec.name}.")


def check_kind(procedure: Procedure, snapshot: dict, errors: _Errors) -> None:
    kinds = procedure.applicant_kinds
    if kinds and snapshot["kind"] not in kinds:
        errors.add("applicant.kind", "Thủ tục không dành cho loại người nộp này.")


def require_confirmed_account(user) -> None:
    """An account opened online submits once its phone or e-mail is confirmed by code (or it
    signed in through the national identity provider); until then it may keep drafts."""
    if user is not None and not is_confirmed(user):
        raise AccountNotConfirmed()
