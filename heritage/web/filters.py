"""Jinja filters shared by the pages: labels, values as people read them, diffs, Markdown."""

from __future__ import annotations

import difflib
import re

from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup, escape

from heritage import vocab
from heritage.web.labels import action_label, field_label
from heritage.web.markdown import render_markdown

FIELD_VOCABULARIES = {
    "category": vocab.CATEGORIES,
    "site_type": vocab.SITE_TYPES,
    "district": vocab.DISTRICTS,
    "condition": vocab.CONDITIONS,
    "condition_before": vocab.CONDITIONS,
    "condition_after": vocab.CONDITIONS,
    "protection_level": vocab.PROTECTION_LEVELS,
    "clearance_status": vocab.CLEARANCE_STATUSES,
    "site_clearance_status": vocab.CLEARANCE_STATUSES,
    "work_type": vocab.WORK_TYPES,
    "work_status": vocab.WORK_STATUSES,
    "status": vocab.PUBLICATION_STATUSES,
    "role": vocab.ROLES,
    "stage": vocab.PHOTO_STAGES,
}
# Texts long enough that a word-by-word diff reads better than old and new side by side.
LONG_TEXT = 80
_TOKENS = re.compile(r"\s+|[^\s]+")


def show_value(value, field: str, lang: str = vocab.DEFAULT_LANGUAGE) -> str:
    """A stored value as people read it: vocabulary labels, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if field in FIELD_VOCABULARIES:
        return FIELD_VOCABULARIES[field].label(value, lang)
    return str(value)


def text_diff(old, new) -> Markup:
    """Word-level differences between two long texts, as <del> and <ins>."""
    old_words = _TOKENS.findall(old or "")
    new_words = _TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(Markup("<del>%s</del>") % "".join(old_words[a1:a2]))
        if b2 > b1:
            parts.append(Markup("<ins>%s</ins>") % "".join(new_words[b1:b2]))
    return Markup("").join(parts)


def is_long_text(old, new) -> bool:
    return isinstance(old or new, str) and max(len(old or ""), len(new or "")) > LONG_TEXT


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        field_label=field_label,
        action_label=action_label,
        show_value=show_value,
        text_diff=text_diff,
    )
    app.jinja_env.tests["long_text"] = lambda pair: is_long_text(*pair)
