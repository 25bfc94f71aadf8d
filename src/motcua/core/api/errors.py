"""The API's error shape, `{"error": {"code", "message", "fields"?}}` (api.md, "Errors"),
and the NinjaAPI exception handlers that answer in it."""

from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.core.errors import DomainError


class ErrorOut(Schema):
    error: dict


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def add_error_handlers(api: NinjaAPI) -> None:
    """Answer domain errors, validation errors, 404 and missing authentication in the shape."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        response = api.create_response(
            request, error_body(exc.code, exc.message, exc.fields), status=exc.status
        )
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        if exc.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="motcua"'  # RFC 6750
        return response

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = [
                str(part)
                for part in err.get("loc", [])
                if part not in ("body", "query", "path", "payload", "form")
            ]
            fields.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "invalid"))
        return api.create_response(
            request, error_body("validation_error", "Dữ liệu không hợp lệ.", fields), status=422
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", "Không tìm thấy."), status=404)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        response = api.create_response(
            request, error_body("not_authenticated", "Cần đăng nhập."), status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="motcua"'
        return response
