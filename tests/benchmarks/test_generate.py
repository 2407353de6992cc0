"""The synthetic archive generator: valid codes, realistic text, reproducible output."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import func, select

from heritage import create_app
from heritage.extensions import db
from heritage.models import (
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    Photo,
    RestorationRecord,
    Site,
    User,
)
from heritage.schemas import CollectionObjectInput, RestorationInput, SiteInput
from heritage.schemas.gravestone import GravestoneInput
from heritage.schemas.survey import SurveyInput
from heritage.vocab import (
    CATEGORIES,
    CLEARANCE_STATUSES,
    CLEARED,
    CONDITIONS,
    DISTRICTS,
    PHOTO_STAGES,
    PROTECTION_LEVELS,
    PUBLICATION_STATUSES,
    SITE_TYPES,
    STARTED_WORK_STATUSES,
    WORK_STATUSES,
    WORK_TYPES,
)

SITES = 60
AZ_LETTERS = set("əƏıİşŞçÇğĞöÖüÜxXqQcC")


def _import_generator() -> ModuleType:
    """benchmarks/ holds scripts, not an installed package: import the generator by its path."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("benchmarks_generate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


generator = _import_generator()


def _sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'archive.db'}"


@contextmanager
def _opened(database_url: str, directory: Path) -> Iterator[None]:
    """An app context on the generated database, for reading it through the ORM."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(directory / "reader"),
            "SECRET_KEY": "test-secret-key",
        }
    )
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def _words(text: str | None) -> int:
    return len((text or "").split())


def _cyrillic_share(text: str) -> float:
    """The share of letters that are Cyrillic (Russian prose keeps Roman centuries: XV век)."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u0400" <= ch <= "\u04ff" for ch in letters) / len(letters)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Iterator[dict[str, int]]:
    """60 generated sites, read through the ORM in an app context."""
    directory = tmp_path_factory.mktemp("archive")
    url = _sqlite_url(directory)
    counts = generator.generate(url, SITES, seed=1, instance_path=str(directory / "instance"))
    with _opened(url, directory):
        yield counts


def test_generator_knows_every_site_type_and_district():
    assert set(generator.TYPES) == set(SITE_TYPES.codes)
    assert set(generator.DISTRICT_FACTS) == set(DISTRICTS.codes)


def test_counts_match_the_database(archive):
    assert archive["sites"] == SITES
    assert archive["records"] > 0
    assert archive["photos"] > 0
    for model, key in ((Site, "sites"), (RestorationRecord, "records"), (Photo, "photos")):
        assert db.session.scalar(select(func.count()).select_from(model)) == archive[key]


def test_one_generator_account_owns_everything(archive):
    (user,) = db.session.scalars(select(User)).all()
    assert user.email == "generator@heritage.invalid"
    assert (user.role, user.password_hash) == ("admin", None)
    for model in (Site, RestorationRecord, Photo):
        owners = set(db.session.execute(select(model.created_by_id, model.updated_by_id)).all())
        assert owners == {(user.id, user.id)}


def test_site_fields_hold_vocabulary_codes(archive):
    for site in db.session.scalars(select(Site)):
        assert site.category in CATEGORIES
        assert site.site_type in SITE_TYPES
        assert SITE_TYPES[site.site_type].extra["category"] == site.category
        assert site.district in DISTRICTS
        assert site.condition in CONDITIONS
        assert site.protection_level in PROTECTION_LEVELS
        assert site.clearance_status in CLEARANCE_STATUSES
        assert site.status in PUBLICATION_STATUSES


def test_sites_pass_the_archive_validation(archive):
    """Every site is input the archive's own schema accepts, cross-field rules included."""
    fields = set(SiteInput().fields) - {"internal_note"}
    for site in db.session.scalars(select(Site)):
        data = {name: getattr(site, name) for name in fields}
        data["clearance_date"] = site.clearance_date and site.clearance_date.isoformat()
        SiteInput().load(data)


def test_site_facts_are_consistent(archive):
    sites = db.session.scalars(select(Site)).all()
    assert len({site.slug for site in sites}) == SITES
    assert len({site.inventory_number for site in sites}) == SITES
    for site in sites:
        assert re.fullmatch(r"SYN-\d{7}", site.inventory_number)
        assert 39.1 <= site.latitude <= 40.4
        assert 45.9 <= site.longitude <= 47.3
        assert site.year_from < site.year_to
        assert all(site.names.values())
        assert all(getattr(site, f"period_{lang}") for lang in ("az", "en", "ru"))
        assert (site.clearance_status == CLEARED) == (site.clearance_date is not None)
        assert (site.clearance_status == CLEARED) == (site.clearance_reference is not None)
        assert (site.status == "withdrawn") == bool(site.withdrawal_reason)
        assert site.version == 1
        assert site.created_at.tzinfo is not None
        assert site.created_at <= site.updated_at
        assert len(site.alternative_names) <= 2
    statuses = [site.status for site in sites]
    assert statuses.count("published") > SITES / 2


def test_names_in_three_languages_and_scripts(archive):
    sites = db.session.scalars(select(Site)).all()
    for site in sites:
        assert all(site.names.values())
        assert site.name_en.isascii()
        assert _cyrillic_share(site.name_ru) == 1
    with_az_letters = [site for site in sites if AZ_LETTERS & set(site.name_az)]
    assert len(with_az_letters) > SITES / 2
    # Some names are real places, so transliteration search has targets: Şuşa, Shusha, Шуша.
    places = [(term.az, term.en, term.ru) for term in DISTRICTS]
    assert any(
        az in site.name_az and en in site.name_en and ru in site.name_ru
        for site in sites
        for az, en, ru in places
    )


@pytest.mark.parametrize(
    ("az", "en", "ru"),
    [
        ("Gövhərli", "Govharli", "Гёвхарли"),
        ("Kəlbəcər", "Kalbajar", "Кельбаджар"),
        ("Şuşa", "Shusha", "Шуша"),
        ("Qubadlı", "Gubadli", "Губадлы"),
        ("Yuxarı Ağcabədi", "Yukhari Aghjabadi", "Юхары Агджабади"),
        ("İsmayıl Cəfərov", "Ismayil Jafarov", "Исмайыл Джафаров"),
    ],
)
def test_transliteration(az, en, ru):
    assert generator.to_english(az) == en
    assert generator.to_russian(az) == ru


def test_descriptions_run_80_to_150_words_in_each_language(archive):
    for site in db.session.scalars(select(Site)):
        for lang in ("az", "en", "ru"):
            assert 80 <= _words(getattr(site, f"description_{lang}")) <= 150, (site.slug, lang)
        assert AZ_LETTERS & set(site.description_az)
        assert _cyrillic_share(site.description_ru) > 0.95


def test_descriptions_vary(archive):
    descriptions = [site.description_en for site in db.session.scalars(select(Site))]
    assert len(set(descriptions)) == SITES
    vocabulary = {word for text in descriptions for word in text.lower().split()}
    assert len(vocabulary) > 500


def test_records_are_valid_and_consistent(archive):
    records = db.session.scalars(select(RestorationRecord)).all()
    assert {record.work_status for record in records} >= {"planned", "completed"}
    fields = set(RestorationInput().fields) - {"internal_note"}
    for record in records:
        assert record.work_type in WORK_TYPES
        assert record.work_status in WORK_STATUSES
        assert record.condition_before in CONDITIONS
        assert record.condition_after is None or record.condition_after in CONDITIONS
        assert record.status in PUBLICATION_STATUSES
        assert all((record.title, record.organisation, record.team, record.materials))
        assert 40 <= _words(record.description) <= 100
        if record.start_date and record.end_date:
            assert record.start_date <= record.end_date
        if record.work_status in STARTED_WORK_STATUSES:
            assert record.start_date
        if record.work_status == "completed":
            assert record.end_date
        started_uncleared = (
            record.work_status in STARTED_WORK_STATUSES and record.site.clearance_status != CLEARED
        )
        assert started_uncleared == bool(record.clearance_override_reason)
        data = {name: getattr(record, name) for name in fields}
        for name in ("start_date", "end_date"):
            data[name] = data[name] and data[name].isoformat()
        RestorationInput().load(data)


def test_photos_are_valid_and_linked(archive):
    photos = db.session.scalars(select(Photo)).all()
    assert len({photo.sha256 for photo in photos}) == len(photos)
    assert {photo.stage for photo in photos} >= {"general", "before"}
    for photo in photos:
        assert re.fullmatch(r"[0-9a-f]{64}", photo.sha256)
        assert photo.stage in PHOTO_STAGES
        assert photo.status in PUBLICATION_STATUSES
        assert (photo.media_type, photo.licence) == ("image/jpeg", "CC-BY-4.0")
        assert min(photo.width, photo.height, photo.size_bytes) > 0
        assert all((photo.original_filename, photo.camera, photo.photographer))
        assert photo.captured_at.tzinfo is not None
        assert all(photo.captions.values())
        assert all((photo.alt_az, photo.alt_en, photo.alt_ru))
        if photo.record_id is None:
            assert photo.stage == "general"
        else:
            assert photo.stage in ("before", "during", "after")
            assert photo.record.site_id == photo.site_id
            assert photo.record.start_date
        if photo.gps_latitude is not None:
            assert abs(photo.gps_latitude - photo.site.latitude) < 0.05
            assert abs(photo.gps_longitude - photo.site.longitude) < 0.05


def test_same_seed_same_archive(tmp_path):
    def names(directory: Path, seed: int) -> list[tuple[str, ...]]:
        directory.mkdir()
        url = _sqlite_url(directory)
        generator.generate(url, 20, seed=seed, instance_path=str(directory / "instance"))
        columns = (Site.name_az, Site.name_en, Site.name_ru, Site.description_ru)
        with _opened(url, directory):
            return [tuple(row) for row in db.session.execute(select(*columns).order_by(Site.id))]

    first = names(tmp_path / "first", seed=7)
    assert names(tmp_path / "second", seed=7) == first
    assert names(tmp_path / "other", seed=8) != first


def test_refuses_a_database_with_sites_unless_appending(tmp_path):
    url = _sqlite_url(tmp_path)
    instance = str(tmp_path / "instance")
    generator.generate(url, 3, instance_path=instance)
    with pytest.raises(generator.ArchiveNotEmpty, match="already holds 3 sites"):
        generator.generate(url, 3, instance_path=instance)

    assert generator.generate(url, 2, append=True, instance_path=instance)["sites"] == 2
    with _opened(url, tmp_path):
        numbers = db.session.scalars(select(Site.inventory_number).order_by(Site.id)).all()
        assert numbers == [f"SYN-{n:07d}" for n in range(1, 6)]
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_command_line_refusal_exits_with_a_message(tmp_path, capsys):
    url = _sqlite_url(tmp_path)
    generator.main(["--sites", "2", "--database-url", url, "--instance-path", str(tmp_path)])
    assert "Generated 2 sites" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="already holds 2 sites"):
        generator.main(["--sites", "2", "--database-url", url])


def _input(schema, entity) -> dict:
    """An entity's fields as its input schema reads them (dates as ISO text)."""
    data = {}
    for name in set(schema().fields) - {"internal_note"}:
        value = getattr(entity, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_objects_gravestones_and_surveys_are_valid_and_where_they_belong(archive):
    objects = db.session.scalars(select(CollectionObject)).all()
    stones = db.session.scalars(select(Gravestone)).all()
    surveys = db.session.scalars(select(ConditionSurvey)).all()
    assert (len(objects), len(stones), len(surveys)) == (
        archive["objects"],
        archive["gravestones"],
        archive["surveys"],
    )
    assert min(len(objects), len(stones), len(surveys)) > 0
    for obj in objects:
        assert obj.site.category == "museum"
        assert obj.object_status == obj.status_history[-1]["status"]
        CollectionObjectInput().load(_input(CollectionObjectInput, obj))
    for stone in stones:
        assert stone.site.site_type in ("cemetery", "necropolis")
        GravestoneInput().load(_input(GravestoneInput, stone))
    assert {stone.calendar for stone in stones} == {"hijri", "gregorian"}
    for survey in surveys:
        SurveyInput().load(_input(SurveyInput, survey))
    # Realistic proportions: a few objects a museum, a few stones a cemetery, fewer surveys
    # than sites.
    museums = sum(1 for site in db.session.scalars(select(Site)) if site.category == "museum")
    assert len(surveys) < SITES
    assert len(objects) <= 20 * max(museums, 1)


def test_the_new_kinds_leave_a_seeds_sites_as_they_were(tmp_path):
    url = _sqlite_url(tmp_path)
    parts = generator.PartsMeans(0, 0, 0)
    generator.generate(url, 5, seed=3, instance_path=str(tmp_path / "i"), parts=parts)
    with _opened(url, tmp_path):
        without = [(s.slug, s.description_en) for s in db.session.scalars(select(Site))]
    other = tmp_path / "other"
    other.mkdir()
    url = _sqlite_url(other)
    generator.generate(url, 5, seed=3, instance_path=str(other / "i"))
    with _opened(url, other):
        assert [(s.slug, s.description_en) for s in db.session.scalars(select(Site))] == without
