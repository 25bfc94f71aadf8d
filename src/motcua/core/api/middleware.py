"""Every 4xx under the API's path answers in its error shape, whatever wrote it.

The routes' own errors are shaped by the NinjaAPI's handlers (`core/api/errors.py`); this
middleware shapes what comes from below them: a URL no route has (404), a method a route does
not take (405), and a URL too long to be read (414, answered before anything reads it; keep
the server's own limit above MAX_URL_LENGTH, e.g. gunicorn's `--limit-request-line`).
"""

from motcua.core.api.errors import status_error_response

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
