"""Error pages: a clear message for the user, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from heritage.bodies import too_large
from heritage.i18n import say
from heritage.problems import http_problem
from heritage.ratelimit import retry_after
from heritage.services.errors import Gone, ServiceError, from_exception

# What each status means, in the reader's language: shown when the message itself has no
# translation (Werkzeug's own, and messages written for staff and the API).
MEANINGS = {
    400: _l("The request could not be understood."),
    403: _l("You do not have permission to do this."),
    404: _l("There is no such page in the archive."),
    405: _l("This address does not take this kind of request."),
    409: _l("This cannot be done to the record as it is now."),
    413: _l("The request is larger than the archive accepts."),
    429: _l("Too many requests. Wait a moment and try again."),
    500: _l("Something went wrong on our side. It has been logged."),
    503: _l("The archive cannot do this at the moment. Try again in a few seconds."),
}


def register(app: Flask) -> None:
    @app.errorhandler(Gone)
    def gone(error: Gone):
        return render_template("withdrawn.html", entity=error.entity), 410

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        page, status = _page(error.status_code, error.message)
        return page, status, {"Retry-After": str(error.retry_after)} if error.retry_after else {}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):  # an address no API endpoint matched
            return http_problem(error)
        code = error.code or 500
        if code == 413:  # said with the limit that applied to this request
            shown = say(too_large())
            return render_template("error.html", status=413, message=shown), 413
        # Werkzeug's own words, or the rate limit's ("60 per 1 minute"): ours instead.
        if error.description == type(error).description or code == 429:
            page = _page(code, None)
        else:
            page = _page(code, error.description)
        if code == 429:  # a rate limit (the search page's): say when to come back
            return *page, {"Retry-After": str(retry_after(error))}
        return page

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        known = from_exception(error)
        if known is not None:  # a busy database, say: the caller can act on it
            return service_error(known)
        app.logger.exception("unhandled error")
        return _page(500, "Something went wrong on our side. It has been logged.")


def _page(status: int, message: str | None):
    """The error page, in the reader's language. A message without a translation is shown
    as the status's meaning, with the English message beneath it for detail; no message,
    as the meaning alone."""
    meaning = MEANINGS.get(status, _l("Something went wrong."))
    shown, detail = meaning, None
    if message is not None:
        shown = say(message)
        if shown == message and str(get_locale()) != "en":
            shown, detail = meaning, message
    page = render_template("error.html", status=status, message=shown, detail=detail)
    return page, status
