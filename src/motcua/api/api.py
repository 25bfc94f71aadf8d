"""The ninja API object. Each domain app contributes its own router (app/api.py)."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.core.errors import DomainError

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Public service portal and electronic one-stop shop. Errors are "
    '`{"error": {"code", "message", "fields"?}}`; lists are paginated with `page` and `page_size`.',
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


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


def _add_routers() -> None:
    from motcua.api.auth_api import router as auth_router
    from motcua.catalog.api import router as catalog_router
    from motcua.dossiers.api import router as dossiers_router
    from motcua.dossiers.slips_api import router as slips_router
    from motcua.feedback.api import router as feedback_router
    from motcua.integrations.api import router as notifications_router
    from motcua.payments.api import router as payments_router
    from motcua.workdays.api import router as workdays_router

    api.add_router("/auth", auth_router)
    api.add_router("", catalog_router)
    api.add_router("", dossiers_router)
    api.add_router("", payments_router)
    api.add_router("", slips_router)
    api.add_router("", feedback_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/workdays", workdays_router)


_add_routers()
