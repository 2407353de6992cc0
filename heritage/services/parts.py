"""References from one record to another part of the same site: a photo's record, object,
gravestone or survey, a survey's object or gravestone, the survey that prompted a record.
One rule for every door: the part exists and belongs to the same site."""

from __future__ import annotations

from marshmallow import ValidationError

from heritage.extensions import db
from heritage.models import CollectionObject, ConditionSurvey, Gravestone, RestorationRecord
from heritage.text import N_, Message

# field: (model, what a message calls it, why it is refused when of another site)
PARTS = {
    "record_id": (
        RestorationRecord,
        N_("restoration record"),
        N_("This restoration record belongs to another site."),
    ),
    "object_id": (
        CollectionObject,
        N_("collection object"),
        N_("This collection object belongs to another site."),
    ),
    "gravestone_id": (
        Gravestone,
        N_("gravestone"),
        N_("This gravestone belongs to another cemetery."),
    ),
    "survey_id": (
        ConditionSurvey,
        N_("condition survey"),
        N_("This condition survey belongs to another site."),
    ),
}


def check_parts(site_id: int, values: dict, fields: tuple[str, ...], *, one_of: bool) -> None:
    """Each of `fields` given in `values` names an existing part of site `site_id`; with
    `one_of`, at most one of them is given. A ValidationError names the field otherwise."""
    given = [name for name in fields if values.get(name) is not None]
    if one_of and len(given) > 1:
        said = Message(N_("Give only one of these: %(fields)s."), {"fields": ", ".join(given)})
        raise ValidationError({name: [said] for name in given})
    errors = {}
    for name in given:
        model, label, elsewhere = PARTS[name]
        part = db.session.get(model, values[name])
        if part is None:
            said = Message(
                N_("No %(kind)s with id %(id)s."), {"kind": Message(label), "id": values[name]}
            )
            errors[name] = [said]
        elif part.site_id != site_id:
            errors[name] = [elsewhere]
    if errors:
        raise ValidationError(errors)
