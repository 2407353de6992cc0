"""Interface language: ?lang= (remembered in a cookie), else the browser's choice, else az."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import Babel, get_locale, gettext
from werkzeug.wrappers import Request

from heritage.text import Message
from heritage.vocab import DEFAULT_LANGUAGE, LANGUAGES

LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def select_language() -> str:
    """The language of this request's interface."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        g.language_chosen = asked
        return asked
    return remembered_language(request)


def remembered_language(asking: Request) -> str:
    """The language of a request without ?lang=: the remembered one, else the browser's."""
    remembered = asking.cookies.get(LANG_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return asking.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def remember_language(response):
    """Keep a language picked with ?lang= for the next visits."""
    chosen = g.get("language_chosen")
    if chosen and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(
            LANG_COOKIE, chosen, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax", httponly=True
        )
        # A response that sets a cookie is this visitor's alone: no shared cache may keep it.
        response.cache_control.public = False
        response.cache_control.private = True
    return response


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_language, default_locale=DEFAULT_LANGUAGE)
    app.after_request(remember_language)

    @app.context_processor
    def language_context():
        return {"lang": str(get_locale() or DEFAULT_LANGUAGE), "languages": LANGUAGES}


def say(message: str) -> str:
    """A message in this request's language: a Message with its values (names too), or a
    plain string the catalogue may hold (Werkzeug's and the rate limiter's are kept)."""
    if isinstance(message, Message):
        return message.render(gettext, str(get_locale() or DEFAULT_LANGUAGE))
    return gettext(message)
