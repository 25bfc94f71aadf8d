"""The ninja API object. Each domain app contributes its own router (app/api.py)."""

from motcua.core.api.errors import ErrorShapedAPI

api = ErrorShapedAPI(
    title="motcua API",
    version="1",
    description="Public service portal and electronic one-stop shop. Errors are "
    '`{"error": {"code", "message", "fields"?}}`; lists are paginated with `page` and `page_size`.',
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _add_routers() -> None:
    from motcua.api.auth_api import router as auth_router
    from motcua.catalog.api import router as catalog_router
    from motcua.dossiers.api import router as dossiers_router
    from motcua.dossiers.slips_api import router as slips_router
    from motcua.feedback.api import router as feedback_router
    from motcua.integrations.api import router as notifications_router
    from motcua.payments.api import router as payments_router
    from motcua.vault.api import router as vault_router
    from motcua.workdays.api import router as workdays_router

    api.add_router("/auth", auth_router)
    api.add_router("", catalog_router)
    api.add_router("", dossiers_router)
    api.add_router("", payments_router)
    api.add_router("", slips_router)
    api.add_router("", feedback_router)
    api.add_router("", vault_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/workdays", workdays_router)


_add_routers()
