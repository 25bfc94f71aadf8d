"""Domain errors. Services raise these; the API and the pages turn them into 4xx answers
with a machine-readable code and a Vietnamese message (docs/api.md, "Errors")."""


class DomainError(Exception):
    status = 400
    code = "bad_request"
    message = "Yêu cầu không hợp lệ."

    def __init__(
        self, message: str | None = None, *, code: str | None = None, fields: dict | None = None
    ):
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields
        super().__init__(self.message)


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "Không tìm thấy."


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"
    message = "Dữ liệu không hợp lệ."


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    message = "Bạn không có quyền thực hiện thao tác này."


class ActionNotAllowed(DomainError):
    status = 409
    code = "action_not_allowed"
    message = "Thao tác không được phép ở trạng thái hiện tại."


class AccountNotConfirmed(DomainError):
    status = 403
    code = "account_not_confirmed"
    message = (
        "Tài khoản chưa xác nhận số điện thoại hoặc thư điện tử. "
        "Hãy nhập mã xác nhận đã gửi cho bạn rồi nộp lại."
    )


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    message = "Cần đăng nhập."


class OtpRequired(DomainError):
    """The account must give a second factor (a TOTP code) and did not, or has not enrolled."""

    status = 401
    code = "otp_required"
    message = "Tài khoản này bật xác thực hai lớp: cần nhập mã OTP."


class IdempotencyKeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"
    message = "Khóa Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác."


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    message = "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau."

    def __init__(self, message: str | None = None, *, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


class Gone(DomainError):
    """What was there is no more: a revoked or expired share link."""

    status = 410
    code = "gone"
    message = "Liên kết đã hết hạn hoặc đã bị thu hồi."
