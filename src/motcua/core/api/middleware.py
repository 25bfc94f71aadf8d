"""Every 4xx under the API's path answers in its error shape, whatever wrote it.

The routes' own errors are shaped by the NinjaAPI's handlers (`core/api/errors.py`); this
middleware shapes what comes from below them: a URL no route has (404), a method a route does
not take (405), and a URL too long to be read (414, answered before anything reads it; keep
the server's own limit above MAX_URL_LENGTH, e.g. gunicorn's `--limit-request-line`).

It also refuses the NUL character anywhere in what a request says (path, query, JSON or form
body): no text of the domain holds one, PostgreSQL cannot store one, and a page's form fields
refuse it already (Django's CharField); here it is one rule for every API route.
"""

import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext

from motcua.core.api.errors import error_body, status_error_response

API_PREFIX = "/api/"
MAX_URL_LENGTH = 4096
# Headers of the original answer a client still needs.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        length = len(request.META.get("PATH_INFO", "")) + len(request.META.get("QUERY_STRING", ""))
        if length > MAX_URL_LENGTH:
            return status_error_response(414)
        if "\x00" in request.path_info:
            return status_error_response(404)
        try:
            refused = _nul_in(request)
        except (SuspiciousOperation, MultiPartParserError, UnicodeDecodeError):
            refused = None  # the route reads the body again and answers its error (400, 413)
        if refused:
            message = gettext("Nội dung gửi lên chứa ký tự NUL không hợp lệ.")
            body = error_body("validation_error", message, {refused: [message]})
            return JsonResponse(body, status=422)
        response = self.get_response(request)
        if 400 <= response.status_code < 500 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            shaped = status_error_response(response.status_code)
            for header in KEPT_HEADERS:
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response


# `\u0000` in JSON text, unless its backslash is itself escaped.
_JSON_NUL = re.compile(rb"(?<!\\)\\u0000", re.IGNORECASE)


def _nul_in(request) -> str | None:
    """The name of the first part of the request holding a NUL character, or None."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "") or "query"
    content_type = request.content_type or ""
    if content_type == "application/json":
        if b"\x00" in request.body or _JSON_NUL.search(request.body):
            return "body"
    elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        # Read whole first (small bodies only), so that a route signing the raw body (a
        # gateway's notification) can still read it after the form is parsed from it.
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return None  # an upload: its form fields are checked by the route's schema
        request.body  # noqa: B018 - cached on the request
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "") or "body"
        for name, uploaded in request.FILES.items():
            if "\x00" in (uploaded.name or ""):
                return name
    return None
