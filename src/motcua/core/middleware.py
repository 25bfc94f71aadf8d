import logging
import re
import time
import uuid

logger = logging.getLogger("motcua.request")
# A request id from the proxy is kept only if it looks like one (it is echoed and logged).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    """One structured line per request: method, route, status, duration.

    The query string is left out on purpose: it can carry ID numbers (e.g. /lookup).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "route": match.route if match else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        response["X-Request-ID"] = request.request_id
        return response
