"""Error pages: a clear message for the user, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from heritage.services.errors import Gone, ServiceError


def register(app: Flask) -> None:
    @app.errorhandler(Gone)
    def gone(error: Gone):
        return render_template("withdrawn.html", entity=error.entity), 410

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        return _page(error.status_code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):  # an address no API endpoint matched
            from heritage.api.errors import http_error as api_error

            return api_error(error)
        return _page(error.code or 500, error.description or error.name)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error")
        return _page(500, "Something went wrong on our side. It has been logged.")


def _page(status: int, message: str):
    return render_template("error.html", status=status, message=message), status
