"""What people call each field and action, in the interface language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "slug": _l("Address (slug)"),
    "inventory_number": _l("Inventory number"),
    "category": _l("Category"),
    "site_type": _l("Type"),
    "name_az": _l("Name in Azerbaijani"),
    "name_en": _l("Name in English"),
    "name_ru": _l("Name in Russian"),
    "alternative_names": _l("Alternative and historical names"),
    "description_az": _l("Description in Azerbaijani"),
    "description_en": _l("Description in English"),
    "description_ru": _l("Description in Russian"),
    "district": _l("District"),
    "settlement": _l("Settlement"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "location_approximate": _l("Coordinates are approximate"),
    "location_sensitive": _l("Exact location is sensitive"),
    "period": _l("Period"),
    "year_from": _l("From year"),
    "year_to": _l("To year"),
    "protection_level": _l("Protection level"),
    "condition": _l("Condition"),
    "clearance_status": _l("Mine-clearance status"),
    "clearance_date": _l("Cleared on"),
    "clearance_reference": _l("Clearance certificate"),
    "internal_note": _l("Internal note (staff only)"),
    "status": _l("Publication status"),
    "withdrawal_reason": _l("Reason for withdrawal"),
    "title": _l("Title"),
    "work_type": _l("Type of work"),
    "work_status": _l("Progress"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "organisation": _l("Organisation"),
    "team": _l("Team"),
    "description": _l("Description"),
    "materials": _l("Materials"),
    "techniques": _l("Techniques"),
    "condition_before": _l("Condition before"),
    "condition_after": _l("Condition after"),
    "clearance_override_reason": _l("Clearance override reason"),
    "site_clearance_status": _l("Site's mine-clearance status"),
    "record_id": _l("Restoration record"),
    "stage": _l("Stage"),
    "caption_az": _l("Caption in Azerbaijani"),
    "caption_en": _l("Caption in English"),
    "caption_ru": _l("Caption in Russian"),
    "alt_az": _l("Alt text in Azerbaijani"),
    "alt_en": _l("Alt text in English"),
    "alt_ru": _l("Alt text in Russian"),
    "photographer": _l("Photographer"),
    "credit": _l("Credit"),
    "licence": _l("Licence"),
    "file": _l("Files"),
    "email": _l("E-mail address"),
    "name": _l("Full name"),
    "role": _l("Role"),
    "password": _l("Password"),
    "current_password": _l("Current password"),
    "active": _l("Active"),
    "note": _l("Comment"),
}

ACTION_LABELS = {
    "create": _l("created"),
    "update": _l("edited"),
    "submit": _l("submitted for review"),
    "publish": _l("published"),
    "send_back": _l("sent back"),
    "withdraw": _l("withdrawn"),
    "restore": _l("restored"),
    "restore_version": _l("restored an earlier version"),
    "clearance_override": _l("overrode the mine-clearance rule"),
    "propose": _l("proposed a change (awaiting review)"),
    "publish_change": _l("published a proposed change"),
    "send_back_change": _l("sent a proposed change back"),
    "change_role": _l("changed role"),
    "change_password": _l("changed password"),
    "activate": _l("activated"),
    "deactivate": _l("deactivated"),
}

# The button that performs each workflow step.
STEP_BUTTONS = {
    "submit": _l("Submit for review"),
    "publish": _l("Publish"),
    "send_back": _l("Send back"),
    "withdraw": _l("Withdraw"),
    "restore": _l("Restore"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))
