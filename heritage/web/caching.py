"""HTTP caching of public pages: one validator for the whole archive, checked before work.

Every change that can alter a public page writes an audit event, so the newest event
validates every public page at once. A repeat visit or a caching proxy then costs one small
query and a 304, not a page render.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from flask import current_app, make_response, request
from flask_babel import get_locale
from flask_login import current_user

from heritage import __version__
from heritage.services import public


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
        revision = public.archive_revision()
        validator = f"{__version__}:{revision.number}:{get_locale()}:{request.full_path}"
        etag = hashlib.blake2b(validator.encode(), digest_size=12).hexdigest()
        if request.if_none_match.contains(etag) or _not_modified_since(revision):
            response = current_app.response_class(status=304)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
        response.set_etag(etag)
        if revision.at is not None:
            response.last_modified = revision.at
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["PUBLIC_MAX_AGE"]
        response.vary.update(("Accept-Language", "Cookie"))
        return response

    return cached


def _not_modified_since(revision: public.Revision) -> bool:
    """If-Modified-Since counts only without an ETag to compare, as RFC 9110 says."""
    since = request.if_modified_since
    if request.if_none_match or since is None or revision.at is None:
        return False
    return revision.at.replace(microsecond=0) <= since
