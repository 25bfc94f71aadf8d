"""The API's error shape, `{"error": {"code", "message", "fields"?}}` (docs/api.md, "Errors"):
the NinjaAPI exception handlers that answer in it, the statuses every operation documents,
and the answer for a status that came from below the API (Django, the URL resolver).
"""

from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext, gettext_noop
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.core.errors import DomainError


class ErrorOut(Schema):
    error: dict


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


# The code and message of an error known only by its HTTP status (messages through gettext
# when the answer is built: Vietnamese, English with the English locale).
STATUS_ERRORS = {
    400: ("bad_request", gettext_noop("Yêu cầu không hợp lệ.")),
    401: ("not_authenticated", gettext_noop("Cần đăng nhập.")),
    403: ("forbidden", gettext_noop("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", gettext_noop("Không tìm thấy.")),
    405: ("method_not_allowed", gettext_noop("Địa chỉ này không nhận phương thức này.")),
    413: ("payload_too_large", gettext_noop("Nội dung gửi lên quá lớn.")),
    414: ("uri_too_long", gettext_noop("Địa chỉ yêu cầu quá dài.")),
    415: ("unsupported_media_type", gettext_noop("Kiểu nội dung không được hỗ trợ.")),
    429: ("rate_limited", gettext_noop("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.")),
}
UNREADABLE_BODY = gettext_noop(
    "Không đọc được nội dung yêu cầu: cần JSON hợp lệ, mã hóa UTF-8, không lồng quá sâu."
)


def status_error_body(status: int) -> dict:
    code, message = STATUS_ERRORS.get(status, ("client_error", STATUS_ERRORS[400][1]))
    return error_body(code, gettext(message))


def status_error_response(status: int) -> JsonResponse:
    """The error shape for a status that no handler of the API wrote (a URL no route has,
    a method a route does not take, a URL too long)."""
    return JsonResponse(status_error_body(status), status=status)


def add_error_handlers(api: NinjaAPI) -> None:
    """Answer every error an API route can raise in the shape."""

    def respond(request, body: dict, status: int):
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="motcua"'  # RFC 6750
        return response

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        response = respond(request, error_body(exc.code, exc.message, exc.fields), exc.status)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
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
        return respond(
            request, error_body("validation_error", "Dữ liệu không hợp lệ.", fields), 422
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, error_body("not_found", "Không tìm thấy."), 404)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        return respond(request, error_body("not_authenticated", "Cần đăng nhập."), 401)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja's own: a body it cannot parse (not JSON, not UTF-8, nested too deep) is 400.
        if exc.status_code == 400:
            return respond(request, error_body("bad_request", gettext(UNREADABLE_BODY)), 400)
        return respond(request, status_error_body(exc.status_code), exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, status_error_body(413), 413)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return respond(request, status_error_body(400), 400)


def _error_response(status: int) -> dict:
    return {
        "description": HTTPStatus(status).phrase,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }


def document_error_responses(schema: dict) -> dict:
    """Add to each operation of an OpenAPI document the error statuses any route may answer:
    414 always; 400 and 413 with a request body; 422 with parameters or a body; 401 with
    authentication; 404 with path parameters. Statuses an operation declares itself stay."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters") or []
            statuses = [414]
            if "requestBody" in operation:
                statuses += [400, 413]
            if parameters or "requestBody" in operation:
                statuses.append(422)
            if operation.get("security"):
                statuses.append(401)
            if any(p.get("in") == "path" for p in parameters):
                statuses.append(404)
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            for status in statuses:
                responses.setdefault(str(status), _error_response(status))
            operation["responses"] = dict(sorted(responses.items()))
    return schema


class ErrorShapedAPI(NinjaAPI):
    """A NinjaAPI whose every error answers in the shape and whose OpenAPI document lists the
    error statuses each operation may answer."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        add_error_handlers(self)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        if "ErrorOut" not in schema.get("components", {}).get("schemas", {}):
            schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = (
                ErrorOut.model_json_schema()
            )
        return document_error_responses(schema)
