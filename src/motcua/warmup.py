"""What the first request of a server process would otherwise pay for, done as the process
starts (`wsgi.py`, `asgi.py`): the URLconf (importing every app's views and building the API's
schemas) with its reverse map, the holiday tables of the calendar, and the compiled page
templates. Without it the first page a worker serves takes seconds."""

import logging
import time

from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils import timezone

logger = logging.getLogger("motcua.warmup")


def _urls() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the views and the API)
    for _prefix, namespaced in resolver.namespace_dict.values():
        namespaced.reverse_dict  # noqa: B018 (what each {% url %} reads)
    resolver.reverse_dict  # noqa: B018


def _calendar() -> None:
    from motcua.workdays.calendar import statutory_holidays

    year = timezone.localdate().year
    for each in (year, year + 1):
        statutory_holidays(each)


def _templates() -> None:
    for directory in get_app_template_dirs("templates"):
        for path in sorted(directory.rglob("*.html")):
            try:
                get_template(path.relative_to(directory).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue  # not a page template of this installation


def warm_up() -> None:
    started = time.perf_counter()
    _urls()
    _calendar()
    _templates()
    logger.info("warmed_up", extra={"duration_ms": round((time.perf_counter() - started) * 1000)})
