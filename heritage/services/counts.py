"""Counts of what the public sees, kept up to date in the transaction of each change: the
home page's totals and the unfiltered browse page's filter counts read a few rows, however
large the archive grows, instead of counting it on every request.

Each published record contributes to some counts (a site to "sites" and to one count per
filter value, "sites.district=shusha"; a restoration record to "records"); a change adds
what the record contributes after it and takes away what it contributed before
(`contributions`, `apply`). `recount` rebuilds them all from the public gate's own queries,
for data written around the services (the benchmark generator).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from heritage.db import upsert
from heritage.extensions import db
from heritage.models import PublicCount, RestorationRecord, Site
from heritage.periods import period_of, period_sql
from heritage.services import public

SITES = "sites"
RECORDS = "records"
# The filters of the browse page whose counts are kept, with how a site's value is found.
FILTERS = {
    "category": lambda site: site.category,
    "site_type": lambda site: site.site_type,
    "district": lambda site: site.district,
    "condition": lambda site: site.condition,
    "century": lambda site: period_of(site.year_from),
}


def filter_name(name: str, value: object) -> str:
    return f"{SITES}.{name}={value}"


def contributions(kind: str, entity) -> Counter[str]:
    """What a record the public sees (of the kind so named) adds to the counts."""
    if kind == "record":
        return Counter({RECORDS: 1})
    if kind != "site":
        return Counter()
    found = Counter({SITES: 1})
    for name, value_of in FILTERS.items():
        value = value_of(entity)
        if value is not None:
            found[filter_name(name, value)] = 1
    records = public.published_records().where(RestorationRecord.site_id == entity.id)
    found[RECORDS] = db.session.scalar(records.with_only_columns(func.count(RestorationRecord.id)))
    return found


def apply(before: Counter[str], after: Counter[str]) -> None:
    """Move the counts from what a record contributed before a change to what it does
    after, in the current transaction."""
    deltas = {name: after[name] - before[name] for name in {*before, *after}}
    rows = [{"name": name, "count": delta} for name, delta in sorted(deltas.items()) if delta]
    if rows:
        statement = upsert(PublicCount, rows)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["name"],
                set_={"count": PublicCount.count + statement.excluded.count},
            )
        )


def totals() -> dict[str, int]:
    """How many sites and restoration records the public can see."""
    rows = db.session.execute(
        select(PublicCount.name, PublicCount.count).where(PublicCount.name.in_((SITES, RECORDS)))
    )
    return {SITES: 0, RECORDS: 0, **dict(rows.all())}


def sites_matching(filters: public.SiteFilters) -> int | None:
    """How many published sites match `filters`, when that is counted (none chosen)."""
    return totals()[SITES] if filters == public.SiteFilters() else None


def browse_counts(filters: public.SiteFilters) -> dict[str, dict]:
    """For each filter of the browse page, how many published sites each value would give,
    the other filters kept: read from the counts while none is chosen."""
    return _filter_counts() if filters == public.SiteFilters() else public.filter_counts(filters)


def _filter_counts() -> dict[str, dict]:
    prefix = f"{SITES}."
    # A range of the primary key: the rows whose names start with the prefix.
    rows = db.session.execute(
        select(PublicCount.name, PublicCount.count).where(
            PublicCount.name >= prefix, PublicCount.name < f"{SITES}/", PublicCount.count > 0
        )
    )
    found: dict[str, dict] = {name: {} for name in FILTERS}
    for key, count in rows:
        name, value = key.removeprefix(prefix).split("=", 1)
        found[name][int(value) if name == "century" else value] = count
    return {name: dict(sorted(values.items())) for name, values in found.items()}


def recount() -> None:
    """Count everything again from the public gate, in the current transaction."""
    sites = public.published_sites()
    counted = Counter(
        {
            SITES: db.session.scalar(sites.with_only_columns(func.count(Site.id))),
            RECORDS: db.session.scalar(
                public.published_records().with_only_columns(func.count(RestorationRecord.id))
            ),
        }
    )
    columns = {name: getattr(Site, name) for name in FILTERS if name != "century"}
    columns["century"] = period_sql(Site.year_from)
    for name, column in columns.items():
        query = sites.with_only_columns(column, func.count(Site.id)).where(column.is_not(None))
        for value, count in db.session.execute(query.group_by(column)):
            counted[filter_name(name, value)] = count
    db.session.execute(PublicCount.__table__.delete())
    rows = [{"name": name, "count": count} for name, count in sorted(counted.items())]
    if rows:
        db.session.execute(upsert(PublicCount, rows))
