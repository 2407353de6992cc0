"""What the index holds for one record: plain values, engine-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("site", "record", "photo", "object", "gravestone", "survey")

# The facets the index can count, in display order. Records and photos carry their site's
# values, so "mosques in Şuşa" also finds the work done on them and their photos. A survey
# counts under "condition" with the condition it found, and under "damage_type" with the
# gravest damage it found (a facet holds one value a record).
FACETS = (
    "kind",
    "category",
    "site_type",
    "district",
    "condition",
    "clearance_status",
    "work_type",
    "object_type",
    "object_status",
    "marker_type",
    "risk_level",
    "urgency",
    "damage_type",
    "century",
    "status",
)


def uid(kind: str, entity_id: int) -> str:
    """The index-wide identifier of a record: site:12, record:7, photo:3, object:5."""
    return f"{kind}:{entity_id}"


@dataclass(frozen=True)
class Document:
    """One searchable record (a site, a restoration record or a photo)."""

    kind: str
    entity_id: int
    site_id: int
    # Whether the public may see it: published, under a published site (and record).
    public: bool
    # Names in any language and script: matches here rank highest.
    names: list[str] = field(default_factory=list)
    # Short texts with proper names in them (places, people, organisations, captions, the
    # site's names on its records): these also match across scripts and spellings.
    short: list[str] = field(default_factory=list)
    # Everything else: descriptions, labels, materials, ….
    text: list[str] = field(default_factory=list)
    # The names of the site a record or photo belongs to: they find it by the proper names
    # in them (Şuşa, Гевхар), while "mosque" finds mosques, not every photo of one.
    related: list[str] = field(default_factory=list)
    facets: dict[str, str | None] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    # Sort keys: the display name per language, and a date as yyyymmdd (a site's year as
    # yyyy0000, so monuments and the work on them share one time line).
    sort_names: dict[str, str] = field(default_factory=dict)
    date: int | None = None
    # When it was first published, in microseconds since 1970 (None: never), for "recently
    # published first".
    published: int | None = None

    @property
    def uid(self) -> str:
        return uid(self.kind, self.entity_id)
