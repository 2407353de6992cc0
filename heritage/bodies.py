"""Request bodies, for every door: how much of one is read, and where it goes.

Only a photo upload by someone who may upload streams its body to disk (the media folder's
staging area, hashed as it arrives), up to MAX_CONTENT_LENGTH. Every other request, whoever
sends it, may carry at most MAX_BODY_LENGTH bytes, held in memory, and a larger one is
refused (413) before any of it is read: nobody without an account can make the archive
write their bytes anywhere.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Flask, Request, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from heritage.text import N_, Message


class BodyRequest(Request):
    """A request whose file parts stay in memory, unless it is an upload that may stream."""

    # Set by `limit_body` before anything reads the body.
    streams_to_media = False

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ):
        if not self.streams_to_media:
            return io.BytesIO()  # bounded by MAX_BODY_LENGTH
        from heritage.services import photos

        return photos.staging_file()


def streams_uploads(may_stream: Callable[[], bool]):
    """Mark a view that takes uploads: when `may_stream()` (the caller may upload, known
    from the session or a token, never from the body), its body may be large and streams
    to the media folder."""

    def decorator(view):
        view.streams_uploads = may_stream
        return view

    return decorator


def init_app(app: Flask) -> None:
    """Install the request class and the limit (called first, so that the limit is set
    before any other hook reads a body: the CSRF check and the NUL check read forms)."""
    app.request_class = BodyRequest
    app.before_request(limit_body)


def limit_body() -> None:
    """Give this request its body limit; 413 at once when its declared length is over it."""
    view = current_app.view_functions.get(request.endpoint or "")
    may_stream = getattr(view, "streams_uploads", None)
    if request.method == "POST" and may_stream is not None and may_stream():
        request.streams_to_media = True
    else:
        request.max_content_length = current_app.config["MAX_BODY_LENGTH"]
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def too_large() -> Message:
    """Why a body over its limit was refused, with the limit that applied."""
    limit = request.max_content_length or 0
    if request.streams_to_media:
        return Message(
            N_(
                "The upload is larger than %(mb)s MB, the most the archive accepts at once. "
                "Nothing was saved. Send fewer photos at a time, or smaller ones."
            ),
            {"mb": f"{limit / 2**20:.3g}"},
        )
    return Message(
        N_(
            "The request is larger than %(kb)s KB, the most the archive accepts here (only "
            "photo uploads by signed-in staff may be larger). Nothing was saved."
        ),
        {"kb": f"{limit / 2**10:.4g}"},
    )
