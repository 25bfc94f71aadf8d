"""Account use cases: each change of state here, inside one transaction."""

import contextlib
import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import ids, onetime
from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.core.messaging import DeliveryFailed, mask_recipient, send_now
from motcua.core.ratelimit import check_rate
from motcua.core.services import username_for_login

from .hooks import contact_changed
from .models import CHANGE_PURPOSES, OneTimeCode, Organisation, Representation, Verification

User = get_user_model()

logger = logging.getLogger("motcua.accounts")

MAX_REPRESENTATIONS = 50


@transaction.atomic
def declare_representation(
    user, *, tax_code: str, name: str, address: str = "", title: str
) -> Representation:
    """`user` declares they represent the organisation with `tax_code`. A new tax code
    creates the organisation; a known one keeps its recorded name and address (one
    representative may not rename an organisation others represent)."""
    tax_code, name, title = tax_code.strip(), " ".join(name.split()), " ".join(title.split())
    errors = {}
    if not ids.is_tax_code(tax_code):
        errors["tax_code"] = [str(ids.TAX_CODE_MESSAGE)]
    if not title:
        errors["title"] = [_("Vui lòng nhập chức vụ của bạn trong tổ chức.")]
    organisation = Organisation.objects.filter(tax_code=tax_code).first()
    if organisation is None and not name and "tax_code" not in errors:
        errors["name"] = [_("Vui lòng nhập tên tổ chức.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if Representation.objects.filter(user=user).count() >= MAX_REPRESENTATIONS:
        raise ValidationFailed(_("Bạn đã khai báo quá nhiều tổ chức."), code="too_many")
    if organisation is None:
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    tax_code=tax_code, name=name, address=" ".join(address.split())
                )
        except IntegrityError:  # declared at the same moment by someone else
            organisation = Organisation.objects.get(tax_code=tax_code)
    representation, created = Representation.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"title": title, "declared_at": timezone.now()},
    )
    if not created:
        message = _("Bạn đã khai báo là người đại diện của tổ chức này.")
        raise ValidationFailed(message, code="already_declared", fields={"tax_code": [message]})
    logger.info("representation declared", extra={"representation_id": representation.pk})
    return representation


@transaction.atomic
def withdraw_representation(user, representation_id: int) -> None:
    """`user` stops representing an organisation (only their own declaration)."""
    deleted, _count = Representation.objects.filter(user=user, pk=representation_id).delete()
    if not deleted:
        raise NotFound(_("Không tìm thấy tổ chức này trong danh sách của bạn."))


# ----------------------------------------------------------------------------- sign-up, codes

CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# Per account and per client address: a code may be (re)sent 3 times in 10 minutes.
CODE_SEND_LIMIT = (3, 10 * 60)
CODE_SEND_LIMIT_PER_IP = (20, 60 * 60)
SIGN_UP_LIMIT_PER_IP = (10, 60 * 60)

ACCOUNT_EXISTS_MESSAGE = _(
    "Số định danh này đã có tài khoản. Nếu đó là tài khoản của bạn, hãy đăng nhập hoặc lấy lại "
    "mật khẩu bằng mã gửi tới số điện thoại hoặc thư điện tử đã đăng ký."
)


CODE_SALT = "motcua.accounts.one-time-code"
# What a refused code is told (core.onetime.check's reasons): message and error code.
CODE_PROBLEMS = {
    onetime.EXPIRED: (_("Mã đã hết hạn hoặc chưa được gửi. Hãy yêu cầu mã mới."), "code_expired"),
    onetime.TOO_MANY: (_("Bạn đã nhập sai quá nhiều lần. Hãy yêu cầu mã mới."), "code_attempts"),
    onetime.WRONG: (_("Mã xác nhận không đúng."), "code_wrong"),
}


def _bound_to(user, purpose: str) -> str:
    """What an account's code opens: that account, for that purpose."""
    return f"{user.pk}|{purpose}"


def _clean_sign_up(id_number, full_name, phone, email, password) -> tuple[str, str, str, str]:
    errors: dict[str, list[str]] = {}
    id_number, full_name = id_number.strip(), " ".join(full_name.split())
    phone, email = ids.normalise_phone(phone), email.strip().lower()
    if not ids.is_id_number(id_number):
        errors["id_number"] = [str(ids.ID_NUMBER_MESSAGE)]
    if not full_name:
        errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    if phone and not ids.is_phone(phone):
        errors["phone"] = [_("Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0).")]
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    if not phone and not email:
        errors["phone"] = [_("Vui lòng nhập số điện thoại hoặc thư điện tử để nhận mã xác nhận.")]
    try:
        validate_password(
            password, User(username=id_number, full_name=full_name, email=email, phone=phone)
        )
    except DjangoValidationError as exc:
        errors["password1"] = list(exc.messages)
    if errors:
        raise ValidationFailed(fields=errors)
    return id_number, full_name, phone, email


def sign_up(
    request, *, id_number: str, full_name: str, phone: str = "", email: str = "", password: str
) -> User:
    """Open a citizen account (username = ID number), unconfirmed until a one-time code sent
    to its phone (or else e-mail) comes back. An ID number that already has an account is
    refused: its owner recovers it through the contacts on record, never through here."""
    check_rate(request, "sign-up", *SIGN_UP_LIMIT_PER_IP)
    id_number, full_name, phone, email = _clean_sign_up(
        id_number, full_name, phone, email, password
    )
    exists = ValidationFailed(
        ACCOUNT_EXISTS_MESSAGE,
        code="account_exists",
        fields={"id_number": [ACCOUNT_EXISTS_MESSAGE]},
    )
    if User.objects.filter(Q(username=id_number) | Q(id_number=id_number)).exists():
        raise exists
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=id_number,
                password=password,
                id_number=id_number,
                full_name=full_name,
                phone=phone,
                email=email,
            )
            Verification.objects.create(user=user)
    except IntegrityError:  # the same ID number signed up at the same moment
        raise exists from None
    logger.info("account opened", extra={"user_id": user.pk})
    return user


def contacts_of(user) -> dict[str, str]:
    """The channels a code may go to: {"sms": phone, "email": address}."""
    contacts = {}
    if user.phone:
        contacts[OneTimeCode.Channel.SMS] = ids.normalise_phone(user.phone)
    if user.email:
        contacts[OneTimeCode.Channel.EMAIL] = user.email.strip().lower()
    return contacts


def reset_contacts_of(user) -> dict[str, str]:
    """Where a password-reset code may go: the confirmed contacts when the account has any
    (a contact typed in later but never confirmed could be anybody's), else those on record."""
    contacts = contacts_of(user)
    verification = Verification.objects.filter(user=user).first()
    if verification is None or not (verification.confirmed_phone or verification.confirmed_email):
        return contacts
    confirmed = {verification.confirmed_phone, verification.confirmed_email}
    return {channel: value for channel, value in contacts.items() if value in confirmed}


CODE_TEXTS = {
    OneTimeCode.Purpose.CONFIRM: (
        "Ma xac nhan tai khoan Cong dich vu cong: {code}. Het han sau {minutes} phut. "
        "Khong dua ma nay cho bat ky ai.",
        "Mã xác nhận tài khoản",
    ),
    OneTimeCode.Purpose.RESET: (
        "Ma dat lai mat khau Cong dich vu cong: {code}. Het han sau {minutes} phut. "
        "Neu ban khong yeu cau, hay bo qua tin nay.",
        "Mã đặt lại mật khẩu",
    ),
    OneTimeCode.Purpose.NEW_PHONE: (
        "Ma xac nhan so dien thoai moi cho tai khoan Cong dich vu cong: {code}. "
        "Het han sau {minutes} phut. Khong dua ma nay cho bat ky ai.",
        "Mã xác nhận số điện thoại mới",
    ),
    OneTimeCode.Purpose.NEW_EMAIL: (
        "Ma xac nhan thu dien tu moi cho tai khoan Cong dich vu cong: {code}. "
        "Het han sau {minutes} phut. Khong dua ma nay cho bat ky ai.",
        "Mã xác nhận thư điện tử mới",
    ),
}


def send_code(request, user, purpose: str, channel: str, recipient: str) -> OneTimeCode:
    """Send a new 6-digit code for `purpose` to `recipient`; earlier codes for the same
    purpose stop working. Rate-limited per account and per client address."""
    check_rate(request, "code-send", *CODE_SEND_LIMIT, key=f"user{user.pk}")
    check_rate(request, "code-send-ip", *CODE_SEND_LIMIT_PER_IP)
    code = onetime.new_code()
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        row = OneTimeCode.objects.create(
            user=user,
            purpose=purpose,
            channel=channel,
            recipient=recipient,
            code_hash=onetime.code_hash(CODE_SALT, _bound_to(user, purpose), code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    text, subject = CODE_TEXTS[purpose]
    minutes = int(CODE_TTL.total_seconds() // 60)
    try:
        send_now(
            channel,
            recipient,
            subject,
            text.format(code=code, minutes=minutes),
            reference=f"code-{row.pk}",
        )
    except DeliveryFailed:
        OneTimeCode.objects.filter(pk=row.pk).update(used_at=timezone.now())
        raise DomainError(
            _("Chưa gửi được mã. Vui lòng thử lại sau ít phút."), code="delivery_failed"
        ) from None
    return row


def check_code(user, purpose: str, code: str) -> OneTimeCode:
    """The code row `code` matches, now used; else ValidationFailed. Each wrong try counts;
    after CODE_MAX_ATTEMPTS the code is dead even when right."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        problem = onetime.EXPIRED
        if row is not None:
            problem = onetime.check(
                row,
                code,
                salt=CODE_SALT,
                bound_to=_bound_to(user, purpose),
                now=now,
                max_tries=CODE_MAX_ATTEMPTS,
            )
        if problem is None:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if problem == onetime.WRONG and row.attempts >= CODE_MAX_ATTEMPTS:
        problem = onetime.TOO_MANY  # that was the last try
    if problem:  # raised after the commit, so that the wrong try is counted
        message, error_code = CODE_PROBLEMS.get(problem, CODE_PROBLEMS[onetime.EXPIRED])
        raise ValidationFailed(message, code=error_code, fields={"code": [message]})
    return row


def _mark_confirmed(user, row: OneTimeCode) -> None:
    verification, _created = Verification.objects.get_or_create(user=user)
    if row.channel == OneTimeCode.Channel.SMS:
        verification.confirmed_phone = row.recipient
    else:
        verification.confirmed_email = row.recipient
    verification.save()


def confirm_contact(user, code: str) -> None:
    """The code sent to the account's phone or e-mail came back: that contact is confirmed
    (if it is still the account's)."""
    row = check_code(user, OneTimeCode.Purpose.CONFIRM, code)
    if contacts_of(user).get(row.channel) != row.recipient:
        raise ValidationFailed(
            _("Thông tin liên hệ đã thay đổi sau khi gửi mã. Hãy yêu cầu mã mới."),
            code="contact_changed",
            fields={"code": [_("Thông tin liên hệ đã thay đổi sau khi gửi mã.")]},
        )
    with transaction.atomic():
        _mark_confirmed(user, row)
    logger.info("contact confirmed", extra={"user_id": user.pk, "channel": row.channel})


# ----------------------------------------------------------------------------- change of contact

# Each request checks the password: 10 an hour per account, so it cannot be guessed here.
CONTACT_CHANGE_LIMIT = (10, 60 * 60)

CHANGE_NOTICES = {
    OneTimeCode.Channel.SMS: (
        "So dien thoai cua tai khoan Cong dich vu cong da doi sang {new}. Neu khong phai ban "
        "doi, hay goi tong dai ho tro ngay.",
        "",
    ),
    OneTimeCode.Channel.EMAIL: (
        "Thư điện tử của tài khoản Cổng dịch vụ công đã được đổi sang {new}. Từ nay thông báo "
        "và mã xác nhận được gửi tới địa chỉ mới. Nếu không phải bạn đổi, hãy gọi tổng đài hỗ "
        "trợ ngay.",
        "Thư điện tử của tài khoản đã thay đổi",
    ),
}


def _clean_new_contacts(user, phone: str, email: str) -> tuple[dict[str, str], dict]:
    phone, email = ids.normalise_phone(phone), email.strip().lower()
    errors: dict[str, list[str]] = {}
    current = contacts_of(user)
    wanted = {}
    if phone and not ids.is_phone(phone):
        errors["phone"] = [_("Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0).")]
    elif phone and phone == current.get(OneTimeCode.Channel.SMS):
        errors["phone"] = [_("Đây đã là số điện thoại của tài khoản.")]
    elif phone:
        wanted[OneTimeCode.Channel.SMS] = phone
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
        else:
            if email == current.get(OneTimeCode.Channel.EMAIL):
                errors["email"] = [_("Đây đã là thư điện tử của tài khoản.")]
            else:
                wanted[OneTimeCode.Channel.EMAIL] = email
    if not phone and not email:
        errors["phone"] = [_("Vui lòng nhập số điện thoại mới hoặc thư điện tử mới.")]
    return wanted, errors


def request_contact_change(
    request, user, *, password: str, phone: str = "", email: str = ""
) -> dict[str, str]:
    """Send a one-time code to the new phone and/or e-mail ({channel: new contact}). The
    account keeps its contacts until the code comes back (`confirm_contact_change`): a
    contact nobody proved to hold never receives the account's codes or news. The password
    is asked again, so an unattended signed-in session cannot redirect password resets."""
    check_rate(request, "contact-change", *CONTACT_CHANGE_LIMIT, key=f"user{user.pk}")
    wanted, errors = _clean_new_contacts(user, phone, email)
    if not user.check_password(password):
        errors["password"] = [_("Mật khẩu không đúng.")]
    if errors:
        raise ValidationFailed(fields=errors)
    for channel, recipient in wanted.items():
        send_code(request, user, CHANGE_PURPOSES[channel], channel, recipient)
    return wanted


def confirm_contact_change(user, channel: str, code: str) -> str:
    """The code sent to a new contact came back: it replaces the account's contact on that
    channel, confirmed; the old contact is told (and the notification centre keeps a note).
    Returns the new contact."""
    purpose = CHANGE_PURPOSES.get(channel)
    if purpose is None:
        message = _("Không có thay đổi nào đang chờ xác nhận.")
        raise ValidationFailed(message, code="no_change", fields={"code": [message]})
    row = check_code(user, purpose, code)
    old = contacts_of(user).get(channel, "")
    field = "phone" if channel == OneTimeCode.Channel.SMS else "email"
    with transaction.atomic():
        setattr(user, field, row.recipient)
        user.save(update_fields=[field])
        _mark_confirmed(user, row)
        contact_changed.send(sender=type(user), user=user, channel=channel, new=row.recipient)
    logger.info("contact changed", extra={"user_id": user.pk, "channel": channel})
    if old and old != row.recipient:
        text, subject = CHANGE_NOTICES[channel]
        # Sent after the change: it stands even if the old contact cannot be reached (the
        # notification centre keeps the note).
        with contextlib.suppress(DeliveryFailed):
            send_now(
                channel,
                old,
                subject,
                text.format(new=mask_recipient(row.recipient)),
                reference=f"contact-change-{row.pk}",
            )
    return row.recipient


def start_password_reset(request, login: str, channel: str):
    """Send a reset code to the account's contact on `channel`; the account, or None. Says
    nothing to the caller about whether the account or the contact exists."""
    check_rate(request, "reset-start", *CODE_SEND_LIMIT_PER_IP)
    user = User.objects.filter(username=username_for_login(login), is_active=True).first()
    if user is None:
        return None
    recipient = reset_contacts_of(user).get(channel)
    if recipient:
        send_code(request, user, OneTimeCode.Purpose.RESET, channel, recipient)
    return user


def complete_password_reset(user, code: str, password: str) -> None:
    """The reset code came back: set the new password, confirm the contact it reached and
    lift a lockout on the account."""
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(fields={"new_password1": list(exc.messages)}) from None
    row = check_code(user, OneTimeCode.Purpose.RESET, code)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        if contacts_of(user).get(row.channel) == row.recipient:
            _mark_confirmed(user, row)
    from axes.utils import reset as reset_lockouts

    reset_lockouts(username=user.username)
    logger.info("password reset", extra={"user_id": user.pk})


def refuse_unknown_code() -> None:
    """What a code for an account that does not exist gets: the same answer as a wrong one."""
    message = _("Mã xác nhận không đúng.")
    raise ValidationFailed(message, code="code_wrong", fields={"code": [message]})


# ----------------------------------------------------------------------------- national identity


def account_for_identity(claims: dict, *, provider: str) -> User:
    """The account for a citizen the identity provider vouched for: the one holding the ID
    number in the claims (linked by ID number), else a new one. Either way its identity is
    recorded as verified (indicator 5.6)."""
    from django.conf import settings

    id_number = str(claims.get(settings.OIDC_ID_NUMBER_CLAIM) or "").strip()
    subject = str(claims.get("sub") or "")
    if not ids.is_id_number(id_number) or not subject:
        raise DomainError(
            _("Nhà cung cấp định danh không trả về số định danh cá nhân hợp lệ."),
            code="oidc_no_id_number",
        )
    full_name = " ".join(str(claims.get(settings.OIDC_NAME_CLAIM) or "").split())[:200]
    now = timezone.now()
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(Q(id_number=id_number) | Q(username=id_number))
            .order_by("pk")
            .first()
        )
        if user is None:
            user = User.objects.create_user(
                username=id_number, password=None, id_number=id_number, full_name=full_name
            )
        elif not user.is_active:
            raise DomainError(
                _("Tài khoản này đã bị khóa. Vui lòng liên hệ tổng đài hỗ trợ."),
                code="account_inactive",
            )
        if not user.id_number:
            user.id_number = id_number
            user.save(update_fields=["id_number"])
        if not user.full_name and full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        taken = (
            Verification.objects.filter(identity_provider=provider, identity_subject=subject)
            .exclude(user=user)
            .exists()
        )
        if taken:  # the provider's subject already belongs to another account
            raise DomainError(
                _("Danh tính này đã gắn với một tài khoản khác. Vui lòng liên hệ tổng đài hỗ trợ."),
                code="oidc_subject_taken",
            )
        verification, _created = Verification.objects.get_or_create(user=user)
        verification.identity_provider, verification.identity_subject = provider, subject
        verification.identity_verified_at = verification.identity_verified_at or now
        verification.save()
    logger.info("signed in with national identity", extra={"user_id": user.pk})
    return user
