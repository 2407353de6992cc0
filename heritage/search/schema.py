"""The Whoosh schema, and how a Document becomes a Whoosh document."""

from __future__ import annotations

from typing import Any

from whoosh import columns, fields
from whoosh.codec.whoosh3 import W3Codec

from heritage.collation import sort_key
from heritage.search import analysis, internals
from heritage.search.documents import FACETS, Document
from heritage.vocab import LANGUAGES

# Sorting sentinel: records without a date sort after all dated ones, either way round.
# Dates are 64-bit: yyyymmdd of a cave dwelling's year -1,500,000 needs more than 32 bits.
NO_DATE = 2**63 - 1
SORT_LANGUAGES = LANGUAGES


# Indexes written before internals.py existed name the class here in their table of contents.
SegmentNamedBySystem = internals.SegmentNamedBySystem


class Codec(W3Codec):
    """Whoosh's current codec, with segments named by `SegmentNamedBySystem`."""

    def new_segment(self, storage, indexname):
        return internals.SegmentNamedBySystem(self, indexname)


# Posting blocks uncompressed: a bigger index, but faster to build and to read.
CODEC = Codec(compression=0)
# Segments as separate files, not one compound file: Whoosh reads a compound file's parts
# into memory (a copy of the whole segment per process), separate files it reads from disk.
WRITER = {"codec": CODEC, "compound": False}


def build_schema() -> fields.Schema:
    """The fields of the index."""
    facet_fields = {
        name: fields.ID(sortable=columns.RefBytesColumn()) for name in FACETS if name != "kind"
    }
    sort_fields = {
        f"sort_name_{lang}": fields.COLUMN(columns.VarBytesColumn()) for lang in SORT_LANGUAGES
    }
    return fields.Schema(
        uid=fields.ID(unique=True, stored=True),
        kind=fields.ID(stored=True, sortable=columns.RefBytesColumn()),
        entity_id=fields.STORED(),
        site_id=fields.STORED(),
        public=fields.ID(),
        # Names (in every language, alternative names, titles) apart from the rest, so a
        # name match outranks a mention; `text` holds the stems of everything.
        name_exact=analysis.lower_field(),
        name=analysis.folded_field(),
        name_key=analysis.key_field(),
        key=analysis.key_field(),
        text=analysis.stem_field(),
        # One term per year (no tiers): years are few, so ranges expand cheaply.
        year_from=fields.NUMERIC(int, bits=32, signed=True, shift_step=0),
        year_to=fields.NUMERIC(int, bits=32, signed=True, shift_step=0),
        date_up=fields.COLUMN(columns.NumericColumn("q", default=NO_DATE)),
        date_down=fields.COLUMN(columns.NumericColumn("q", default=NO_DATE)),
        published_down=fields.COLUMN(columns.NumericColumn("q", default=NO_DATE)),
        **sort_fields,
        **facet_fields,
    )


def whoosh_fields(document: Document) -> dict[str, Any]:
    """The values Whoosh stores and indexes for `document`."""
    names = "\n".join(name for name in document.names if name)
    short = "\n".join(part for part in document.short if part)
    text = "\n".join(part for part in (names, short, *document.text) if part)
    values: dict[str, Any] = {
        "uid": document.uid,
        "kind": document.kind,
        "entity_id": document.entity_id,
        "site_id": document.site_id,
        "name_exact": names,
        "name": names,
        "name_key": names,
        "key": "\n".join(part for part in (short, *document.related) if part),
        "text": text,
        "date_up": NO_DATE if document.date is None else document.date,
        "date_down": NO_DATE if document.date is None else -document.date,
        "published_down": NO_DATE if document.published is None else -document.published,
    }
    if not document.public:
        # Only the few unpublished entries carry the term that public searches exclude.
        values["public"] = "0"
    for lang in SORT_LANGUAGES:
        name = document.sort_names.get(lang) or next(
            (other for other in document.sort_names.values() if other), ""
        )
        # The language's collation key: its bytes sort as the language orders names.
        values[f"sort_name_{lang}"] = sort_key(name, lang)
    # A record dated by one year only spans that year.
    year_from = document.year_from if document.year_from is not None else document.year_to
    year_to = document.year_to if document.year_to is not None else document.year_from
    if year_from is not None and year_to is not None:
        values["year_from"], values["year_to"] = year_from, year_to
    for name, value in document.facets.items():
        if value and name != "kind":
            values[name] = value
    return values
