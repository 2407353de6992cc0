"""What every request's input must be before any view sees it."""

from __future__ import annotations

from flask import Flask, abort, request

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)


def refuse_nul_characters() -> None:
    """400 for a NUL character in the address, the query string or a form.

    No text the archive keeps may hold one, and PostgreSQL refuses it outright; refused
    here, it gets a clear answer instead of a database error. (JSON bodies are checked by
    their schemas.)
    """
    fields = [request.args]
    if request.mimetype in _FORM_TYPES:
        fields.append(request.form)
    texts = [request.path]
    for multidict in fields:
        for name, values in multidict.lists():
            texts += [name, *values]
    if any("\x00" in text for text in texts):
        abort(400, "The request holds a NUL character, which no field accepts.")
