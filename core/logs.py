"""Log lines that say which request or job they belong to.

Every log record carries ``context``: ``req-<id>`` inside a web request (the
id is also sent back as the X-Request-ID header, so a user's report can be
matched with the log), ``task-<id>`` inside a Celery task, ``-`` elsewhere.
Loaded with the settings (the logging configuration): no models here."""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished

NONE = "-"
_context: contextvars.ContextVar[str] = contextvars.ContextVar("log_context", default=NONE)
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def context() -> str:
    """What the current log lines belong to (``req-…``, ``task-…`` or ``-``)."""
    return _context.get()


def bind(value: str) -> contextvars.Token:
    return _context.set(value)


def unbind(token: contextvars.Token) -> None:
    _context.reset(token)


class ContextFilter(logging.Filter):
    """Gives every record its ``context`` (for the handlers' format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.context = context()
        return True


_base_factory = logging.getLogRecordFactory()


def _record_factory(*args, **kwargs) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.context = context()
    return record


def install() -> None:
    """Every record made from now on carries its context, whichever handler
    (or test) receives it."""
    logging.setLogRecordFactory(_record_factory)
    request_finished.connect(_request_finished, dispatch_uid="core.logs.request_finished")


class RequestIdMiddleware:
    """Names each request: the proxy's X-Request-ID when it sent a plausible
    one, otherwise a new id; answered in the X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        request.request_id = request_id
        # Kept until the request is finished: Django logs an error answer
        # after the middleware has returned.
        bind(f"req-{request_id}")
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _request_finished(**kwargs) -> None:
    bind(NONE)

