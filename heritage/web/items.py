"""How staff pages name and link a record of any kind (the review queue, the dashboard, the
flash after a workflow step)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from heritage.services.review import BY_TABLE, send_back_of
from heritage.web.labels import KIND_LABELS

# Each kind's staff pages: (blueprint, the record's URL argument, the view showing it).
PAGES = {
    "site": ("catalogue", "site_id", "show_site"),
    "record": ("worklog", "record_id", "show_record"),
    "photo": ("photos", "photo_id", "show_photo"),
    "object": ("objects", "object_id", "show_object"),
    "gravestone": ("gravestones", "gravestone_id", "show_gravestone"),
    "survey": ("surveys", "survey_id", "show_survey"),
}

# The fields the review queue shows of a new record, for a look at it without opening it.
PREVIEW_FIELDS = {
    "site": ("category", "site_type", "district", "settlement", "condition"),
    "record": ("work_type", "work_status", "start_date", "end_date", "organisation"),
    "photo": ("stage", "photographer", "licence"),
    "object": ("inventory_number", "object_type", "materials", "date_text"),
    "gravestone": ("number", "marker_type", "material", "condition"),
    "survey": ("survey_date", "assessor", "overall_condition", "risk_level", "urgency"),
}


def preview_fields(entity: Any) -> tuple[str, ...]:
    """The fields a look at the record shows."""
    return PREVIEW_FIELDS[kind_of(entity)]


def kind_of(entity: Any) -> str:
    """The name of the record's kind (site, record, photo, …)."""
    return BY_TABLE[entity.__tablename__].name


def staff_url(entity: Any, step: str | None = None) -> str:
    """The record's staff page, or the URL its workflow step `step` is posted to."""
    blueprint, argument, view = PAGES[kind_of(entity)]
    if step:
        return url_for(f"{blueprint}.change_status", action=step, **{argument: entity.id})
    return url_for(f"{blueprint}.{view}", **{argument: entity.id})


def item_title(entity: Any, lang: str) -> str:
    """The record's name as lists show it, in the reader's language where it has one."""
    kind = kind_of(entity)
    if kind == "site":
        return entity.name(lang)
    if kind == "record":
        return entity.title
    if kind == "photo":
        return _("Photo %(id)s", id=entity.id)
    title = entity.title(lang)
    if kind == "object":
        return f"{entity.inventory_number} · {title}"
    if kind == "gravestone" and title != f"№ {entity.number}":
        return f"№ {entity.number} · {title}"
    return title


def kind_label(entity: Any) -> str:
    """What lists call a record of the kind of `entity` (Site, Work, Photo, …)."""
    return str(KIND_LABELS[kind_of(entity)])


def register(app) -> None:
    app.jinja_env.globals.update(
        staff_url=staff_url,
        item_title=item_title,
        kind_label=kind_label,
        preview_fields=preview_fields,
        send_back_of=send_back_of,
    )
