"""HTTP caching of public pages: validators that move only with what a page shows.

A public view says which scopes of public content its page shows (`shows`; a page that
says nothing shows everything), and the page's validator is the newest revision among them
(services/revision.py): a change retires the pages that show it, and every other page keeps
its ETag and Last-Modified. A repeat visit or a caching proxy then costs a 304, not a page
render.

Each process also keeps the public pages it has rendered for anonymous visitors, as a
caching proxy would, in front of Flask: a visitor without a session asking for a page whose
scopes have not changed since it was rendered gets it (or its 304) without the request ever
reaching the views, the session or the database.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, g, make_response, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Request

from heritage import __version__
from heritage.i18n import remembered_language
from heritage.services import revision
from heritage.services.revision import Revision

# Set by `public_page` on a response any anonymous visitor may be given; the page cache
# takes it off before the response leaves.
SHAREABLE = "X-Heritage-Shareable"
# Where `public_page` leaves, in the WSGI environment, what the page cache keeps beside a
# shareable page: the scopes it shows and the clock it was rendered under.
RENDERED = "heritage.rendered"


def shows(*scopes: str) -> None:
    """Say that the public page being rendered shows these scopes (services/revision.py)."""
    g.public_scopes = {*(g.get("public_scopes") or ()), *scopes}


def public_page(view):
    """Serve `view` with ETag, Last-Modified and Cache-Control, answering 304 when unchanged.

    Signed-in staff see their own header (and may see more), so their pages stay private.
    """

    @wraps(view)
    def cached(*args, **kwargs):
        if current_user.is_authenticated:
            response = make_response(view(*args, **kwargs))
            response.cache_control.private = True
            response.cache_control.no_cache = True
            return response
        clock = revision.known(current_app._get_current_object()).clock
        g.public_scopes = None
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200:
            return response
        said = g.public_scopes
        scopes = frozenset((revision.CLOCK,) if said is None else said)
        current = revision.newest(scopes)
        if current.number > clock:
            # A change this process has not heard of yet committed while the page was read:
            # the page may show part of it. It goes to this visitor unvalidated and unkept.
            response.cache_control.no_cache = True
            return response
        etag = page_etag(current, str(get_locale()), request.environ)
        asked = request.if_none_match
        # A 304 may only stand for a 200 (RFC 9110): the page was rendered to know it is one.
        if asked.contains(etag) or asked.star_tag or _not_modified_since(current):
            response = current_app.response_class(status=304)
        else:
            response.headers[SHAREABLE] = "1"
            request.environ[RENDERED] = (scopes, clock)
        response.set_etag(etag)
        if current.at is not None:
            response.last_modified = current.at
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["PUBLIC_MAX_AGE"]
        response.vary.update(("Accept-Language", "Cookie"))
        return response

    return cached


def page_key(language: str, environ: dict) -> str:
    """What a public page is, whatever its content: the code, the language, the URL asked
    for and the host it was asked of (pages carry absolute links to themselves). Read from
    the WSGI environment as it came, which is cheaper than Werkzeug's decoded URL and the
    same for Flask and the page cache."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    url = (
        f"{environ['wsgi.url_scheme']}://{host}{environ.get('SCRIPT_NAME', '')}"
        f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    )
    return f"{__version__}:{language}:{url}"


def page_etag(current: Revision, language: str, environ: dict) -> str:
    """The validator of a public page: what it is and the revision of what it shows, hashed."""
    validator = f"{page_key(language, environ)}:{current.number}"
    return hashlib.blake2b(validator.encode(), digest_size=12).hexdigest()


def _not_modified_since(current: Revision) -> bool:
    """If-Modified-Since counts only without an ETag to compare, as RFC 9110 says."""
    since = request.if_modified_since
    if request.if_none_match or since is None or current.at is None:
        return False
    return current.at.replace(microsecond=0) <= since


# --- the page cache in front of Flask ---------------------------------------------------


@dataclass(frozen=True)
class _Page:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    # The scopes it shows and the clock it was rendered under: it is good while none of
    # them has changed since.
    scopes: frozenset[str]
    clock: int

    @property
    def not_modified_headers(self) -> list[tuple[str, str]]:
        """A 304 repeats the headers of the 200 but those that describe its body."""
        return [(name, value) for name, value in self.headers if name.lower() not in _BODY]


_BODY = ("content-length", "content-type")


class PageCache:
    """Rendered pages by page key, least recently used first out, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: _Page) -> None:
        if len(page.body) > self.max_bytes // 8:  # one huge page must not evict the rest
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                _old, evicted = self._pages.popitem(last=False)
                self.size -= len(evicted.body)

    def discard(self, key: str, page: _Page) -> None:
        """Forget `page` (and not a newer one kept meanwhile under the same key)."""
        with self._lock:
            if self._pages.get(key) is page:
                del self._pages[key]
                self.size -= len(page.body)


class PublicPages:
    """WSGI middleware: answers repeat anonymous requests for public pages from memory.

    Only requests that Flask would answer the same for everyone go by it: GET or HEAD,
    no session cookie (a session may carry a message for its visitor alone, or belong to
    staff), no ?lang= (which sets a cookie). Everything else, and every first request for
    a page, goes to Flask; a response `public_page` marked shareable, without cookies, is
    kept under its page key with the scopes it shows, until one of them changes.
    """

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.pages = PageCache(app.config["PUBLIC_PAGE_CACHE_BYTES"])

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        asking = Request(environ)
        if not self.pages.max_bytes or not self._anyones(asking):
            return self._strip_marker(environ, start_response)
        try:
            known = revision.known(self.app)
        except Exception:  # the database is unwell: Flask answers, with its error pages
            return self._strip_marker(environ, start_response)
        key = page_key(remembered_language(asking), environ)
        page = self.pages.get(key)
        if page is not None and not known.unchanged_since(page.scopes, page.clock):
            self.pages.discard(key, page)
            page = None
        if page is None:
            return self._fetch(environ, start_response, key)
        if asking.if_none_match.contains(page.etag):
            start_response("304 NOT MODIFIED", page.not_modified_headers)
            return []
        if asking.if_modified_since and not asking.if_none_match:
            return self._strip_marker(environ, start_response)  # Flask compares the time
        start_response(page.status, page.headers)
        return [] if asking.method == "HEAD" else [page.body]

    def _anyones(self, asking: Request) -> bool:
        """Whether the request is one Flask answers the same for every anonymous visitor."""
        return (
            asking.method in ("GET", "HEAD")
            and "lang" not in asking.args
            and self.app.config["SESSION_COOKIE_NAME"] not in asking.cookies
        )

    def _fetch(self, environ: dict, start_response: Callable, key: str) -> Iterable[bytes]:
        """Ask Flask, keeping the page if it is one for anyone; anything else streams on."""
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return start_response(status, _unmarked(headers), exc_info)

        chunks = self.wsgi_app(environ, capture)
        headers = captured.get("headers", [])
        names = {name.lower(): value for name, value in headers}
        if (
            SHAREABLE.lower() not in names
            or "set-cookie" in names
            or RENDERED not in environ
            or not captured["status"].startswith("200")
            or environ["REQUEST_METHOD"] != "GET"
        ):
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        scopes, clock = environ[RENDERED]
        etag = names["etag"].strip('"')
        page = _Page(captured["status"], _unmarked(headers), body, etag, scopes, clock)
        self.pages.put(key, page)
        return [body]

    def _strip_marker(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def unmarked(status, headers, exc_info=None):
            return start_response(status, _unmarked(headers), exc_info)

        return self.wsgi_app(environ, unmarked)


def _unmarked(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name.lower() != SHAREABLE.lower()]


def init_app(app: Flask) -> None:
    app.wsgi_app = PublicPages(app, app.wsgi_app)
