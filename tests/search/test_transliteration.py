"""Every spelling of a name finds every other: Azerbaijani, English, Russian, no diacritics."""

from __future__ import annotations

import importlib.util
import itertools
import random
import sys
from pathlib import Path

import pytest

from heritage.search.glossary import translations
from heritage.search.translit import fold, keys, lower
from heritage.services import sites
from tests.data import place_name_rows
from tests.search.conftest import ids

ROWS = place_name_rows()


def _generator():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("search_tests_generate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _share_a_key(a: str, b: str) -> bool:
    return bool(set(keys(a)) & set(keys(b)))


def test_the_acceptance_data_is_there():
    kinds = {row[0] for row in ROWS}
    assert {"region", "district", "site"} <= kinds
    assert len(ROWS) >= 20


def test_every_row_finds_every_spelling_in_every_direction(find, editor):
    """Each row's name is catalogued three times, in one language only each time; a search
    for any of its spellings (and for the spelling without diacritics) finds all three."""
    targets = {}
    for number, (_kind, az, en, ru) in enumerate(ROWS):
        for lang, name in (("az", az), ("en", en), ("ru", ru)):
            names = {"name_az": "", "name_en": "", "name_ru": "", f"name_{lang}": name}
            site = sites.create_site(
                {
                    "category": "monument",
                    "site_type": "house",
                    "district": "barda",
                    "clearance_status": "cleared",
                    "slug": f"row-{number}-{lang}",
                    **names,
                },
                actor=editor,
            )
            targets[(number, lang)] = site.id
    missing = []
    for number, (_kind, az, en, ru) in enumerate(ROWS):
        names = {"az": az, "en": en, "ru": ru}
        for text in (az, en, ru, fold(az)):
            found = set(ids(find(text, actor=editor, staff=True)))
            missing += [
                f"{text!r} did not find {name!r}"
                for lang, name in names.items()
                if targets[(number, lang)] not in found
            ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(("kind", "az", "en", "ru"), [row for row in ROWS if " " not in row[1]])
def test_one_word_names_share_a_transliteration_key(kind, az, en, ru):
    for a, b in itertools.combinations((az, en, ru, fold(az), az.upper(), ru.lower()), 2):
        assert _share_a_key(a, b), (a, b)


@pytest.mark.parametrize(
    ("spellings"),
    [
        # Real names that are not in the acceptance data.
        ("Xankəndi", "Khankendi", "Ханкенди"),
        ("Ağdərə", "Aghdara", "Агдере"),
        ("Hadrut", "Hadrut", "Гадрут"),
        ("Naxçıvan", "Nakhchivan", "Нахичевань"),
        ("Gəncə", "Ganja", "Гянджа"),
        ("Şəmkir", "Shamkir", "Шамкир"),
        ("Lənkəran", "Lankaran", "Ленкорань"),
        ("Mingəçevir", "Mingachevir", "Мингечевир"),
        ("Qəbələ", "Gabala", "Габала"),
        ("İsmayıllı", "Ismayilli", "Исмаиллы"),
        ("Yevlax", "Yevlakh", "Евлах"),
        ("Həsənabad", "Hasanabad", "Гасанабад"),
        ("Xudafərin", "Khudafarin", "Худаферин"),
        ("Məmmədbəyli", "Mammadbeyli", "Мамедбейли"),
        ("İçərişəhər", "Icherisheher", "Ичеришехер"),
        ("Susa", "Şuşa", "Шуша"),
    ],
)
def test_names_outside_the_data_follow_the_same_rules(spellings):
    for a, b in itertools.combinations(spellings, 2):
        assert _share_a_key(a, b), (a, b)


def test_names_the_generator_transliterates_share_a_key():
    """Hundreds of made-up names, spelt the usual ways, by rules the index never saw."""
    generate = _generator()
    faker = generate.ArchiveFaker(
        random.Random(7), user_id=1, records_per_site=0, photos_per_site=0
    )
    failures = []
    for _ in range(400):
        az, en, ru = generate.transliterated(faker.word())
        plain = generate.az_ascii(az)
        for a, b in itertools.combinations((az, en, ru, plain), 2):
            if not _share_a_key(a, b):
                failures.append((a, b))
    assert not failures, failures[:20]


@pytest.mark.parametrize(
    ("adjective", "name"),
    [
        ("Шушинская", "Şuşa"),
        ("Агдамский", "Ağdam"),
        ("Лачинского", "Laçın"),
        ("Физулинский", "Füzuli"),
        ("Кельбаджарская", "Kəlbəcər"),
        ("Aghdamsky", "Ağdam"),
    ],
)
def test_russian_adjectives_find_the_name_they_come_from(adjective, name):
    assert _share_a_key(adjective, name)


@pytest.mark.parametrize(
    ("inflected", "name"),
    [("Şuşanın", "Shusha"), ("Şuşada", "Шуша"), ("Kəlbəcərdən", "Kalbajar"), ("Агдамом", "Ağdam")],
)
def test_case_endings_find_the_bare_name(inflected, name):
    assert _share_a_key(inflected, name)


def test_capital_i_with_a_dot_lowercases_to_a_plain_i():
    assert lower("İçərişəhər") == "içərişəhər"
    assert fold("İÇƏRİŞƏHƏR") == fold("içərişəhər") == "icerisheher".replace("sh", "s")
    assert fold("Cəbrayıl") == "cebrayil"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("mosque", {"məscid", "мечеть"}),
        ("fortress", {"qala", "крепость"}),
        ("mausoleum", {"türbə", "мавзолей"}),
        ("bridge", {"körpü", "мост"}),
        ("church", {"kilsə", "церковь"}),
        ("cave", {"mağara", "пещера"}),
        ("cemetery", {"qəbiristanlıq", "кладбище"}),
        ("museum", {"muzey", "музей"}),
        ("мечети", {"mosque", "məscid"}),
        ("qalası", {"fortress", "крепость"}),
    ],
)
def test_the_glossary_translates_generic_words(word, expected):
    assert expected <= translations(word)


def test_a_capital_dotted_i_finds_the_lowercase_spelling(find, make_site, editor):
    site = make_site(name_az="İçərişəhər məhəlləsi", name_en="", name_ru="")

    for query in ("İçərişəhər", "içərişəhər", "icerisheher", "Icherisheher", "Ичеришехер"):
        assert ids(find(query, actor=editor, staff=True)) == [site.id], query
