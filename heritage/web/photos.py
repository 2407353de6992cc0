"""Photos on the web: the staff upload and photo pages, originals for staff, and the
derivatives under /media/ that public and staff pages show."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.bodies import streams_uploads
from heritage.i18n import say
from heritage.identity import current_actor
from heritage.schemas.photo import PhotoInput
from heritage.services import audit, editing, photos, restorations, sites
from heritage.services.errors import Conflict, InvalidTransition, ServiceError
from heritage.services.permissions import can
from heritage.vocab import PUBLICATION_STATUSES
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors, form_payload, version_field
from heritage.web.labels import FIELD_LABELS, STEP_BUTTONS
from heritage.web.steps import after_step, confirmed, done, flash_saved

bp = Blueprint("photos", __name__)

# Derivatives never change under their URL (it holds the original's hash, and a key that
# changes whenever the photo leaves public view): cache for a year.
YEAR = 365 * 24 * 3600
# A downloaded original is opened by no browser as a page, whatever bytes it holds.
ORIGINAL_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}


# --- staff pages ----------------------------------------------------------------------------


@bp.get("/staff/photos")
@staff_required("read")
def list_photos():
    """The latest photos of every site, optionally of one publication status."""
    status = request.args.get("status")
    status = status if status in PUBLICATION_STATUSES else None
    return render_template(
        "staff/photos.html", photos=photos.recent_photos(status=status), status=status
    )


@bp.get("/staff/sites/<int:site_id>/photos")
@staff_required("read")
def site_photos(site_id: int):
    """A site's photos, and the form to upload more (for one of its records: ?record_id=)."""
    return _site_page(site_id, values={"record_id": request.args.get("record_id")}, errors={})


@bp.post("/staff/sites/<int:site_id>/photos")
@streams_uploads(lambda: can(current_actor(), "photo.upload"))
@staff_required("photo.upload")
def upload_photos(site_id: int):
    """Upload several photos at once without JavaScript; each is kept or refused on its own."""
    files = [upload for upload in request.files.getlist("file") if upload.filename]
    payload = form_payload(PhotoInput, request.form)
    if not files:
        errors = {"file": [_("Choose one or more photos to upload.")]}
        return _site_page(site_id, values=payload, errors=errors), 422
    results, status = [], 201
    for upload in files:
        try:
            result = photos.upload_photo(
                site_id, upload.stream, upload.filename, payload, actor=current_actor()
            )
        except ValidationError as error:
            return _site_page(site_id, values=payload, errors=field_errors(error)), 422
        except photos.UploadRefused as refusal:
            results.append({"name": upload.filename, "refused": refusal.said})
            status = refusal.status_code if status < 400 else status
            continue
        results.append({"name": upload.filename, "result": result})
        if result.duplicate and status == 201:
            status = 200
    site = sites.get_site(site_id, actor=current_actor())
    return render_template("staff/photos_uploaded.html", site=site, results=results), status


@bp.get("/staff/photos/<int:photo_id>")
@staff_required("read")
def show_photo(photo_id: int):
    """A photo as staff see it: its description, its file's facts (GPS too) and its status."""
    photo = photos.get_photo(photo_id, actor=current_actor())
    values = editing.editable_values(photos.PHOTO, photo, current_actor())
    return _photo_page(photo, values=values, errors={})


@bp.post("/staff/photos/<int:photo_id>")
@staff_required("photo.update")
def update_photo(photo_id: int):
    """Save a photo's description; a stale form is refused with what changed meanwhile."""
    payload = form_payload(PhotoInput, request.form)
    try:
        photo = photos.update_photo(
            photo_id, payload, actor=current_actor(), version=version_field(request.form)
        )
    except ValidationError as error:
        page = _photo_page(
            photos.get_photo(photo_id, actor=current_actor()),
            values=payload,
            errors=field_errors(error),
        )
        return page, 422
    except Conflict as conflict:
        photo = photos.get_photo(photo_id, actor=current_actor())
        return _photo_page(photo, values=payload, errors={}, conflict=conflict), 409
    flash_saved(photos.PHOTO, photo)
    return redirect(url_for(".show_photo", photo_id=photo_id), 303)


@bp.post("/staff/photos/<int:photo_id>/workflow/<action>")
@staff_required("read")
def change_status(photo_id: int, action: str):
    """Submit, publish, send back, withdraw or restore a photo."""
    if confirmed(action):
        try:
            photo = photos.change_photo_status(
                photo_id,
                action,
                actor=current_actor(),
                version=version_field(request.form),
                note=request.form.get("note"),
            )
        except ValidationError as error:
            for messages in field_errors(error).values():
                flash(" ".join(messages), "error")
        except (Conflict, InvalidTransition) as error:
            flash(say(error.message), "error")
        else:
            done(photo, action)
    return redirect(after_step(url_for(".show_photo", photo_id=photo_id)), 303)


@bp.get("/staff/photos/<int:photo_id>/history")
@staff_required("read")
def photo_history(photo_id: int):
    """Every change to a photo's description and status."""
    photo = photos.get_photo(photo_id, actor=current_actor())
    return render_template(
        "staff/history.html",
        entity=photo,
        title=_("Photo %(id)s", id=photo.id),
        events=audit.history("photo", photo.id),
        back_url=url_for(".show_photo", photo_id=photo.id),
        may_restore=False,
    )


@bp.get("/staff/photos/<int:photo_id>/original")
@staff_required("read")
def download_original(photo_id: int):
    """The untouched original, as a download only, for signed-in staff."""
    photo, path = photos.original(photo_id, actor=current_actor())
    response = send_file(
        path,
        mimetype=photo.media_type,
        as_attachment=True,
        download_name=photos.original_download_name(photo),
        etag=photo.sha256,
        conditional=True,
    )
    response.headers.update(ORIGINAL_HEADERS)
    return response


# --- derivatives ----------------------------------------------------------------------------


@bp.get("/media/<sha256>/<key>/<name>")
def serve_derivative(sha256: str, key: str, name: str):
    """A derivative: of a published photo to anyone, of any photo to signed-in staff."""
    found = photos.derivative(sha256, key, name, actor=current_actor())
    response = send_file(
        found.path,
        mimetype=found.media_type,
        etag=f"{sha256[:32]}-{name}",
        conditional=True,
        max_age=YEAR,
    )
    response.headers["Cache-Control"] = (
        f"{'public' if found.public else 'private'}, max-age={YEAR}, immutable"
    )
    if not found.public:
        response.vary.add("Cookie")
    return response


# --- helpers --------------------------------------------------------------------------------


def _site_page(site_id: int, *, values: dict, errors: dict) -> str:
    site = sites.get_site(site_id, actor=current_actor())
    return render_template(
        "staff/photos_site.html",
        site=site,
        photos=photos.site_photos(site.id),
        records=restorations.records_of_site(site.id),
        values=values,
        errors=errors,
        labels=FIELD_LABELS,
        may_upload=can(current_actor(), "photo.upload"),
        max_bytes=current_app.config["MAX_CONTENT_LENGTH"],
    )


def _photo_page(photo, *, values: dict, errors: dict, conflict: ServiceError | None = None) -> str:
    run = photos.last_fixity_run()
    return render_template(
        "staff/photo.html",
        photo=photo,
        site=photo.site,
        records=restorations.records_of_site(photo.site_id),
        values=values,
        errors=errors,
        conflict=conflict,
        labels=FIELD_LABELS,
        steps=editing.available_steps(photos.PHOTO, photo, current_actor()),
        step_buttons=STEP_BUTTONS,
        may_edit=can(current_actor(), "photo.update"),
        proposes=editing.proposes(photos.PHOTO.name, photo, current_actor()),
        fixity=photos.fixity_verdict(photo, run),
        fixity_run=run,
    )
