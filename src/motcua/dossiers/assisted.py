"""Assisted submission (issue 4, item 8; docs/domain.md "Channels"): a member of a commune's
community digital team (Tổ công nghệ số cộng đồng, `DigitalTeamMember`) or a reception
officer on a home visit submits a dossier for a citizen, with the citizen's consent.

Rules:
- who may assist: `can_assist(user)`: an active digital team member, or an officer holding
  the reception role somewhere; anyone else is refused (403 forbidden);
- consent is recorded with how it was given (`CONSENT_METHODS`): a signed paper form,
  scanned (`consent_file_id`, an upload of the helper's); consent given in person
  (`in_person`, with an optional note, e.g. who witnessed it); or a one-time code sent to the
  citizen's phone (`request_consent_code`) that the citizen reads to the helper
  (`consent_code_id` + `consent_code`; 10 minutes, 5 tries, used once);
- the dossier belongs to the citizen: the applicant is the citizen (named from the
  population registry when it answers, else from their account, else as the helper typed
  it), `applicant_user` is the citizen's account when one exists, so it shows in their
  "my dossiers"; `helper_user` is the helper, who sees the dossier too (queries.can_see)
  and may submit and supplement it, never withdraw it (that is the citizen's decision).

The submission services take `on_behalf_of=<the citizen's ID number>` and `helper={...}`
(the consent fields above); the signed-in user who submits is the helper.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from motcua.catalog.models import OfficerRole
from motcua.core import ids, onetime
from motcua.core.errors import DomainError, Forbidden, RateLimited, ValidationFailed
from motcua.core.messaging import DeliveryFailed, mask_phone, send_now

from .models import ConsentCode, DigitalTeamMember
from .residents import RegistryUnavailable, Resident, population_registry

CONSENT_METHODS = {
    "paper": _("Phiếu đồng ý có chữ ký của công dân (bản quét)"),
    "in_person": _("Công dân đồng ý trực tiếp khi có mặt"),
    "otp": _("Công dân đọc mã xác nhận gửi tới điện thoại của mình"),
}
TEAM_ROLE = "community_digital_team"
OFFICER_ROLE = "officer"
ROLE_LABELS = {
    TEAM_ROLE: "Thành viên Tổ công nghệ số cộng đồng",
    OFFICER_ROLE: "Cán bộ tiếp nhận hỗ trợ tại nhà",
}
CODE_MINUTES = 10
# Codes sent in a window of ten minutes: to one citizen (whoever asks: their phone is not
# to be flooded) and by one helper (a commune session helps many citizens in a row).
CODE_SEND_WINDOW = timedelta(minutes=10)
CODE_SENDS_PER_CITIZEN = 3
CODE_SENDS_PER_HELPER = 20
CODE_TRIES = 5
LOOKUP_PURPOSE = "Nộp hồ sơ hộ công dân"
CONSENT_COMPONENT = "Phiếu đồng ý nhờ người hỗ trợ nộp hồ sơ (bản quét)"


class SmsUnavailable(DomainError):
    status = 503
    code = "delivery_failed"  # as the accounts' one-time codes say it
    message = gettext_noop(
        "Chưa gửi được tin nhắn tới điện thoại của công dân. Vui lòng thử lại sau."
    )


def _team(user):
    return DigitalTeamMember.objects.filter(user=user, active=True).select_related("agency").first()


def _reception_role(user):
    return (
        OfficerRole.objects.filter(user=user, role=OfficerRole.Role.RECEPTION)
        .select_related("agency")
        .order_by("id")
        .first()
    )


def can_assist(user) -> bool:
    """Whether the user may submit dossiers for citizens (with their consent)."""
    if user is None or not user.is_authenticated:
        return False
    return _team(user) is not None or _reception_role(user) is not None


def assister(user) -> dict:
    """Who the helper is, as the dossier records it; Forbidden if they may not assist."""
    if user is not None and user.is_authenticated:
        team = _team(user)
        if team is not None:
            return {
                "role": TEAM_ROLE,
                "role_label": ROLE_LABELS[TEAM_ROLE],
                "organisation": f"{team.team_name} — {team.agency.name}",
            }
        officer = _reception_role(user)
        if officer is not None:
            return {
                "role": OFFICER_ROLE,
                "role_label": ROLE_LABELS[OFFICER_ROLE],
                "organisation": officer.agency.name,
            }
    raise Forbidden(
        "Chỉ thành viên Tổ công nghệ số cộng đồng hoặc cán bộ tiếp nhận mới được nộp hồ sơ hộ "
        "công dân."
    )


def _citizen_id(on_behalf_of, helper) -> str:
    value = on_behalf_of.strip() if isinstance(on_behalf_of, str) else ""
    if not ids.is_id_number(value):
        raise ValidationFailed(fields={"on_behalf_of": [str(ids.ID_NUMBER_MESSAGE)]})
    if value == (helper.id_number or ""):
        raise ValidationFailed(
            fields={
                "on_behalf_of": [
                    gettext_noop("Không thể nộp hồ sơ hộ chính mình; hãy nộp như công dân.")
                ]
            }
        )
    return value


CODE_SALT = "motcua.dossiers.consent-code"
# What a refused code is told (core.onetime.check's reasons, and a code never sent).
CODE_PROBLEMS = {
    "not_sent": gettext_noop("Không tìm thấy mã xác nhận đã gửi cho công dân này."),
    onetime.USED: gettext_noop("Mã xác nhận đã được dùng."),
    onetime.EXPIRED: gettext_noop("Mã xác nhận đã hết hạn. Hãy gửi mã mới."),
    onetime.TOO_MANY: gettext_noop("Đã nhập sai quá số lần cho phép. Hãy gửi mã mới."),
    onetime.WRONG: gettext_noop("Mã xác nhận không đúng."),
}


# --------------------------------------------------------------------- one-time consent code


def request_consent_code(
    helper, on_behalf_of: str, *, phone: str = "", now: datetime | None = None
) -> ConsentCode:
    """Send the citizen a one-time code; reading it to the helper is their consent. The
    code goes to the phone of the citizen's account when they have one (not one the helper
    chooses), else to `phone`."""
    now = now or timezone.now()
    profile = assister(helper)
    citizen_id = _citizen_id(on_behalf_of, helper)
    citizen = get_user_model().objects.filter(id_number=citizen_id).first()
    target = (citizen.phone if citizen and citizen.phone else "") or ids.normalise_phone(
        phone or ""
    )
    if not ids.is_phone(target):
        raise ValidationFailed(
            fields={"phone": [gettext_noop("Cần số điện thoại của công dân để gửi mã xác nhận.")]}
        )
    _check_send_rate(helper, citizen_id, now)
    code = onetime.new_code()
    row = ConsentCode(
        id=uuid.uuid4(),
        helper=helper,
        id_number=citizen_id,
        phone=target,
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    row.code_hash = onetime.code_hash(CODE_SALT, str(row.pk), code)
    row.save()
    name = helper.full_name or helper.get_username()
    text = (
        f"Ma xac nhan {code}: ban dong y de {name} ({profile['role_label']}) nop ho so dich vu "
        f"cong thay ban. Ma co hieu luc {CODE_MINUTES} phut. Khong dua ma neu ban khong dong y."
    )
    try:
        # Sent at once, never through the outbox: a code must not sit readable in a table.
        send_now("sms", target, "", text, reference=f"consent-{row.pk}")
    except DeliveryFailed:
        row.delete()
        raise SmsUnavailable() from None
    return row


def _check_send_rate(helper, citizen_id: str, now: datetime) -> None:
    """RateLimited past the codes allowed in the window, for the API and the pages alike.
    Counted from the codes sent (a code the gateway refused is deleted, so not counted);
    two racing requests may both pass, which costs one SMS more at most per request."""
    recent = ConsentCode.objects.filter(created_at__gt=now - CODE_SEND_WINDOW)
    if (
        recent.filter(id_number=citizen_id).count() >= CODE_SENDS_PER_CITIZEN
        or recent.filter(helper=helper).count() >= CODE_SENDS_PER_HELPER
    ):
        raise RateLimited(
            gettext_noop("Đã gửi mã nhiều lần liền. Hãy đợi vài phút rồi gửi lại."),
            retry_after=int(CODE_SEND_WINDOW.total_seconds()),
        )


def masked_phone(row: ConsentCode) -> str:
    return mask_phone(row.phone)


def _check_code(helper, citizen_id: str, code_id, code, now: datetime) -> uuid.UUID:
    """Check the code the citizen read out; a wrong try counts even when the submission
    fails afterwards (its own transaction), so guessing stops after CODE_TRIES."""
    try:
        code_id = uuid.UUID(str(code_id))
    except ValueError:
        raise ValidationFailed(
            fields={"helper.consent_code_id": [gettext_noop("Mã xác nhận không hợp lệ.")]}
        ) from None
    with transaction.atomic():
        row = (
            ConsentCode.objects.select_for_update()
            .filter(pk=code_id, helper=helper, id_number=citizen_id)
            .first()
        )
        problem = "not_sent"
        if row is not None:
            problem = onetime.check(
                row, code, salt=CODE_SALT, bound_to=str(row.pk), now=now, max_tries=CODE_TRIES
            )
    if problem:
        raise ValidationFailed(
            gettext_noop("Chưa xác nhận được sự đồng ý của công dân."),
            fields={"helper.consent_code": [CODE_PROBLEMS[problem]]},
        )
    return code_id


def use_code(code_id: uuid.UUID, now: datetime) -> None:
    """Inside the submission's transaction: the code is spent with the dossier it allowed
    (a concurrent second submission with the same code finds it used)."""
    spent = ConsentCode.objects.filter(pk=code_id, used_at__isnull=True).update(used_at=now)
    if not spent:
        raise ValidationFailed(
            fields={"helper.consent_code": [gettext_noop("Mã xác nhận đã được dùng.")]}
        )


# ------------------------------------------------------------------------------ submission


@dataclass
class Assistance:
    """An assisted submission, checked before the submission's transaction."""

    helper: object
    citizen_id: str
    citizen: object | None
    resident: Resident | None
    snapshot: dict
    consent_file_id: str | None = None
    consent_code_id: uuid.UUID | None = None

    def applicant_data(self, given) -> dict:
        """What `clean_applicant` gets: the citizen, named by the registry when it answers,
        else by their account, else as the helper typed it; contact details as given, else
        the account's."""
        data = {k: v for k, v in (given if isinstance(given, dict) else {}).items() if v}
        data.update(kind="citizen", id_number=self.citizen_id)
        if self.resident is not None:
            data["full_name"] = self.resident.full_name
            data.setdefault(
                "address", self.resident.current_address or self.resident.permanent_address
            )
        elif self.citizen is not None and self.citizen.full_name:
            data["full_name"] = self.citizen.full_name
        if self.citizen is not None:
            data.setdefault("phone", self.citizen.phone or None)
            data.setdefault("email", self.citizen.email or None)
        return data


def prepare(helper, on_behalf_of, data, *, now: datetime) -> Assistance:
    """Check who helps, for whom, and the consent; look the citizen up in the registry.
    Forbidden (403) for someone who may not assist; ValidationFailed (422) otherwise."""
    profile = assister(helper)
    citizen_id = _citizen_id(on_behalf_of, helper)
    data = data if isinstance(data, dict) else {}
    method = data.get("consent_method")
    if method not in CONSENT_METHODS:
        raise ValidationFailed(
            gettext_noop("Cần ghi nhận cách công dân đồng ý cho người hỗ trợ nộp hồ sơ."),
            fields={"helper.consent_method": ["Chọn một trong: paper, in_person, otp."]},
        )
    note = data.get("consent_note") or ""
    if not isinstance(note, str) or len(note) > 500:
        raise ValidationFailed(fields={"helper.consent_note": [gettext_noop("Tối đa 500 ký tự.")]})
    file_id = code_id = None
    if method == "paper":
        file_id = data.get("consent_file_id")
        if not file_id:
            raise ValidationFailed(
                fields={
                    "helper.consent_file_id": [gettext_noop("Cần bản quét phiếu đồng ý có chữ ký.")]
                }
            )
    elif method == "otp":
        code_id = _check_code(
            helper, citizen_id, data.get("consent_code_id"), data.get("consent_code"), now
        )
    try:
        resident = population_registry().lookup(citizen_id, user=helper, purpose=LOOKUP_PURPOSE)
    except RegistryUnavailable:
        resident = None
    snapshot = {
        "user_id": helper.pk,
        "full_name": helper.full_name or helper.get_username(),
        **profile,
        "consent": True,
        "consent_method": method,
        "consent_method_label": str(CONSENT_METHODS[method]),
        "consent_at": now.isoformat(),
        "consent_note": note.strip(),
    }
    return Assistance(
        helper=helper,
        citizen_id=citizen_id,
        citizen=get_user_model().objects.filter(id_number=citizen_id).first(),
        resident=resident,
        snapshot=snapshot,
        consent_file_id=str(file_id) if file_id else None,
        consent_code_id=code_id,
    )
