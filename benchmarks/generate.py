"""Generate a reproducible synthetic archive of N sites, for search and gallery benchmarks.

    python benchmarks/generate.py --sites 100000 --database-url sqlite:////tmp/bench.db

or, from Python, `generate("sqlite:////tmp/bench.db", 100_000)`, which returns the counts.

Sites get names and descriptions in Azerbaijani, English and Russian, built from syllable
models and sentence templates; the English and Russian names are the usual transliterations
of the Azerbaijani ones, and some are real district names (the spellings of place-names.tsv,
which heritage.vocab.DISTRICTS holds), so transliteration search has realistic targets.
Restoration records and photo metadata (no files) come with them, and every coded column
holds a vocabulary code.

The database is migrated first, and one that already holds sites is refused unless
--append is given. Rows go in with Core executemany, one transaction per batch of sites, so
an interrupted run keeps the batches already committed. The same seed into an empty
database gives the same archive.

Triples of words and templates are (az, en, ru), the order of heritage.vocab.LANGUAGES.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from tempfile import TemporaryDirectory
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, func, insert, make_url, select

from heritage import create_app
from heritage.cli import upgrade_database
from heritage.collation import name_sort_keys
from heritage.db import begin_write
from heritage.extensions import db
from heritage.models import Base
from heritage.services import counts
from heritage.text import slugify
from heritage.vocab import (
    CLEARED,
    DAMAGE_EXTENTS,
    DAMAGE_TYPES,
    DISTRICTS,
    MARKER_TYPES,
    OBJECT_STATUSES,
    OBJECT_TYPES,
    RISK_LEVELS,
    SITE_TYPES,
    STARTED_WORK_STATUSES,
    SURVEY_METHODS,
    URGENCIES,
)

Triple = tuple[str, str, str]
Row = dict[str, Any]
Progress = Callable[[dict[str, int], int], None]

SITES = Base.metadata.tables["sites"]
RECORDS = Base.metadata.tables["restoration_records"]
PHOTOS = Base.metadata.tables["photos"]
OBJECTS = Base.metadata.tables["collection_objects"]
GRAVESTONES = Base.metadata.tables["gravestones"]
SURVEYS = Base.metadata.tables["condition_surveys"]
USERS = Base.metadata.tables["users"]

# Sites per transaction: with their records and photos, about 6,000 rows.
BATCH_SITES = 1000
INVENTORY_PREFIX = "SYN"
GENERATOR_EMAIL = "generator@heritage.invalid"
# Fixed, so a seed gives the same archive whatever day it runs.
FIRST_DAY = date(2021, 1, 1)
LAST_DAY = date(2026, 10, 31)
LATITUDES = (39.1, 40.4)
LONGITUDES = (45.9, 47.3)
ALL_LANGUAGES = (0, 1, 2)


class ArchiveNotEmpty(RuntimeError):
    """The target database already holds sites and appending was not asked for."""


# --- Azerbaijani spelling, and its English and Russian transliteration ----------------------------

_VOWELS = "aıouəeiöü"
_BACK_VOWELS = "aıou"
_FRONT_VOWELS = "əeiöü"
# The high vowel a suffix takes after each vowel (four-way harmony).
_HIGH = dict(zip(_VOWELS, "ııuuiiiüü", strict=True))
# case: (after a consonant, after a vowel); A and I stand for the harmonised vowels.
_CASE_SUFFIXES = {
    "gen": ("In", "nIn"),
    "acc": ("I", "nI"),
    "poss": ("I", "sI"),
    "dat": ("A", "yA"),
    "loc": ("dA", "dA"),
    "abl": ("dAn", "dAn"),
    "cop": ("dIr", "dIr"),
}
# fmt: off
_EN_LETTERS = {
    "ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh", "ö": "o", "ü": "u", "c": "j", "x": "kh",
    "q": "g", "j": "zh",
}
_RU_LETTERS = {
    "a": "а", "b": "б", "c": "дж", "ç": "ч", "d": "д", "e": "е", "ə": "а", "f": "ф", "g": "г",
    "ğ": "г", "h": "г", "x": "х", "ı": "ы", "i": "и", "j": "ж", "k": "к", "q": "г", "l": "л",
    "m": "м", "n": "н", "o": "о", "ö": "ё", "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т",
    "u": "у", "ü": "ю", "v": "в", "y": "й", "z": "з",
}
# fmt: on
_EN_TABLE = str.maketrans(
    {"İ": "I"}
    | _EN_LETTERS
    | {letter.upper(): spelling.capitalize() for letter, spelling in _EN_LETTERS.items()}
)
_RU_AFTER_Y = {"a": "я", "ə": "я", "u": "ю", "ü": "ю", "o": "ё", "ö": "ё", "e": "е"}
_RU_WORD_INITIAL = {"e": "э", "ö": "о", "ü": "у"}
_ASCII_TABLE = str.maketrans("əƏıİşŞçÇğĞöÖüÜ", "eEiIsScCgGoOuU")


def az_lower(text: str) -> str:
    """Lowercase by Azerbaijani rules: İ → i and I → ı."""
    return text.replace("İ", "i").replace("I", "ı").lower()


def az_capitalize(text: str) -> str:
    """Uppercase the first letter by Azerbaijani rules: i → İ and ı → I."""
    return {"i": "İ", "ı": "I"}.get(text[:1], text[:1].upper()) + text[1:]


def az_case(phrase: str, case: str) -> str:
    """`phrase` with a case (gen, acc, dat, loc, abl), possessive or copula suffix, harmonised.

    The suffix goes on the last word; a final q or k of a longer word softens before a vowel
    (bulaq → bulağı).
    """
    word = az_lower(phrase.rsplit(" ", 1)[-1])
    vowels = [ch for ch in word if ch in _VOWELS]
    last = vowels[-1] if vowels else "ə"
    after_consonant, after_vowel = _CASE_SUFFIXES[case]
    suffix = after_vowel if word[-1] in _VOWELS else after_consonant
    suffix = suffix.replace("A", "a" if last in _BACK_VOWELS else "ə").replace("I", _HIGH[last])
    if suffix[0] in _VOWELS and len(vowels) > 1 and word[-1] in "qk":
        phrase = phrase[:-1] + {"q": "ğ", "k": "y"}[word[-1]]
    return phrase + suffix


def az_li(word: str) -> str:
    """The suffix -lı/-li/-lu/-lü ("of, from") harmonised with `word`."""
    vowels = [ch for ch in az_lower(word) if ch in _VOWELS]
    return "l" + _HIGH[vowels[-1] if vowels else "ə"]


def az_year(year: int) -> str:
    """The year with its ordinal suffix, which follows the last number spoken: 1868-ci, 1990-cı."""
    units = ("", "ci", "ci", "cü", "cü", "ci", "cı", "ci", "ci", "cu")
    tens = ("", "cu", "ci", "cu", "cı", "ci", "cı", "ci", "ci", "cı")
    if year % 10:
        suffix = units[year % 10]
    elif year % 100:
        suffix = tens[year % 100 // 10]
    else:
        suffix = "cü" if year % 1000 else "ci"
    return f"{year}-{suffix}"


def az_ascii(text: str) -> str:
    """Azerbaijani typed without its own letters (Gövhərli → Govherli), as people often search."""
    return text.translate(_ASCII_TABLE)


def to_english(text: str) -> str:
    """The usual English spelling of Azerbaijani: Gövhərli → Govharli, Xocalı → Khojali."""
    return text.translate(_EN_TABLE)


def to_russian(text: str) -> str:
    """The usual Russian spelling of Azerbaijani: Gövhərli → Гёвхарли, Kəlbəcər → Кельбаджар."""
    source = az_lower(text)
    pieces = []
    i = 0
    while i < len(source):
        ch, step = source[i], 1
        before = source[i - 1] if i else " "
        after = source[i + 1] if i + 1 < len(source) else " "
        if ch not in _RU_LETTERS:
            piece = text[i]
        elif ch == "y" and after in _RU_AFTER_Y:
            piece, step = _RU_AFTER_Y[after], 2
        elif ch in _RU_WORD_INITIAL and not before.isalpha():
            piece = _RU_WORD_INITIAL[ch]
        elif ch == "ə" and before in "kg":
            piece = "е"
        elif ch == "h" and before.isalpha():
            piece = "х"
        elif ch == "l" and before in _FRONT_VOWELS and after not in _VOWELS:
            piece = "ль"
        else:
            piece = _RU_LETTERS[ch]
        pieces.append(piece.capitalize() if text[i].isupper() else piece)
        i += step
    return "".join(pieces)


@functools.lru_cache(maxsize=100_000)
def transliterated(az: str) -> Triple:
    """An Azerbaijani name with its English and Russian spellings."""
    return az, to_english(az), to_russian(az)


def roman(number: int) -> str:
    """A Roman numeral up to 39, as Azerbaijani and Russian write centuries."""
    tens, units = divmod(number, 10)
    return "X" * tens + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[units]


def english_ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


# --- Vocabulary -----------------------------------------------------------------------------------


class SiteType(NamedTuple):
    """How each language names and inflects a site type."""

    kind: str  # building, museum, structure, ground or burial: which sentences fit
    weight: int  # how common the type is
    az: str  # common noun, inflected with az_case
    az_name: str  # after a proper name: "Gövhərli məscidi"
    en_name: str  # after a proper name: "Govharli Mosque"
    ru_name: str  # before a proper name: "Мечеть Гёвхарли"
    ru: str  # common noun
    ru_gen: str
    ru_gender: int  # 0 masculine, 1 feminine, 2 neuter


class WorkType(NamedTuple):
    """How each language names a kind of restoration work on an element of the site."""

    az: str  # after the element's genitive: "giriş portalının bərpası"
    en: str  # "Restoration of the {el}"
    ru: str  # before the element's genitive: "Реставрация входного портала"
    ru_dat: str  # "работы по реставрации входного портала"
    az_noun: str  # "bərpadan əvvəl"
    en_noun: str  # "before restoration"
    ru_noun_gen: str  # "до реставрации"


# An element of a site worked on: (az, en, ru, ru genitive).
Element = tuple[str, str, str, str]

# fmt: off
TYPES = {
    "mosque": SiteType("building", 10, "məscid", "məscidi", "Mosque", "Мечеть",
                       "мечеть", "мечети", 1),
    "church": SiteType("building", 5, "kilsə", "kilsəsi", "Church", "Церковь",
                       "церковь", "церкви", 1),
    "monastery": SiteType("building", 2, "monastır", "monastırı", "Monastery", "Монастырь",
                          "монастырь", "монастыря", 0),
    "mausoleum": SiteType("building", 8, "türbə", "türbəsi", "Mausoleum", "Мавзолей",
                          "мавзолей", "мавзолея", 0),
    "fortress": SiteType("structure", 4, "qala", "qalası", "Fortress", "Крепость",
                         "крепость", "крепости", 1),
    "bridge": SiteType("structure", 5, "körpü", "körpüsü", "Bridge", "Мост",
                       "мост", "моста", 0),
    "palace": SiteType("building", 2, "saray", "sarayı", "Palace", "Дворец",
                       "дворец", "дворца", 0),
    "house": SiteType("building", 8, "ev", "evi", "House", "Дом",
                      "дом", "дома", 0),
    "caravanserai": SiteType("building", 2, "karvansara", "karvansarası", "Caravanserai",
                             "Караван-сарай", "караван-сарай", "караван-сарая", 0),
    "bathhouse": SiteType("building", 3, "hamam", "hamamı", "Bathhouse", "Баня",
                          "баня", "бани", 1),
    "spring": SiteType("structure", 6, "bulaq", "bulağı", "Spring", "Родник",
                       "родник", "родника", 0),
    "cave": SiteType("ground", 2, "mağara", "mağarası", "Cave", "Пещера",
                     "пещера", "пещеры", 1),
    "archaeological_site": SiteType("ground", 12, "arxeoloji abidə", "arxeoloji abidəsi",
                                    "Archaeological Site", "Археологический памятник",
                                    "археологический памятник", "археологического памятника", 0),
    "memorial": SiteType("structure", 4, "memorial", "memorialı", "Memorial", "Мемориал",
                         "мемориал", "мемориала", 0),
    "museum": SiteType("museum", 4, "muzey", "tarix-diyarşünaslıq muzeyi", "Local History Museum",
                       "Краеведческий музей", "музей", "музея", 0),
    "house_museum": SiteType("museum", 2, "muzey", "ev-muzeyi", "House Museum", "Дом-музей",
                             "дом-музей", "дома-музея", 0),
    "cemetery": SiteType("burial", 12, "qəbiristanlıq", "qəbiristanlığı", "Cemetery", "Кладбище",
                         "кладбище", "кладбища", 2),
    "necropolis": SiteType("burial", 4, "nekropol", "nekropolu", "Necropolis", "Некрополь",
                           "некрополь", "некрополя", 0),
}
# Types whose remains may be older than the Common Era, and types often named after a person.
ANCIENT_TYPES = frozenset({"cave", "archaeological_site", "necropolis"})
PERSON_NAMED_TYPES = frozenset({"mosque", "mausoleum", "palace", "house", "caravanserai",
                                "bathhouse", "spring", "house_museum"})

# Russian participles agreeing with the site type: masculine, feminine, neuter.
RU_AGREEMENT = {
    "was": ("был", "была", "было"),
    "built": ("построен", "построена", "построено"),
    "located": ("расположен", "расположена", "расположено"),
    "damaged": ("повреждён", "повреждена", "повреждено"),
    "repaired": ("отремонтирован", "отремонтирована", "отремонтировано"),
    "looted": ("разграблен", "разграблена", "разграблено"),
    "destroyed": ("разрушен", "разрушена", "разрушено"),
    "listed": ("включён", "включена", "включено"),
}
# Agreeing with a feature of the building instead: "Портал украшен", "Апсида украшена".
RU_DECORATED = ("украшен", "украшена", "украшено")

# District: the Russian adjective's stem (None for a city) and the centre its sites cluster at.
DISTRICT_FACTS = {
    "khankendi": (None, 39.82, 46.75), "aghjabadi": ("Агджабединск", 40.02, 47.22),
    "aghdam": ("Агдамск", 39.99, 46.93), "barda": ("Бардинск", 40.30, 47.13),
    "fuzuli": ("Физулинск", 39.60, 47.14), "khojaly": ("Ходжалинск", 39.91, 46.79),
    "khojavend": ("Ходжавендск", 39.75, 47.00), "shusha": ("Шушинск", 39.76, 46.75),
    "tartar": ("Тертерск", 40.30, 46.85), "jabrayil": ("Джебраильск", 39.40, 47.03),
    "kalbajar": ("Кельбаджарск", 40.10, 46.04), "gubadli": ("Губадлинск", 39.34, 46.58),
    "lachin": ("Лачинск", 39.64, 46.55), "zangilan": ("Зангиланск", 39.25, 46.62),
}

CONDITION_WEIGHTS = {"good": 10, "fair": 18, "poor": 25, "critical": 12, "ruined": 15,
                     "destroyed": 12, "unknown": 8}
PROTECTION_WEIGHTS = {"world": 1, "national": 20, "local": 50, "none": 29}
CLEARANCE_WEIGHTS = {"cleared": 45, "in_progress": 15, "suspected": 15, "confirmed": 5,
                     "not_surveyed": 20}
STATUS_WEIGHTS = {"published": 85, "draft": 7, "in_review": 5, "withdrawn": 3}
PHOTO_STATUS_WEIGHTS = {"published": 88, "draft": 6, "in_review": 4, "withdrawn": 2}
WORK_TYPE_WEIGHTS = {"survey": 20, "emergency_stabilisation": 15, "conservation": 20,
                     "restoration": 25, "reconstruction": 6, "excavation": 8, "maintenance": 6}
WORK_STATUS_WEIGHTS = {"planned": 25, "in_progress": 20, "completed": 45, "suspended": 10}
# Staff write records in any of the three languages: index into a triple.
RECORD_LANGUAGE_WEIGHTS = {0: 5, 1: 3, 2: 2}

ROOTS = ("Gövhər", "Qara", "Ağ", "Sarı", "Qızıl", "Dəmir", "Daş", "Gül", "Çinar", "Qaya",
         "Bulaq", "Yurd", "Pir", "Şıx", "Xan", "Nar", "Alma", "Söyüd", "Dağ", "Çay", "Günəş",
         "Göy", "Qoşa", "Ərik", "Qovaq", "Dərə", "Təpə", "Çal", "Quzey", "Güney")
ONSETS = ("b", "c", "ç", "d", "h", "x", "l", "m", "n", "p", "r", "s", "ş", "t", "v", "y", "z")
BACK_ONSETS = (*ONSETS, "q", "q", "x")
FRONT_ONSETS = (*ONSETS, "g", "k", "k")
CODAS = ("r", "l", "n", "m", "z", "s", "ş", "y", "d", "t", "x", "ç")
MALE_NAMES = ("Məmməd", "Əli", "Həsən", "Hüseyn", "Cəfər", "Qasım", "Rəşid", "Şahin", "Elçin",
              "Tural", "Vüqar", "Rövşən", "Fərid", "Nizami", "Kərim", "Səməd", "İsmayıl",
              "Abbas", "Mirzə", "Bəhram", "Tahir", "Yusif", "Ramil", "Orxan", "Anar", "Zaur",
              "Qəmbər", "Xəlil", "Mahmud", "Sübhan", "Ağası", "Şirin")
FEMALE_NAMES = ("Gülnarə", "Səbinə", "Leyla", "Aysel", "Zəhra", "Nərmin", "Günel", "Aynur",
                "Xədicə", "Ülviyyə", "Şəbnəm", "Nigar", "Lalə", "Fidan", "Xurşid", "Gövhər",
                "Sevinc", "Türkan")
# (az, en): the English translates, the Russian transliterates, as in place-names.tsv.
NAME_PREFIXES = (("Yuxarı", "Upper"), ("Aşağı", "Lower"), ("Böyük", "Great"),
                 ("Kiçik", "Small"), ("Köhnə", "Old"))
TITLES = (("Hacı", "Haji", "Гаджи"), ("Kərbəlayi", "Karbalayi", "Кербалаи"),
          ("Məşədi", "Mashadi", "Мешади"))
HONORIFICS = (("ağa", "Agha", "ага"), ("bəy", "Bey", "бек"), ("xan", "Khan", "хан"))

# (az ablative, en, ru genitive): "built of ..."
MATERIALS = (
    ("yonma daşdan", "cut stone", "тёсаного камня"),
    ("çay daşından", "river stone", "речного камня"),
    ("bişmiş kərpicdən", "baked brick", "обожжённого кирпича"),
    ("çiy kərpicdən", "mud brick", "сырцового кирпича"),
    ("əhəngdaşından", "limestone", "известняка"),
    ("bazaltdan", "basalt", "базальта"),
    ("tufdan", "tuff", "туфа"),
    ("çəhrayı tufdan", "pink tuff", "розового туфа"),
    ("qumdaşından", "sandstone", "песчаника"),
    ("mərmərdən", "marble", "мрамора"),
    ("palıd ağacından", "oak timber", "дубового дерева"),
)
# ((az possessive, en, ru), Russian gender): "Its ... is decorated with ..."
FEATURES = (
    (("Portalı", "portal", "Портал"), 0), (("Günbəzi", "dome", "Купол"), 0),
    (("Fasadı", "facade", "Фасад"), 0), (("Giriş tağı", "entrance arch", "Входная арка"), 1),
    (("Karnizi", "cornice", "Карниз"), 0), (("Tavanı", "ceiling", "Потолок"), 0),
    (("Baş taxçası", "main niche", "Главная ниша"), 1), (("Frizi", "frieze", "Фриз"), 0),
)
_APSE_AND_BELFRY = ((("Apsidası", "apse", "Апсида"), 1),
                    (("Zəng qülləsi", "bell tower", "Колокольня"), 1))
TYPE_FEATURES = {
    "mosque": ((("Mehrabı", "mihrab", "Михраб"), 0), (("Minarəsi", "minaret", "Минарет"), 0)),
    "church": _APSE_AND_BELFRY,
    "monastery": _APSE_AND_BELFRY,
}
BURIAL_FEATURES = (
    (("Mərkəzi baş daşı", "central tombstone", "Центральное надгробие"), 2),
    (("Ən böyük steli", "largest stele", "Самая большая стела"), 1),
)
# (az instrumental, en, ru instrumental): "decorated with ..."
ORNAMENTS = (
    ("həndəsi naxışlarla", "geometric patterns", "геометрическим орнаментом"),
    ("nəbati naxışlarla", "floral motifs", "растительными мотивами"),
    ("müqərnaslarla", "muqarnas", "мукарнасами"),
    ("oyma rozetlərlə", "carved rosettes", "резными розетками"),
    ("şirli kaşılarla", "glazed tiles", "глазурованными изразцами"),
    ("xəttatlıq kitabələri ilə", "calligraphic inscriptions", "каллиграфическими надписями"),
    ("rəngli kərpic hörgüsü ilə", "coloured brickwork", "цветной кирпичной кладкой"),
    ("divar rəsmləri ilə", "murals", "настенными росписями"),
    ("hörmə naxışlarla", "interlaced knots", "плетёным орнаментом"),
    ("heyvan təsvirləri ilə", "images of animals", "изображениями животных"),
)
CHURCH_ORNAMENTS = (("oyma xaçlarla", "carved crosses", "резными крестами"),)
# (az with its copula, en, ru): "The plan is ..."
PLANS = (("düzbucaqlıdır", "rectangular", "прямоугольный"), ("kvadratdır", "square", "квадратный"),
         ("səkkizguşəlidir", "octagonal", "восьмигранный"),
         ("xaçvaridir", "cross-shaped", "крестообразный"), ("dairəvidir", "circular", "круглый"))
REUSES = (("anbar", "warehouse", "склад"), ("məktəb", "school", "школа"), ("klub", "club", "клуб"),
          ("emalatxana", "workshop", "мастерская"), ("taxıl anbarı", "granary", "зернохранилище"))
# (az locative, en, ru prepositional): "stands on a ..."
TERRAINS = (("təpədə", "hill", "холме"), ("qayalı yamacda", "rocky spur", "скалистом отроге"),
            ("çay terrasında", "river terrace", "речной террасе"),
            ("meşəli yamacda", "forested slope", "лесистом склоне"),
            ("düzənlikdə", "plain", "равнине"))
# (az genitive, en, ru genitive): "near ..."
RIVERS = (
    ("Tərtər çayının", "the Tartar river", "реки Тертер"),
    ("Araz çayının", "the Araz river", "реки Аракс"),
    ("Həkəri çayının", "the Hakari river", "реки Акера"),
    ("Bazarçayın", "the Bazarchay", "реки Базарчай"),
    ("Qarqar çayının", "the Gargar river", "реки Каркар"),
    ("Xaçınçayın", "the Khachinchay", "реки Хачинчай"),
    ("İncəçayın", "the Injachay", "реки Инджачай"),
    ("Quruçayın", "the Guruchay", "реки Гуручай"),
    ("Köndələnçayın", "the Kondalanchay", "реки Кенделенчай"),
)
# (az genitive, en, ru accusative): "a view of ..."
MOUNTAINS = (
    ("Murovdağın", "Murovdag", "Муровдаг"),
    ("Qırxqız dağının", "Mount Girkhgiz", "гору Кырхгыз"),
    ("Böyük Kirs dağının", "Mount Boyuk Kirs", "гору Беюк-Кирс"),
    ("Dəlidağın", "Mount Dalidagh", "гору Делидаг"),
    ("Qarabağ silsiləsinin", "the Karabakh range", "Карабахский хребет"),
)
# (az genitive, en, ru genitive): "the archive of the ..."
INSTITUTIONS = (
    ("Arxeologiya və Etnoqrafiya İnstitutunun", "Institute of Archaeology and Ethnography",
     "Института археологии и этнографии"),
    ("Memarlıq və İncəsənət İnstitutunun", "Institute of Architecture and Art",
     "Института архитектуры и искусства"),
    ("Mədəniyyət Nazirliyinin", "Ministry of Culture", "Министерства культуры"),
    ("Milli Tarix Muzeyinin", "National Museum of History", "Национального музея истории"),
)
COLLECTIONS = (
    ("xalçalar və tikmələr", "carpets and embroidery", "ковры и вышивки"),
    ("mis qablar və zinət əşyaları", "copper vessels and jewellery", "медная посуда и украшения"),
    ("əlyazmalar və qədim çap kitabları", "manuscripts and early printed books",
     "рукописи и старопечатные книги"),
    ("arxeoloji tapıntılar və sikkələr", "archaeological finds and coins",
     "археологические находки и монеты"),
    ("musiqi alətləri", "musical instruments", "музыкальные инструменты"),
)
TOMBS = (
    ("qoç fiqurlu daşlar", "ram-shaped stones", "надгробия в виде баранов"),
    ("at fiqurlu daşlar", "horse-shaped stones", "надгробия в виде коней"),
    ("sənduqə tipli daşlar", "chest-shaped sandukha stones", "надгробия-сандуки"),
    ("kitabəli oyma stellər", "carved steles with inscriptions", "резные стелы с надписями"),
    ("ov səhnələri həkk olunmuş daşlar", "stones carved with hunting scenes",
     "камни со сценами охоты"),
)
FINDS = (
    ("saxsı qablar və daş alətlər", "pottery and stone tools", "керамика и каменные орудия"),
    ("tunc bəzək əşyaları", "bronze ornaments", "бронзовые украшения"),
    ("yaşayış evlərinin qalıqları", "remains of dwellings", "остатки жилищ"),
    ("avadanlıqlı qəbirlər", "burials with grave goods", "погребения с инвентарём"),
    ("heyvan sümükləri və ocaq yerləri", "animal bones and hearths", "кости животных и очаги"),
)
WITHDRAWAL_REASONS = (
    ("Başqa qeydin dublikatıdır.", "Duplicate of another entry.", "Дублирует другую запись."),
    ("Yeri səhv müəyyən edilib, yoxlanılır.",
     "The location was found to be wrong and is being checked.",
     "Местоположение оказалось ошибочным, идёт проверка."),
    ("Mülkiyyətçinin xahişi ilə geri çəkilib.", "Withdrawn at the owner's request.",
     "Снято по просьбе владельца."),
)

# --- Site description templates -------------------------------------------------------------------

INTRO = (
    ("{name} {district_in}, {settlement_in} yerləşir.",
     "{name} stands {settlement_in}, {district_in}.",
     "{name} {located} {settlement_in} {district_in}."),
    ("{name} {district_of} diqqətəlayiq tarixi abidələrindən biridir.",
     "{name} is one of the notable heritage sites {district_of}.",
     "{name} — один из примечательных памятников {district_of}."),
    ("{name} {settlement_of} kənarında, {district_in} yerləşir.",
     "{name} is located on the outskirts of {settlement_of}, {district_in}.",
     "{name} {located} на окраине {settlement_of} {district_in}."),
)
DATED_BY_YEARS = (
    ("{Type} {yf}–{yt_ord} illərdə tikilib.",
     "It was built between {yf} and {yt}.",
     "{Type} {built} в {yf}–{yt} годах."),
    ("Girişin üstündəki kitabədə {yt_ord} il tarixi göstərilib.",
     "An inscription above the entrance gives the date {yt}.",
     "В надписи над входом указан {yt} год."),
    ("Yerli rəvayətə görə, onun əsasını {century_in} yaşamış {donor} qoyub.",
     "Local tradition attributes its foundation to {donor}, who lived {century_in}.",
     "По местному преданию, основателем {type_gen} был {donor}, живший {century_in}."),
)
DATED_BY_CENTURY = (
    ("{Type} {century_dat} aiddir.",
     "The {type} dates from {century_dat}.",
     "{Type} относится к {century_dat}."),
    ("Buradakı ən qədim tapıntılar {century_dat} aiddir.",
     "The earliest finds here date from {century_dat}.",
     "Древнейшие находки здесь относятся к {century_dat}."),
)
MUSEUM_FOUNDED = ("Muzey {yf_ord} ildə yaradılıb.", "The museum was founded in {yf}.",
                  "Музей основан в {yf} году.")
EARTHQUAKE = ("{event_year_ord} ildə {type} zəlzələdən zədələnib.",
              "In {event_year} the {type} was damaged by an earthquake.",
              "В {event_year} году {type} {was} {damaged} землетрясением.")
COMMUNITY_REPAIR = (
    "{repair_year_ord} ildə {type} yerli icmanın vəsaiti hesabına təmir edilib.",
    "In {repair_year} the {type} was repaired at the expense of the local community.",
    "В {repair_year} году {type} {was} {repaired} на средства местной общины.",
)
SOVIET_REUSE = ("Sovet dövründə bina {reuse} kimi istifadə olunub.",
                "In the Soviet period the building was used as a {reuse}.",
                "В советское время здание использовалось как {reuse}.")
OCCUPATION = (
    "1993–2020-ci illərdə ərazi əlçatmaz olub, {type} talan edilərək qismən dağıdılıb.",
    "Between 1993 and 2020 the site was inaccessible; the {type} was looted and partly destroyed.",
    "В 1993–2020 годах объект был недоступен, {type} {was} {looted} и частично {destroyed}.",
)
WALLS = (
    ("Divarları {mat1} və {mat2} hörülüb.",
     "The walls are built of {mat1} and {mat2}.",
     "Стены сложены из {mat1} и {mat2}."),
    ("Tikili {mat2} hörülmüş bünövrə üzərində {mat1} ucaldılıb.",
     "It is built of {mat1} on a foundation of {mat2}.",
     "{Type} {built} из {mat1} на фундаменте из {mat2}."),
)
MEASUREMENTS = ("Tikilinin planda ölçüləri {length}×{width} metrdir.",
                "In plan the structure measures {length} by {width} metres.",
                "В плане сооружение имеет размеры {length} на {width} м.")
PLAN = ("Planı {plan}.", "The plan is {plan}.", "План {plan}.")
ORNAMENT = ("{feature} {ornament} bəzədilib.", "Its {feature} is decorated with {ornament}.",
            "{feature} {decorated} {ornament}.")
MASTER = ("Kitabədə memarın adı {master} kimi göstərilir.",
          "The inscription names the master builder as {master}.",
          "В надписи мастером назван {master}.")
SETTING = (
    ("{Type} {river} sahilində, {terrain} yerləşir.",
     "The {type} stands on a {terrain} near {river}.",
     "{Type} стоит на {terrain} у {river}."),
    ("Buradan {mountain} mənzərəsi açılır.",
     "From here there is a view of {mountain}.",
     "Отсюда открывается вид на {mountain}."),
    ("Ən yaxın avtomobil yolu {km} km məsafədədir.",
     "The nearest road is {km} km away.",
     "Ближайшая автодорога находится в {km} км."),
)
GENERAL = (
    ("Abidə haqqında məlumatlara XIX əsr səyyahlarının qeydlərində də rast gəlinir.",
     "It is also mentioned in the notes of nineteenth-century travellers.",
     "Упоминания об объекте встречаются и в записках путешественников XIX века."),
    ("2021-ci ildən ərazidə monitorinq aparılır, vəziyyəti mütəmadi olaraq qiymətləndirilir.",
     "Since 2021 the site has been monitored and its condition regularly assessed.",
     "С 2021 года объект находится под мониторингом, его состояние регулярно оценивается."),
    ("Yerli sakinlərin dediyinə görə, burada vaxtilə bulaq və böyük çinar ağacı olub.",
     "According to local residents, a spring and a large plane tree once stood here.",
     "По словам местных жителей, когда-то здесь были родник и большая чинара."),
)
FIRST_DESCRIBED = (
    "{Type} ilk dəfə {research_year_ord} ildə {researcher} tərəfindən təsvir edilib.",
    "It was first described in {research_year} by {researcher}.",
    "Первое описание {type_gen} сделано в {research_year} году; автор — {researcher}.",
)
DRAWINGS = (
    "{research_year_ord} ildə hazırlanmış ölçmə çertyojları {institution} arxivində saxlanılır.",
    "Measured drawings made in {research_year} are kept in the archive of the {institution}.",
    "Обмерные чертежи {research_year} года хранятся в архиве {institution}.",
)
EXCAVATION_REPORTS = (
    "{research_year_ord} ilin qazıntı hesabatları {institution} arxivində saxlanılır.",
    "Excavation reports from {research_year} are kept in the archive of the {institution}.",
    "Отчёты о раскопках {research_year} года хранятся в архиве {institution}.",
)
KIND_SENTENCES = {
    "museum": (
        ("1993-cü ilədək muzeydə {collection} daxil olmaqla təxminən {n} eksponat saxlanılırdı.",
         "Before 1993 the museum held about {n} items, including {collection}.",
         "До 1993 года в музее хранилось около {n} экспонатов, в том числе {collection}."),
        ("Kolleksiyanın böyük hissəsi itirilib, bəzi əşyalar sonradan geri qaytarılıb.",
         "Most of the collection was lost, and only some items have since been recovered.",
         "Большая часть коллекции утрачена, лишь некоторые предметы впоследствии возвращены."),
    ),
    "burial": (
        ("Burada təxminən {n} qəbir daşı qalıb, ən qədimi {century_dat} aiddir.",
         "About {n} gravestones survive; the oldest date from {century_dat}.",
         "Сохранилось около {n} надгробий, древнейшие из них относятся к {century_dat}."),
        ("Qəbir daşları arasında {tombs} var.",
         "Among the tombstones are {tombs}.",
         "Среди надгробий есть {tombs}."),
    ),
    "ground": (
        ("Burada aparılan qazıntılar zamanı {finds} aşkar edilib.",
         "Excavations here uncovered {finds}.",
         "При раскопках здесь обнаружены {finds}."),
        ("Mədəni təbəqənin qalınlığı təxminən {depth} metrdir.",
         "The cultural layer is about {depth} m thick.",
         "Мощность культурного слоя около {depth} м."),
    ),
}
PILGRIMS = ("Dini bayramlarda bura zəvvarlar gəlir.", "Pilgrims come here on religious holidays.",
            "В религиозные праздники сюда приходят паломники.")
TYPE_SENTENCES = {
    "fortress": (
        ("Divarları {n} bürclə möhkəmləndirilib, bəziləri hələ də ayaqdadır.",
         "The walls are reinforced by {n} towers, some of which still stand.",
         "Стены укреплены {n} башнями, некоторые из них сохранились."),
    ),
    "bridge": (
        ("Körpü {n} aşırımlıdır, uzunluğu təxminən {length} metrdir.",
         "The bridge has {n} spans and is about {length} m long.",
         "Мост имеет {n} пролёта, его длина около {length} м."),
    ),
    "spring": (
        ("Kənd sakinləri hələ də bu bulaqdan su götürür.",
         "Villagers still draw water from the spring.",
         "Жители села до сих пор берут воду из родника."),
    ),
    "mosque": (PILGRIMS,),
    "mausoleum": (PILGRIMS,),
    "cemetery": (PILGRIMS,),
}
CONDITIONS = {
    "good": ("{Type} yaxşı vəziyyətdədir.",
             "The {type} is in good condition.",
             "{Type} находится в хорошем состоянии."),
    "fair": ("{Type} qənaətbəxş vəziyyətdədir, hörgüdə kiçik çatlar var.",
             "The {type} is in fair condition, with minor cracks in the masonry.",
             "{Type} находится в удовлетворительном состоянии, в кладке есть небольшие трещины."),
    "poor": ("{Type} pis vəziyyətdədir və getdikcə dağılır.",
             "The {type} is in poor condition and is deteriorating.",
             "{Type} находится в плохом состоянии и продолжает разрушаться."),
    "critical": ("{Type} qəza vəziyyətindədir və təcili möhkəmləndirilməlidir.",
                 "The {type} is in critical condition and needs urgent stabilisation.",
                 "{Type} находится в аварийном состоянии и нуждается в срочном укреплении."),
    "ruined": ("{Type_gen} yalnız xarabalıqları qalıb.",
               "Only ruins of the {type} remain.",
               "От {type_gen} остались лишь руины."),
    "destroyed": ("{Type} dağıdılıb, yalnız bünövrəsinin izləri qalıb.",
                  "The {type} has been destroyed; only traces of its foundations remain.",
                  "{Type} {destroyed}, сохранились лишь следы фундамента."),
    "unknown": ("Hazırkı vəziyyəti hələ qiymətləndirilməyib.",
                "Its present condition has not yet been assessed.",
                "Современное состояние {type_gen} ещё не оценено."),
}
PROTECTIONS = {
    "world": ("Dünya əhəmiyyətli abidə kimi qeydiyyata alınıb.",
              "It is listed as a monument of world importance.",
              "{Listed} в список памятников мирового значения."),
    "national": ("Ölkə əhəmiyyətli abidə kimi dövlət qeydiyyatındadır.",
                 "It is listed as a monument of national importance.",
                 "{Listed} в список памятников национального значения."),
    "local": ("Yerli əhəmiyyətli abidə kimi dövlət qeydiyyatındadır.",
              "It is listed as a monument of local importance.",
              "{Listed} в список памятников местного значения."),
    "none": ("{Type} dövlət qeydiyyatında deyil.",
             "The {type} is not on the state heritage register.",
             "{Type} не {listed} в государственный реестр памятников."),
}
CLEARANCES = {
    "cleared": ("Ətraf ərazi {clearance_year_ord} ildə minalardan təmizlənib.",
                "The surrounding area was cleared of mines in {clearance_year}.",
                "Прилегающая территория разминирована в {clearance_year} году."),
    "in_progress": ("Ətraf ərazinin minalardan təmizlənməsi davam edir.",
                    "Mine clearance of the surrounding area is under way.",
                    "Ведётся разминирование прилегающей территории."),
    "suspected": ("Ətraf ərazinin minalanmış olduğu ehtimal edilir, giriş məhduddur.",
                  "The surroundings are suspected to be mined, and access is restricted.",
                  "Окрестности предположительно заминированы, доступ ограничен."),
    "confirmed": ("Yaxınlıqda minaların olduğu təsdiqlənib, ziyarət qadağandır.",
                  "Mines have been confirmed nearby; visits are not allowed.",
                  "Поблизости подтверждено наличие мин, посещение запрещено."),
    "not_surveyed": ("Ərazi hələ minalara görə yoxlanılmayıb.",
                     "The area has not yet been surveyed for mines.",
                     "Территория ещё не обследована на наличие мин."),
}

# --- Restoration records --------------------------------------------------------------------------

WORK_TYPES = {
    "survey": WorkType("tədqiqi və sənədləşdirilməsi", "Survey and documentation of the {el}",
                       "Обследование и документация", "обследованию и документации",
                       "tədqiqat", "survey", "обследования"),
    "emergency_stabilisation": WorkType("qəza-bərpa möhkəmləndirilməsi",
                                        "Emergency stabilisation of the {el}",
                                        "Противоаварийное укрепление",
                                        "противоаварийному укреплению",
                                        "möhkəmləndirmə", "stabilisation", "укрепления"),
    "conservation": WorkType("konservasiyası", "Conservation of the {el}", "Консервация",
                             "консервации", "konservasiya", "conservation", "консервации"),
    "restoration": WorkType("bərpası", "Restoration of the {el}", "Реставрация", "реставрации",
                            "bərpa", "restoration", "реставрации"),
    "reconstruction": WorkType("yenidən qurulması", "Reconstruction of the {el}", "Реконструкция",
                               "реконструкции", "yenidənqurma", "reconstruction", "реконструкции"),
    "excavation": WorkType("ətrafında arxeoloji qazıntı", "Excavation around the {el}",
                           "Археологические раскопки у", "археологическим раскопкам у",
                           "qazıntı", "excavation", "раскопок"),
    "maintenance": WorkType("texniki qulluğu", "Maintenance of the {el}", "Текущий ремонт",
                            "текущему ремонту", "təmir", "maintenance", "ремонта"),
}
BUILDING_ELEMENTS = (
    ("dam", "roof", "кровля", "кровли"),
    ("günbəz", "dome", "купол", "купола"),
    ("giriş portalı", "entrance portal", "входной портал", "входного портала"),
    ("şimal divarı", "north wall", "северная стена", "северной стены"),
    ("əsas fasad", "main facade", "главный фасад", "главного фасада"),
    ("bünövrə", "foundations", "фундамент", "фундамента"),
    ("döşəmə", "floor", "пол", "пола"),
    ("divar rəsmləri", "wall paintings", "настенные росписи", "настенных росписей"),
    ("pəncərələr", "windows", "окна", "окон"),
)
_APSE_ELEMENTS = (("apsida", "apse", "апсида", "апсиды"),
                  ("zəng qülləsi", "bell tower", "колокольня", "колокольни"))
_EXHIBITION_HALLS = ("ekspozisiya zalları", "exhibition halls", "экспозиционные залы",
                     "экспозиционных залов")
_EXCAVATION_AREA = ("qazıntı sahəsi", "excavation area", "раскоп", "раскопа")
_TOMBSTONES = ("qəbir daşları", "tombstones", "надгробия", "надгробий")
TYPE_ELEMENTS: dict[str, tuple[Element, ...]] = {
    "mosque": (("minarə", "minaret", "минарет", "минарета"),
               ("ibadət zalı", "prayer hall", "молельный зал", "молельного зала")),
    "church": _APSE_ELEMENTS,
    "monastery": _APSE_ELEMENTS,
    "bathhouse": (("isti zal", "hot room", "горячий зал", "горячего зала"),),
    "caravanserai": (("həyət qalereyası", "courtyard arcade", "дворовая галерея",
                      "дворовой галереи"),),
    "museum": (_EXHIBITION_HALLS, ("fond anbarları", "storerooms", "фондохранилища",
                                   "фондохранилищ")),
    "house_museum": (_EXHIBITION_HALLS,),
    "fortress": (("müdafiə divarları", "defensive walls", "оборонительные стены",
                  "оборонительных стен"),
                 ("cənub-şərq bürcü", "south-east tower", "юго-восточная башня",
                  "юго-восточной башни"),
                 ("qala darvazası", "gate", "крепостные ворота", "крепостных ворот")),
    "bridge": (("tağlar", "arches", "арки", "арок"), ("dayaqlar", "piers", "опоры", "опор"),
               ("məhəccərlər", "parapets", "парапеты", "парапетов")),
    "spring": (("fasad", "facade", "фасад", "фасада"), ("hovuz", "basin", "бассейн", "бассейна"),
               ("su kanalı", "water channel", "водовод", "водовода")),
    "memorial": (("stel", "stele", "стела", "стелы"),
                 ("postament", "platform", "постамент", "постамента"),
                 ("ətrafdakı park", "surrounding park", "окружающий парк", "окружающего парка")),
    "cave": (("mağaranın girişi", "cave entrance", "вход в пещеру", "входа в пещеру"),
             _EXCAVATION_AREA),
    "archaeological_site": (_EXCAVATION_AREA,
                            ("müdafiə xəndəyi", "defensive ditch", "оборонительный ров",
                             "оборонительного рва"),
                            ("mədəni təbəqə", "cultural layer", "культурный слой",
                             "культурного слоя")),
    "cemetery": (_TOMBSTONES, ("hasar", "enclosure wall", "ограда", "ограды")),
    "necropolis": (_TOMBSTONES, ("qoç fiqurlu daşlar", "ram-shaped stones",
                                 "надгробия в виде баранов", "надгробий в виде баранов")),
}
ORGANISATIONS = (
    ("Mədəniyyət Nazirliyinin bərpa emalatxanası",
     "Restoration Workshop of the Ministry of Culture",
     "Реставрационная мастерская Министерства культуры"),
    ("AMEA Arxeologiya və Etnoqrafiya İnstitutu", "Institute of Archaeology and Ethnography, ANAS",
     "Институт археологии и этнографии НАНА"),
    ("Azərbaycan Memarlıq və İnşaat Universiteti",
     "Azerbaijan University of Architecture and Construction",
     "Азербайджанский архитектурно-строительный университет"),
    ("Mədəni İrs üzrə Dövlət Xidməti", "State Service for Cultural Heritage",
     "Государственная служба по культурному наследию"),
)
RECORD_MATERIALS = (
    ("əhəng məhlulu", "lime mortar", "известковый раствор"),
    ("yerli əhəngdaşı", "local limestone", "местный известняк"),
    ("əl ilə hazırlanmış kərpic", "hand-made brick", "кирпич ручной формовки"),
    ("palıd tirlər", "oak beams", "дубовые балки"),
    ("qurğuşun təbəqə", "lead sheet", "листовой свинец"),
    ("paslanmayan polad bərkidicilər", "stainless steel ties", "связи из нержавеющей стали"),
    ("təbii hidravlik əhəng", "natural hydraulic lime", "природная гидравлическая известь"),
    ("gil suvaq", "clay plaster", "глиняная штукатурка"),
    ("çay qumu", "river sand", "речной песок"),
    ("bazalt bloklar", "basalt blocks", "базальтовые блоки"),
)
TECHNIQUES = (
    ("əhəng məhlulu ilə tikişlərin doldurulması", "repointing with lime mortar",
     "расшивка швов известковым раствором"),
    ("çatlara inyeksiya", "grout injection", "инъектирование трещин"),
    ("hörgünün sökülüb yenidən hörülməsi", "dismantling and re-laying of masonry",
     "разборка и перекладка кладки"),
    ("daşın duzsuzlaşdırılması", "desalination of stone", "обессоливание камня"),
    ("biosid emalı", "biocide treatment", "биоцидная обработка"),
    ("lazer skanlama", "laser scanning", "лазерное сканирование"),
    ("fotoqrammetriya", "photogrammetry", "фотограмметрия"),
    ("müvəqqəti dayaqların qurulması", "temporary shoring", "временное раскрепление"),
    ("çatların bərkidilməsi", "crack stitching", "сшивка трещин"),
    ("əl ilə təmizləmə", "manual cleaning", "ручная расчистка"),
)
# Condition codes as each language says them in the record sentences.
CONDITION_BEFORE = {
    "fair": ("qənaətbəxş vəziyyətdə", "fair", "удовлетворительное"),
    "poor": ("pis vəziyyətdə", "poor", "плохое"),
    "critical": ("qəza vəziyyətində", "critical", "аварийное"),
    "ruined": ("xaraba halında", "ruinous", "руинированное"),
}
CONDITION_AFTER = {"good": ("yaxşı", "good", "хорошее"),
                   "fair": ("qənaətbəxş", "fair", "удовлетворительное")}
SUSPENSION_REASONS = (
    ("qış mövsümü ilə əlaqədar", "for the winter", "на зимний период"),
    ("yaxınlıqda partlamamış sursat aşkar edildiyi üçün",
     "after unexploded ordnance was found nearby",
     "после обнаружения поблизости неразорвавшихся боеприпасов"),
    ("maliyyə çatışmazlığı səbəbindən", "for lack of funding", "из-за нехватки финансирования"),
    ("layihə sənədləri təsdiqlənənədək", "until the design documents are approved",
     "до утверждения проектной документации"),
)
FINDINGS = (
    ("əvvəlki döşəmənin qalıqları aşkar edilib", "fragments of an earlier floor were found",
     "обнаружены фрагменты более раннего пола"),
    ("suvaq altında gizli kitabə aşkarlanıb",
     "a hidden inscription came to light under the plaster",
     "под штукатуркой обнаружена скрытая надпись"),
    ("yanğın izləri qeydə alınıb", "traces of a fire were recorded", "зафиксированы следы пожара"),
    ("XVIII əsrə aid sikkələr tapılıb", "coins of the 18th century were found",
     "найдены монеты XVIII века"),
    ("sonrakı sement yamaqları təmizlənib", "later cement repairs were removed",
     "удалены поздние цементные заделки"),
    ("ilkin drenaj kanalı üzə çıxarılıb", "the original drainage channel was uncovered",
     "раскрыт первоначальный дренажный канал"),
)
DOCUMENTATION = (("ölçmə çertyojları", "measured drawings", "обмерными чертежами"),
                 ("3D lazer skanı", "a 3D laser scan", "3D-сканированием"),
                 ("fotoqrammetriya", "photogrammetry", "фотограмметрией"))
FUNDERS = (("dövlət büdcəsi", "the state budget", "государственного бюджета"),
           ("özəl donor", "a private donor", "частного донора"),
           ("beynəlxalq qrant", "an international grant", "международного гранта"),
           ("yerli bələdiyyə", "the local municipality", "местного муниципалитета"))
OVERRIDE_REASONS = (
    ("Təcili möhkəmləndirmə gözləyə bilməzdi: iş sahəsini hər növbədən əvvəl minaaxtaranlar "
     "yoxlayıb.",
     "Emergency work could not wait: deminers checked the work area before every shift.",
     "Противоаварийные работы не могли ждать: сапёры проверяли рабочую зону перед каждой "
     "сменой."),
    ("İşlər ANAMA tərəfindən təmizlənmiş və işarələnmiş dəhlizdə aparılır.",
     "Work is confined to a corridor cleared and marked by ANAMA.",
     "Работы ведутся только в коридоре, очищенном и обозначенном ANAMA."),
    ("Tədqiqat yalnız təmizlənmiş yoldan aparılır, əraziyə daxil olunmur.",
     "Survey from the cleared road only; nobody enters the site.",
     "Обследование ведётся только с разминированной дороги, вход на объект запрещён."),
)
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

# {title} is the work ("restoration of the entrance portal"); {work_of} the Russian
# "реставрации входного портала"; the dates and spans are spelled per language.
RECORD_LEADS = {
    "completed": ("{Title} {span} {org} tərəfindən həyata keçirilib.",
                  "The {title} was carried out from {start} to {end}; contractor: {org}.",
                  "Работы по {work_of} выполнены {span}; исполнитель — {org}."),
    "in_progress": ("{start_year} ildən {title} üzrə işlər aparılır, icraçı: {org}.",
                    "Work on the {title} began in {start} and is under way; contractor: {org}.",
                    "С {start_year} года ведутся работы по {work_of}; исполнитель — {org}."),
    "suspended": ("{start_year} ildə {title} üzrə işlərə başlanılıb, lakin {reason} dayandırılıb.",
                  "Work on the {title} began in {start} but was suspended {reason}.",
                  "Работы по {work_of} начаты в {start_year} году, но приостановлены {reason}."),
    "planned": ("{Title} {when}planlaşdırılır, icraçı: {org}.",
                "The {title} is planned{when}; contractor: {org}.",
                "Запланированы работы по {work_of}{when}; исполнитель — {org}."),
}
RECORD_SENTENCES = (
    ("Layihədə {materials} istifadəsi nəzərdə tutulub.",
     "The project specifies {materials}.",
     "Проект предусматривает материалы: {materials}."),
    ("Tətbiq olunan üsullar: {techniques}.",
     "The methods are {techniques}.",
     "Применяемые методы: {techniques}."),
    ("İşlərdən əvvəl {el} {before} idi.",
     "Before the work the condition of the {el} was {before}.",
     "До начала работ состояние {el_gen} оценивалось как {before}."),
    ("Qrup rəhbəri: {leader}.", "The team leader is {leader}.", "Руководитель группы — {leader}."),
    ("İşlər {funder} hesabına maliyyələşdirilir.",
     "The work is funded by {funder}.",
     "Работы финансируются за счёт {funder}."),
    ("Təxmini dəyəri {cost} manatdır.",
     "The estimated cost is {cost} manat.",
     "Сметная стоимость — {cost} манатов."),
)
RECORD_PLANNED = (
    ("İşlərə başlamazdan əvvəl ərazinin ətraflı tədqiqi və fotofiksasiyası aparılacaq.",
     "Before work begins, the area will be surveyed in detail and photographed.",
     "Перед началом работ будет проведено детальное обследование и фотофиксация территории."),
    ("Layihə Mədəni İrs üzrə Dövlət Xidməti ilə razılaşdırılıb.",
     "The project has been agreed with the State Service for Cultural Heritage.",
     "Проект согласован с Государственной службой по культурному наследию."),
)
RECORD_STARTED = (
    ("İşlər zamanı {finding}.", "During the work {finding}.", "В ходе работ {finding}."),
    ("Bütün mərhələlər fotoşəkillər və {doc} ilə sənədləşdirilib.",
     "Every stage was documented with photographs and {doc}.",
     "Все этапы задокументированы фотографиями и {doc}."),
)
RECORD_AFTER = ("İşlər başa çatdıqdan sonra vəziyyəti {after} kimi qiymətləndirilib.",
                "On completion its condition was assessed as {after}.",
                "После завершения работ состояние оценено как {after}.")
RECORD_UNCLEARED = ("Ərazi minalardan tam təmizlənməyib; işlərə xüsusi icazə ilə başlanılıb.",
                    "The area has not been fully cleared of mines; work began under a special "
                    "permit.",
                    "Территория не полностью разминирована; работы начаты по особому разрешению.")

# --- Photos ---------------------------------------------------------------------------------------

# Camera, its pixel size and how it names files.
CAMERAS = (
    ("Canon EOS 5D Mark IV", 6720, 4480, "IMG_{:04d}.JPG"),
    ("Nikon D850", 8256, 5504, "DSC_{:04d}.JPG"),
    ("Sony ILCE-7RM3", 7952, 5304, "DSC{:05d}.JPG"),
    ("Fujifilm X-T4", 6240, 4160, "DSCF{:04d}.JPG"),
    ("Canon EOS R6", 5472, 3648, "IMG_{:04d}.JPG"),
    ("Apple iPhone 13 Pro", 4032, 3024, "IMG_{:04d}.JPG"),
    ("Samsung SM-S911B", 4000, 3000, "SAM_{:04d}.JPG"),
    ("DJI FC3411", 5472, 3648, "DJI_{:04d}.JPG"),
    ("Nikon Z 7II", 6000, 4000, "DSC_{:04d}.JPG"),
)
# (az ablative, en, ru genitive): "view from the ..."
DIRECTIONS = (("şimaldan", "north", "севера"), ("şimal-şərqdən", "north-east", "северо-востока"),
              ("şərqdən", "east", "востока"), ("cənub-şərqdən", "south-east", "юго-востока"),
              ("cənubdan", "south", "юга"), ("cənub-qərbdən", "south-west", "юго-запада"),
              ("qərbdən", "west", "запада"), ("şimal-qərbdən", "north-west", "северо-запада"))
STAGE_VIEWS = {
    "before": ("{el} {work_abl} əvvəl", "the {el} before {work}", "{el} до {work}"),
    "during": ("{el_gen} {work_phrase} zamanı", "the {el} during {work}", "{el} в ходе {work}"),
    "after": ("{el} {work_abl} sonra", "the {el} after {work}", "{el} после {work}"),
}
# fmt: on


# --- Composing text -------------------------------------------------------------------------------


def _render(
    template: Triple, slots: Sequence[dict[str, Any]], languages: Sequence[int] = ALL_LANGUAGES
) -> list[str]:
    """Fill a template triple with each language's slots, for the languages asked."""
    return [template[i].format_map(slots[i]) for i in languages]


def _compose(
    sentences: tuple[Sequence[Triple], Sequence[Triple], Sequence[Triple]],
    slots: Sequence[dict[str, Any]],
    words: tuple[int, int],
    languages: Sequence[int] = ALL_LANGUAGES,
    paragraphs: int = 1,
) -> list[str]:
    """Text in each language asked: the head sentences, optional ones, then the tail.

    Optional sentences are added, in order, until every language has the target number of
    words; one that would take any language past the most allowed is left out.
    """
    head, optional, tail = sentences
    target, most = words
    chosen = [_render(template, slots, languages) for template in head]
    ending = [_render(template, slots, languages) for template in tail]
    counts = [sum(len(s[k].split()) for s in (*chosen, *ending)) for k in range(len(languages))]
    for template in optional:
        if min(counts) >= target:
            break
        sentence = _render(template, slots, languages)
        added = [count + len(text.split()) for count, text in zip(counts, sentence, strict=True)]
        if max(added) <= most:
            chosen.append(sentence)
            counts = added
    chosen += ending
    size = math.ceil(len(chosen) / paragraphs)
    parts = [chosen[first : first + size] for first in range(0, len(chosen), size)]
    return [
        "\n\n".join(" ".join(s[k] for s in part) for part in parts) for k in range(len(languages))
    ]


def _century(year: int) -> tuple[Triple, Triple]:
    """The century (or, long before the Common Era, the millennium) of `year`: (to it, in it)."""
    if year > 0:
        number = (year - 1) // 100 + 1
        numeral, ordinal = roman(number), english_ordinal(number)
        return (
            (f"{numeral} əsrə", f"the {ordinal} century", f"{numeral} веку"),
            (f"{numeral} əsrdə", f"in the {ordinal} century", f"в {numeral} веке"),
        )
    if year <= -1000:
        number = (-year - 1) // 1000 + 1
        numeral, ordinal = roman(number), english_ordinal(number)
        bc_az, bc_en, bc_ru = f"e.ə. {numeral}", f"{ordinal} millennium BC", "до нашей эры"
        return (
            (f"{bc_az} minilliyə", f"the {bc_en}", f"{numeral} тысячелетию {bc_ru}"),
            (f"{bc_az} minillikdə", f"in the {bc_en}", f"в {numeral} тысячелетии {bc_ru}"),
        )
    number = (-year - 1) // 100 + 1
    numeral, ordinal = roman(number), english_ordinal(number)
    return (
        (f"e.ə. {numeral} əsrə", f"the {ordinal} century BC", f"{numeral} веку до нашей эры"),
        (f"e.ə. {numeral} əsrdə", f"in the {ordinal} century BC", f"в {numeral} веке до нашей эры"),
    )


def period_texts(start: int, end: int) -> Triple:
    """The period as people write it in az, en and ru: exact years for short spans, else
    Roman centuries."""
    if end < 0:
        span = f"{-start}–{-end}"
        return f"e.ə. {span}", f"{span} BCE", f"{span} до н. э."
    if end - start <= 10:
        return (f"{start}–{end}",) * 3
    first, last = roman((start - 1) // 100 + 1), roman((end - 1) // 100 + 1)
    if first == last:
        return f"{first} əsr", f"{first} century", f"{first} век"
    return f"{first}–{last} əsrlər", f"{first}–{last} centuries", f"{first}–{last} века"


def _district_phrases(code: str) -> tuple[Triple, Triple]:
    """How each language says "in the district" and "of the district"."""
    term, stem = DISTRICTS[code], DISTRICT_FACTS[code][0]
    if stem is None:  # a city, not a district
        return (
            (f"{term.az} şəhərində", f"in {term.en}", f"в городе {term.ru}"),
            (f"{term.az} şəhərinin", f"of {term.en}", f"города {term.ru}"),
        )
    return (
        (f"{term.az} rayonunda", f"in the {term.en} district", f"в {stem}ом районе"),
        (f"{term.az} rayonunun", f"of the {term.en} district", f"{stem}ого района"),
    )


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _en_month(day: date | None) -> str | None:
    return f"{EN_MONTHS[day.month - 1]} {day.year}" if day else None


def _az_span(start: date | None, end: date | None) -> str | None:
    """From one year to another, in Azerbaijani: 2023-cü ildən 2024-cü ilədək."""
    if not (start and end):
        return None
    if start.year == end.year:
        return f"{az_year(start.year)} ildə"
    return f"{az_year(start.year)} ildən {az_year(end.year)} ilədək"


def _ru_span(start: date | None, end: date | None) -> str | None:
    """From one year to another, in Russian: в 2023–2024 годах."""
    if not (start and end):
        return None
    if start.year == end.year:
        return f"в {start.year} году"
    return f"в {start.year}–{end.year} годах"


# --- The generator --------------------------------------------------------------------------------


@dataclass
class SiteBundle:
    """A site's row with its records' and photos' rows, linked before any id exists."""

    site: Row
    records: list[Row]
    # Each photo with the index of its record in `records`, or None for a photo of the site.
    photos: list[tuple[int | None, Row]]
    # A museum's collection objects, a cemetery's gravestones, any site's condition surveys.
    objects: list[Row] = field(default_factory=list)
    gravestones: list[Row] = field(default_factory=list)
    surveys: list[Row] = field(default_factory=list)


class ArchiveFaker:
    """Makes the rows of a synthetic archive from one seeded random generator."""

    def __init__(
        self,
        rng: random.Random,
        *,
        user_id: int,
        records_per_site: float,
        photos_per_site: float,
        parts: PartsMeans | None = None,
    ) -> None:
        self.rng = rng
        self.user_id = user_id
        self.records_per_site = records_per_site
        self.photos_per_site = photos_per_site
        self.parts = parts or PartsMeans()
        # Objects, gravestones and surveys draw from their own generator, so the sites,
        # records and photos of a seed stay what they were before these kinds existed.
        # (Integers and tuples hash the same in every process.)
        self.parts_rng = random.Random(f"{hash(rng.getstate())}:parts")

    # Draws.

    def weighted(self, weights: dict[Any, int]) -> Any:
        """A key of `weights`, drawn in proportion to its value."""
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def poisson(self, mean: float) -> int:
        """A Poisson-distributed count (Knuth's method; the means here are small)."""
        limit, count, product = math.exp(-mean), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max((last - first).days, 0)))

    def moment(self, day: date) -> datetime:
        """A daytime moment on `day`, in UTC."""
        rng = self.rng
        return datetime.combine(
            day, clock(rng.randint(6, 18), rng.randint(0, 59), rng.randint(0, 59)), tzinfo=UTC
        )

    def bookkeeping(self, created: datetime, weights: dict[str, int]) -> Row:
        """Publication status, version and authorship columns."""
        rng = self.rng
        updated = created + timedelta(days=rng.randint(0, 30), seconds=rng.randint(0, 86_399))
        status = self.weighted(weights)
        # Staff write in any of the three languages.
        reason = rng.choice(rng.choice(WITHDRAWAL_REASONS)) if status == "withdrawn" else None
        return {
            "status": status,
            "status_changed_at": None if status == "draft" else updated,
            "withdrawal_reason": reason,
            "internal_note": None,
            "version": 1,
            "created_at": created,
            "updated_at": updated,
            "created_by_id": self.user_id,
            "updated_by_id": self.user_id,
        }

    # Names.

    def word(self) -> str:
        """An Azerbaijani-looking place name: a compound of roots or a harmonic syllable word."""
        rng = self.rng
        if rng.random() < 0.35:
            word = rng.choice(ROOTS) + az_lower(rng.choice(ROOTS))
        else:
            back = rng.random() < 0.5
            onsets = BACK_ONSETS if back else FRONT_ONSETS
            # o, ö and u, ü belong in a first syllable.
            first_vowels, vowels = ("aaaıou", "aaı") if back else ("əəəeiöü", "əəie")
            word = rng.choice(("", *onsets, *onsets)) + rng.choice(first_vowels)
            for _ in range(rng.choice((1, 1, 2))):
                coda = rng.choice(CODAS) if rng.random() < 0.4 else ""
                word += coda + rng.choice(onsets) + rng.choice(vowels)
            if rng.random() < 0.3:
                word += rng.choice(CODAS)
            word = az_capitalize(word)
        if rng.random() < 0.55:
            word += az_li(word)
        return word

    def person(self) -> Triple:
        """A person's name and surname."""
        rng = self.rng
        female = rng.random() < 0.4
        first, base = rng.choice(FEMALE_NAMES if female else MALE_NAMES), rng.choice(MALE_NAMES)
        roll = rng.random()
        if roll < 0.15:
            surname = base + "zadə"
        elif roll < 0.25:
            surname = base + az_li(base)
        else:
            surname = base + ("yev" if base[-1] in _VOWELS else "ov") + ("a" if female else "")
        return transliterated(f"{first} {surname}")

    def donor(self) -> Triple:
        """A benefactor of old, with title and honorific: Hacı Məmməd ağa."""
        rng = self.rng
        title, honorific = rng.choice(TITLES), rng.choice(HONORIFICS)
        az, en, ru = transliterated(rng.choice(MALE_NAMES))
        return (
            f"{title[0]} {az} {honorific[0]}",
            f"{title[1]} {en} {honorific[1]}",
            f"{title[2]} {ru}-{honorific[2]}",
        )

    def master(self) -> Triple:
        """A master builder named with his father: Məmməd Əli oğlu."""
        first, father = (transliterated(name) for name in self.rng.sample(MALE_NAMES, 2))
        return (
            f"{first[0]} {father[0]} oğlu",
            f"{first[1]} {father[1]} oglu",
            f"{first[2]} {father[2]} оглы",
        )

    def core_name(self, type_code: str, district: str) -> tuple[Triple, bool]:
        """The proper part of a site's name, and whether it could name a village too."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.12:
            term = DISTRICTS[district]
            core, village = (term.az, term.en, term.ru), False
        elif roll < 0.3 and type_code in PERSON_NAMED_TYPES:
            az, en, ru = transliterated(rng.choice((*MALE_NAMES, *FEMALE_NAMES)))
            honorific = rng.choice(HONORIFICS)
            core = (f"{az} {honorific[0]}", f"{en} {honorific[1]}", f"{ru}-{honorific[2]}")
            village = False
        else:
            core, village = transliterated(self.word()), True
        if rng.random() < 0.12:
            prefix_az, prefix_en = rng.choice(NAME_PREFIXES)
            core = (
                f"{prefix_az} {core[0]}",
                f"{prefix_en} {core[1]}",
                f"{to_russian(prefix_az)} {core[2]}",
            )
        return core, village

    def site_name(self, type_code: str, core: Triple) -> Triple:
        site_type = TYPES[type_code]
        if type_code == "mosque" and self.rng.random() < 0.15:
            return f"{core[0]} Cümə məscidi", f"{core[1]} Juma Mosque", f"Джума-мечеть {core[2]}"
        return (
            f"{core[0]} {site_type.az_name}",
            f"{core[1]} {site_type.en_name}",
            f"{site_type.ru_name} {core[2]}",
        )

    def settlement(self, district: str, core: Triple, village: bool) -> tuple[str, Triple, Triple]:
        """The settlement's Azerbaijani name and how each language says "in it" and "of it"."""
        rng = self.rng
        if district != "khankendi" and rng.random() < 0.2:
            term = DISTRICTS[district]
            az, en, ru = term.az, term.en, term.ru
            return (
                az,
                (f"{az} şəhərində", f"in the town of {en}", f"в городе {ru}"),
                (f"{az} şəhərinin", f"the town of {en}", f"города {ru}"),
            )
        az, en, ru = core if village and rng.random() < 0.5 else transliterated(self.word())
        return (
            az,
            (f"{az} kəndində", f"in the village of {en}", f"в селе {ru}"),
            (f"{az} kəndinin", f"the village of {en}", f"села {ru}"),
        )

    def years(self, type_code: str) -> tuple[int, int]:
        """year_from and year_to: a few before the Common Era, most between 1100 and 1950."""
        rng = self.rng
        roll = rng.random()
        if type_code in ANCIENT_TYPES and roll < 0.6:
            start = -rng.randrange(300, 3001, 100)
            return start, min(start + rng.randrange(100, 1001, 100), -100)
        if TYPES[type_code].kind == "museum" or type_code == "memorial":
            start = rng.randint(1920, 1995)
            return start, start + rng.randint(1, 5)
        start = rng.randint(300, 1099) if roll < 0.07 else rng.randint(1100, 1950)
        return start, min(start + rng.choice((1, 2, 3, 5, 8, 12, 20, 40, 80, 150)), 2000)

    def count_for(self, type_code: str) -> int:
        """The {n} of a type's sentences: museum items, gravestones, towers or spans."""
        kind = TYPES[type_code].kind
        if kind == "museum":
            return self.rng.randint(500, 20_000)
        if kind == "burial":
            return self.rng.randint(30, 2_000)
        return self.rng.randint(2, 4) if type_code == "bridge" else self.rng.randint(3, 12)

    # Rows.

    def site(self, serial: int) -> SiteBundle:
        """A site with its restoration records and photos."""
        rng = self.rng
        type_code = rng.choices(list(TYPES), weights=[t.weight for t in TYPES.values()])[0]
        district = rng.choice(DISTRICTS.codes)
        core, village = self.core_name(type_code, district)
        names = self.site_name(type_code, core)
        settlement, *settlement_phrases = self.settlement(district, core, village)
        year_from, year_to = self.years(type_code)
        clearance = self.weighted(CLEARANCE_WEIGHTS)
        cleared_on = self.day(FIRST_DAY, date(2026, 6, 30)) if clearance == CLEARED else None
        reference = f"ANAMA-{cleared_on.year}-{rng.randint(1, 99_999):05d}" if cleared_on else None
        _, latitude, longitude = DISTRICT_FACTS[district]
        approximate = rng.random() < 0.2
        digits = 2 if approximate else 5
        variants = (az_ascii(names[0]), names[2].replace("ё", "е"), core[0])
        alternatives = [name for name in dict.fromkeys(variants) if name not in names]
        created = self.moment(self.day(date(2024, 1, 1), date(2026, 9, 30)))
        row = {
            "slug": f"{slugify(names[1], max_length=100)}-{serial}",
            "inventory_number": f"{INVENTORY_PREFIX}-{serial:07d}",
            "category": SITE_TYPES[type_code].extra["category"],
            "site_type": type_code,
            "name_az": names[0],
            "name_en": names[1],
            "name_ru": names[2],
            "alternative_names": rng.sample(
                alternatives, min(len(alternatives), rng.randint(0, 2))
            ),
            "district": district,
            "settlement": settlement,
            "latitude": round(_clamp(rng.gauss(latitude, 0.07), LATITUDES), digits),
            "longitude": round(_clamp(rng.gauss(longitude, 0.09), LONGITUDES), digits),
            "location_approximate": approximate,
            "location_sensitive": rng.random() < 0.05,
            **dict(
                zip(
                    ("period_az", "period_en", "period_ru"),
                    period_texts(year_from, year_to),
                    strict=True,
                )
            ),
            "year_from": year_from,
            "year_to": year_to,
            "protection_level": self.weighted(PROTECTION_WEIGHTS),
            "condition": self.weighted(CONDITION_WEIGHTS),
            "clearance_status": clearance,
            "clearance_date": cleared_on,
            "clearance_reference": reference,
            **self.bookkeeping(created, STATUS_WEIGHTS),
        }
        # What the Site model keeps on every save, for lists in each language's order.
        row |= name_sort_keys(dict(zip(("az", "en", "ru"), names, strict=True)), row["slug"])
        descriptions = self.site_description(row, settlement_phrases)
        columns = ("description_az", "description_en", "description_ru")
        row |= dict(zip(columns, descriptions, strict=True))
        works = [self.record(row) for _ in range(self.poisson(self.records_per_site))]
        photos = [self.photo(row, works, n) for n in range(self.poisson(self.photos_per_site))]
        bundle = SiteBundle(row, [record for record, _ in works], photos)
        self.add_parts(bundle)
        return bundle

    # What sites hold: collection objects, gravestones, condition surveys.

    def add_parts(self, bundle: SiteBundle) -> None:
        """A museum's objects, a cemetery's gravestones, and the site's surveys, drawn from
        the parts' own generator (every draw below goes through self.rng)."""
        main, self.rng = self.rng, self.parts_rng
        try:
            site, means = bundle.site, self.parts
            kind = TYPES[site["site_type"]].kind
            if kind == "museum":
                count = self.poisson(means.objects_per_museum)
                bundle.objects = [self.collection_object(site, n) for n in range(count)]
            if kind == "burial":
                count = self.poisson(means.gravestones_per_cemetery)
                bundle.gravestones = [self.gravestone(site, n) for n in range(1, count + 1)]
            bundle.surveys = [
                self.survey(site) for _ in range(self.poisson(means.surveys_per_site))
            ]
        finally:
            self.rng = main

    def _part_bookkeeping(self, site: Row) -> Row:
        rng = self.rng
        created = site["created_at"] + timedelta(days=rng.randint(1, 300))
        status = self.weighted(STATUS_WEIGHTS)
        return {
            "status": status,
            "status_changed_at": None if status == "draft" else created,
            "published_at": created if status in ("published", "withdrawn") else None,
            "withdrawal_reason": "Duplicate entry." if status == "withdrawn" else None,
            "internal_note": None,
            "version": 1,
            "created_at": created,
            "updated_at": created,
            "created_by_id": self.user_id,
            "updated_by_id": self.user_id,
        }

    def collection_object(self, site: Row, number: int) -> Row:
        """An object of a museum, with where it has been."""
        rng = self.rng
        object_type = rng.choice(OBJECT_TYPES.codes)
        type_labels = OBJECT_TYPES[object_type].labels()
        maker = self.person()
        year = rng.randint(1700, 1980)
        history = [{"status": "in_collection", "date": str(rng.randint(1950, 1990))}]
        if rng.random() < 0.6:  # most objects of the occupied museums were lost or looted
            status = rng.choice([code for code in OBJECT_STATUSES.codes if code != "in_collection"])
            history.append(
                {
                    "status": status,
                    "date": str(rng.randint(1991, 2025)),
                    "evidence": rng.choice(("Seen at an auction.", "Missing at the 2021 survey.")),
                    "source": rng.choice(("Survey report", "Auction listing", "Seizure record")),
                }
            )
        return {
            "inventory_number": f"{site['inventory_number']}-O{number:04d}",
            "object_type": object_type,
            "title_az": f"{type_labels['az']}, {maker[0]}",
            "title_en": f"{type_labels['en']} by {maker[1]}",
            "title_ru": f"{type_labels['ru']}, {maker[2]}",
            "description_az": f"{site['name_az']} kolleksiyasından {az_year(year)} əşya.",
            "description_en": f"From the collection of {site['name_en']}, {year}.",
            "description_ru": f"Из собрания: {site['name_ru']}, {year} г.",
            "materials": rng.choice(MATERIALS)[1],
            "date_text": str(year),
            "year_from": year,
            "year_to": year,
            "maker": maker[1],
            "status_history": history,
            "object_status": history[-1]["status"],
            **self._part_bookkeeping(site),
        }

    def gravestone(self, site: Row, number: int) -> Row:
        """A burial marker with the person it names, in a Hijri or a Gregorian year."""
        rng = self.rng
        person = self.person()
        hijri = rng.random() < 0.4
        death = rng.randint(1150, 1340) if hijri else rng.randint(1925, 2020)
        script = rng.choice(("az-Cyrl", "az-Latn", "ru")) if not hijri else "az-Arab"
        inscribed = {"az-Cyrl": person[2], "ru": person[2]}.get(script, person[0])
        return {
            "number": str(number),
            "section": rng.choice("ABCD"),
            "row": str(rng.randint(1, 20)),
            "plot": None,
            "latitude": round(site["latitude"] + rng.gauss(0, 0.0005), 6),
            "longitude": round(site["longitude"] + rng.gauss(0, 0.0005), 6),
            "marker_type": rng.choice(MARKER_TYPES.codes),
            "material": rng.choice(MATERIALS)[1],
            "condition": self.weighted(CONDITION_WEIGHTS),
            "persons": [{"name_inscribed": inscribed, "name_read": person[0], "death_year": death}],
            "calendar": "hijri" if hijri else "gregorian",
            # Arabic-script stones carry their reading; the others the name as written.
            "inscription": None if hijri else f"{inscribed} {death}",
            "inscription_language": script,
            "inscription_reading": f"{person[0]} sənə {death}" if hijri else None,
            "translation_az": f"{person[0]}, {death}",
            "translation_en": f"{person[1]}, {death}",
            "translation_ru": f"{person[2]}, {death}",
            **self._part_bookkeeping(site),
        }

    def survey(self, site: Row) -> Row:
        """A dated condition survey of the site, with one to three kinds of damage."""
        rng = self.rng
        damages = [
            {"damage_type": code, "extent": rng.choice(DAMAGE_EXTENTS.codes)}
            for code in rng.sample(DAMAGE_TYPES.codes, rng.randint(1, 3))
        ]
        condition = self.weighted(CONDITION_WEIGHTS)
        labels = [DAMAGE_TYPES[d["damage_type"]].labels() for d in damages]
        return {
            "survey_date": self.day(FIRST_DAY, LAST_DAY),
            "assessor": self.person()[0],
            "organisation": rng.choice(INSTITUTIONS)[1],
            "method": rng.choice(SURVEY_METHODS.codes),
            "overall_condition": condition,
            "damages": damages,
            "risk_level": rng.choice(RISK_LEVELS.codes),
            "urgency": rng.choice(URGENCIES.codes),
            "findings_az": f"{site['name_az']}: " + ", ".join(label["az"] for label in labels),
            "findings_en": f"{site['name_en']}: " + ", ".join(label["en"] for label in labels),
            "findings_ru": f"{site['name_ru']}: " + ", ".join(label["ru"] for label in labels),
            **self._part_bookkeeping(site),
        }

    def site_description(self, site: Row, settlement: Sequence[Triple]) -> Triple:
        """Parallel descriptions of 80 to 150 words each, from the facts and varied sentences."""
        rng = self.rng
        type_code, year_from, year_to = site["site_type"], site["year_from"], site["year_to"]
        site_type = TYPES[type_code]
        kind, gender = site_type.kind, site_type.ru_gender
        if kind == "burial":
            feature, feature_gender = rng.choice(BURIAL_FEATURES)
        else:
            feature, feature_gender = rng.choice((*FEATURES, *TYPE_FEATURES.get(type_code, ())))
        christian = type_code in ("church", "monastery")
        ornament = rng.choice((*ORNAMENTS, *CHURCH_ORNAMENTS) if christian else ORNAMENTS)
        century_dat, century_in = _century(year_from)
        district_in, district_of = _district_phrases(site["district"])
        mat1, mat2 = rng.sample(MATERIALS, 2)
        picks: dict[str, Triple] = {
            "name": (site["name_az"], site["name_en"], site["name_ru"]),
            "century_dat": century_dat,
            "century_in": century_in,
            "district_in": district_in,
            "district_of": district_of,
            "settlement_in": settlement[0],
            "settlement_of": settlement[1],
            "donor": self.donor(),
            "master": self.master(),
            "researcher": self.person(),
            "feature": feature,
            "ornament": ornament,
            "mat1": mat1,
            "mat2": mat2,
            "plan": rng.choice(PLANS),
            "reuse": rng.choice(REUSES),
            "terrain": rng.choice(TERRAINS),
            "river": rng.choice(RIVERS),
            "mountain": rng.choice(MOUNTAINS),
            "institution": rng.choice(INSTITUTIONS),
            "collection": rng.choice(COLLECTIONS),
            "tombs": rng.choice(TOMBS),
            "finds": rng.choice(FINDS),
        }
        cleared_on = site["clearance_date"]
        depth = rng.randint(5, 60) / 10
        event_year = rng.randint(min(max(year_to, 1800), 1980), 1980)
        repair_year = event_year + rng.randint(1, 12)
        research_year = rng.randint(max(year_to, 1890), 2024)
        numbers = {
            "yf": year_from,
            "yt": year_to,
            "event_year": event_year,
            "repair_year": repair_year,
            "research_year": research_year,
            "clearance_year": cleared_on and cleared_on.year,
            "km": rng.randint(1, 25),
            "length": rng.randint(6, 60),
            "width": rng.randint(4, 30),
            "n": self.count_for(type_code),
        }
        slots = [{key: words[i] for key, words in picks.items()} | numbers for i in ALL_LANGUAGES]
        az, en, ru = slots
        az.update(
            type=site_type.az,
            Type=az_capitalize(site_type.az),
            Type_gen=az_capitalize(az_case(site_type.az, "gen")),
            yf_ord=az_year(year_from) if year_from > 0 else None,
            yt_ord=az_year(year_to) if year_to > 0 else None,
            event_year_ord=az_year(event_year),
            repair_year_ord=az_year(repair_year),
            research_year_ord=az_year(research_year),
            clearance_year_ord=cleared_on and az_year(cleared_on.year),
            depth=f"{depth:.1f}".replace(".", ","),
        )
        en.update(type=SITE_TYPES[type_code].en.lower(), depth=f"{depth:.1f}")
        ru.update(
            {word: forms[gender] for word, forms in RU_AGREEMENT.items()},
            type=site_type.ru,
            Type=site_type.ru.capitalize(),
            type_gen=site_type.ru_gen,
            Listed=RU_AGREEMENT["listed"][gender].capitalize(),
            decorated=RU_DECORATED[feature_gender],
            depth=f"{depth:.1f}".replace(".", ","),
        )

        built = kind in ("building", "museum", "structure")
        if not built:
            dating = rng.choice(DATED_BY_CENTURY)
        elif year_from < 0:
            dating = DATED_BY_CENTURY[0]
        elif kind == "museum":
            dating = rng.choice((MUSEUM_FOUNDED, DATED_BY_CENTURY[0]))
        else:
            dating = rng.choice((*DATED_BY_YEARS, DATED_BY_CENTURY[0]))
        optional = [OCCUPATION, *SETTING, *GENERAL, FIRST_DESCRIBED]
        optional += [DRAWINGS if built else EXCAVATION_REPORTS, *KIND_SENTENCES.get(kind, ())]
        optional += TYPE_SENTENCES.get(type_code, ())
        if built:
            optional += [rng.choice(WALLS), MEASUREMENTS, PLAN]
            if year_from > 0:
                optional += [EARTHQUAKE, COMMUNITY_REPAIR]
        if kind in ("building", "museum", "burial"):
            optional.append(ORNAMENT)
        if kind == "building" and year_from > 0:
            optional.append(MASTER)
        if kind in ("building", "museum") and year_from < 1920:
            optional.append(SOVIET_REUSE)
        rng.shuffle(optional)
        closing = [
            CONDITIONS[site["condition"]],
            PROTECTIONS[site["protection_level"]],
            CLEARANCES[site["clearance_status"]],
        ]
        # Aim well inside 80 to 150 words: Azerbaijani says in fewer words what English says.
        az_text, en_text, ru_text = _compose(
            ([rng.choice(INTRO), dating], optional, closing),
            slots,
            words=(rng.randint(88, 125), 150),
            paragraphs=2,
        )
        return az_text, en_text, ru_text

    def record(self, site: Row) -> tuple[Row, Element]:
        """A restoration record in one language, and the element of the site it works on."""
        rng = self.rng
        type_code = site["site_type"]
        building = TYPES[type_code].kind in ("building", "museum")
        elements = TYPE_ELEMENTS.get(type_code, ())
        element = rng.choice((*BUILDING_ELEMENTS, *elements) if building else elements)
        el_az, el_en, _, el_ru_gen = element
        work_code = self.weighted(WORK_TYPE_WEIGHTS)
        work = WORK_TYPES[work_code]
        work_status = self.weighted(WORK_STATUS_WEIGHTS)
        lang = self.weighted(RECORD_LANGUAGE_WEIGHTS)

        start: date | None = None
        end: date | None = None
        if work_status == "planned":
            start = self.day(date(2026, 11, 1), date(2027, 12, 31)) if rng.random() < 0.6 else None
        else:
            start = self.day(FIRST_DAY, LAST_DAY - timedelta(days=30))
            if work_status == "completed":
                end = min(start + timedelta(days=rng.randint(14, 700)), LAST_DAY)
        condition_before = rng.choice(list(CONDITION_BEFORE))
        condition_after = rng.choice(list(CONDITION_AFTER)) if work_status == "completed" else None
        override = work_status in STARTED_WORK_STATUSES and site["clearance_status"] != CLEARED

        title_az = f"{az_case(el_az, 'gen')} {work.az}"
        titles = (az_capitalize(title_az), work.en.format(el=el_en), f"{work.ru} {el_ru_gen}")
        organisation = rng.choice((*ORGANISATIONS, self.company()))
        team = [self.person() for _ in range(rng.randint(2, 4))]
        materials = rng.sample(RECORD_MATERIALS, rng.randint(2, 4))
        techniques = rng.sample(TECHNIQUES, rng.randint(1, 3))
        cost = rng.randrange(5_000, 2_000_001, 1_000)
        picks: dict[str, Triple] = {
            "org": organisation,
            "leader": team[0],
            "reason": rng.choice(SUSPENSION_REASONS),
            "finding": rng.choice(FINDINGS),
            "doc": rng.choice(DOCUMENTATION),
            "funder": rng.choice(FUNDERS),
            "before": CONDITION_BEFORE[condition_before],
            "after": CONDITION_AFTER[condition_after] if condition_after else ("", "", ""),
        }
        lists = {"materials": materials, "techniques": techniques, "team": team}
        slots = [{key: words[i] for key, words in picks.items()} for i in ALL_LANGUAGES]
        for i, values in enumerate(slots):
            values |= {key: ", ".join(words[i] for words in items) for key, items in lists.items()}
        az, en, ru = slots
        az.update(
            el=el_az,
            title=title_az,
            Title=titles[0],
            start_year=start and az_year(start.year),
            when=f"{az_year(start.year)} ildə " if start else "",
            span=_az_span(start, end),
            cost=f"{cost:,}".replace(",", " "),
        )
        en.update(
            el=el_en,
            title=titles[1][0].lower() + titles[1][1:],
            start=_en_month(start),
            end=_en_month(end),
            when=f" to start in {_en_month(start)}" if start else "",
            cost=f"{cost:,}",
        )
        ru.update(
            el_gen=el_ru_gen,
            work_of=f"{work.ru_dat} {el_ru_gen}",
            start_year=start and start.year,
            when=f" на {start.year} год" if start else "",
            span=_ru_span(start, end),
            cost=f"{cost:,}".replace(",", " "),
        )

        body = [*RECORD_SENTENCES]
        body += RECORD_PLANNED if work_status == "planned" else RECORD_STARTED
        if work_status == "completed":
            body.append(RECORD_AFTER)
        rng.shuffle(body)
        (description,) = _compose(
            ([RECORD_LEADS[work_status]], body, [RECORD_UNCLEARED] if override else []),
            slots,
            words=(rng.randint(45, 90), 100),
            languages=(lang,),
        )
        created = self.moment(self.day(site["created_at"].date(), LAST_DAY))
        row = {
            "title": titles[lang],
            "work_type": work_code,
            "work_status": work_status,
            "start_date": start,
            "end_date": end,
            "organisation": organisation[lang],
            "team": slots[lang]["team"],
            "description": description,
            "materials": slots[lang]["materials"],
            "techniques": slots[lang]["techniques"],
            "condition_before": condition_before,
            "condition_after": condition_after,
            "clearance_override_reason": rng.choice(OVERRIDE_REASONS)[lang] if override else None,
            **self.bookkeeping(created, STATUS_WEIGHTS),
        }
        return row, element

    def company(self) -> Triple:
        """A restoration firm named after a place."""
        az, en, ru = transliterated(self.word())
        return f"{az} Bərpa MMC", f"{en} Restoration LLC", f"ООО «{ru} Реставрация»"

    def photo(
        self, site: Row, works: list[tuple[Row, Element]], number: int
    ) -> tuple[int | None, Row]:
        """A photo's metadata: of a record's work (before, during, after) or of the site."""
        rng = self.rng
        started = [i for i, (record, _) in enumerate(works) if record["start_date"]]
        index: int | None = None
        if started and rng.random() < 0.6:
            index = rng.choice(started)
            record, element = works[index]
            start, end = record["start_date"], record["end_date"]
            stage = rng.choice(("before", "during", "after") if end else ("before", "during"))
            if stage == "before":
                day = start - timedelta(days=rng.randint(0, 20))
            elif stage == "during":
                day = self.day(start, end or start + timedelta(days=60))
            else:
                day = end + timedelta(days=rng.randint(0, 20))
            view = _stage_view(stage, WORK_TYPES[record["work_type"]], element)
        else:
            stage, day = "general", self.day(FIRST_DAY, LAST_DAY)
            az, en, ru = rng.choice(DIRECTIONS)
            view = (f"{az} ümumi görünüş", f"general view from the {en}", f"общий вид с {ru}")
        camera, width, height, filename = rng.choice(CAMERAS)
        if rng.random() < 0.2:
            width, height = height, width
        captured = self.moment(day)
        uploaded = max(captured, site["created_at"]) + timedelta(hours=rng.randint(1, 240))
        with_gps = rng.random() < 0.4
        gps = [
            round(site[axis] + rng.gauss(0, 0.001), 6) if with_gps else None
            for axis in ("latitude", "longitude")
        ]
        photographer = self.person()[0]
        alts = (az_capitalize(view[0]), _upper_first(view[1]), _upper_first(view[2]))
        return index, {
            "stage": stage,
            "sha256": hashlib.sha256(f"{site['inventory_number']}/{number}".encode()).hexdigest(),
            "size_bytes": int(width * height * rng.uniform(0.25, 0.5)),
            "media_type": "image/jpeg",
            "width": width,
            "height": height,
            "original_filename": filename.format(rng.randint(1, 9999)),
            "captured_at": captured,
            "camera": camera,
            "orientation": 1,
            "gps_latitude": gps[0],
            "gps_longitude": gps[1],
            "caption_az": f"{site['name_az']}. {alts[0]}, {day.year}.",
            "caption_en": f"{site['name_en']}. {alts[1]}, {day.year}.",
            "caption_ru": f"{site['name_ru']}. {alts[2]}, {day.year}.",
            "alt_az": f"{alts[0]}.",
            "alt_en": f"{alts[1]}.",
            "alt_ru": f"{alts[2]}.",
            "photographer": photographer,
            "credit": f"Photo: {photographer}",
            "licence": "CC-BY-4.0",
            **self.bookkeeping(uploaded, PHOTO_STATUS_WEIGHTS),
        }


@dataclass(frozen=True)
class PartsMeans:
    """How many of each kind a site holds, on average: in the occupied districts' museums
    most objects were catalogued before 1991; a cemetery's stones are recorded a few at a
    time; most sites have been surveyed at most once since 2021."""

    objects_per_museum: float = 8.0
    gravestones_per_cemetery: float = 5.0
    surveys_per_site: float = 0.4


def _stage_view(stage: str, work: WorkType, element: Element) -> Triple:
    """What a photo before, during or after a piece of work shows, in each language."""
    el_az, el_en, el_ru, _ = element
    slots = (
        {
            "el": el_az,
            "el_gen": az_case(el_az, "gen"),
            "work_abl": az_case(work.az_noun, "abl"),
            "work_phrase": work.az,
        },
        {"el": el_en, "work": work.en_noun},
        {"el": el_ru, "work": work.ru_noun_gen},
    )
    az, en, ru = _render(STAGE_VIEWS[stage], slots)
    return az, en, ru


# --- Writing it to the database -------------------------------------------------------------------


def _insert_returning_ids(conn: Connection, table: Table, rows: list[Row]) -> list[int]:
    """Insert `rows` in one executemany and return their new ids, in the rows' order."""
    if not rows:
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(statement, rows).scalars())


def _insert_bundles(conn: Connection, bundles: list[SiteBundle]) -> None:
    """Insert sites, then their records, then their photos, linking each to the new ids."""
    site_ids = _insert_returning_ids(conn, SITES, [bundle.site for bundle in bundles])
    for site_id, bundle in zip(site_ids, bundles, strict=True):
        for row in (*bundle.records, *(photo for _, photo in bundle.photos)):
            row["site_id"] = site_id
    records = [record for bundle in bundles for record in bundle.records]
    record_ids = iter(_insert_returning_ids(conn, RECORDS, records))
    photos = []
    for bundle in bundles:
        ids = [next(record_ids) for _ in bundle.records]
        for index, photo in bundle.photos:
            photo["record_id"] = None if index is None else ids[index]
            photos.append(photo)
    if photos:
        conn.execute(insert(PHOTOS), photos)
    for table, part in ((OBJECTS, "objects"), (GRAVESTONES, "gravestones"), (SURVEYS, "surveys")):
        rows = []
        for site_id, bundle in zip(site_ids, bundles, strict=True):
            for row in getattr(bundle, part):
                row["site_id"] = site_id
                rows.append(row)
        if rows:
            conn.execute(insert(table), rows)


def _prepare(conn: Connection, append: bool) -> tuple[int, int]:
    """Check the target; find or create the generator's account: (its id, the last serial)."""
    existing = conn.scalar(select(func.count()).select_from(SITES))
    if existing and not append:
        raise ArchiveNotEmpty(
            f"The database already holds {existing} sites; refusing to add synthetic ones "
            "(use --append to add them anyway)."
        )
    # Zero-padded serials sort as text, so the greatest is the last one generated.
    last = conn.scalar(
        select(func.max(SITES.c.inventory_number)).where(
            SITES.c.inventory_number.like(f"{INVENTORY_PREFIX}-%")
        )
    )
    user_id = conn.scalar(select(USERS.c.id).where(USERS.c.email == GENERATOR_EMAIL))
    if user_id is None:
        account = {
            "email": GENERATOR_EMAIL,
            "name": "Synthetic data generator",
            "role": "admin",
            "password_hash": None,
            "active": True,
            "session_version": 1,
            "created_at": datetime(2024, 1, 1, tzinfo=UTC),
            "last_login_at": None,
        }
        (user_id,) = _insert_returning_ids(conn, USERS, [account])
    return user_id, int(last.removeprefix(f"{INVENTORY_PREFIX}-")) if last else 0


def generate(
    database_url: str,
    sites: int,
    seed: int = 1,
    records_per_site: float = 2.0,
    photos_per_site: float = 3.0,
    append: bool = False,
    instance_path: str | None = None,
    progress: Progress | None = None,
    parts: PartsMeans | None = None,
) -> dict[str, int]:
    """Add `sites` synthetic sites to the database at `database_url`; return the row counts.

    Migrates the database first. Refuses (ArchiveNotEmpty) one that holds sites unless
    `append`. Calls `progress(counts so far, sites)` after each committed batch.
    """
    with ExitStack() as stack:
        if instance_path is None:
            instance_path = stack.enter_context(TemporaryDirectory(prefix="heritage-generate-"))
        app = create_app(
            {
                "DATABASE_URL": database_url,
                "INSTANCE_PATH": instance_path,
                "SECRET_KEY": "synthetic-archive-generator",
            }
        )
        with app.app_context():
            try:
                upgrade_database()
                counted = _fill(
                    sites, seed, append, records_per_site, photos_per_site, progress, parts
                )
                # The rows went in around the services, which keep the public counts.
                begin_write()
                counts.recount()
                db.session.commit()
                return counted
            finally:
                db.engine.dispose()


def _fill(
    sites: int,
    seed: int,
    append: bool,
    records_per_site: float,
    photos_per_site: float,
    progress: Progress | None,
    parts: PartsMeans | None = None,
) -> dict[str, int]:
    """Add the sites to the current app's database, one transaction per batch."""
    # On SQLite these transactions take the write lock up front (BEGIN IMMEDIATE).
    writer = db.engine.execution_options(writes=True)
    with writer.begin() as conn:
        user_id, last_serial = _prepare(conn, append)
    faker = ArchiveFaker(
        # Appending goes on with other data, not the same names again.
        random.Random(f"{seed}:{last_serial}"),
        user_id=user_id,
        records_per_site=records_per_site,
        photos_per_site=photos_per_site,
        parts=parts,
    )
    counts = {"sites": 0, "records": 0, "photos": 0, "objects": 0, "gravestones": 0, "surveys": 0}
    for done in range(0, sites, BATCH_SITES):
        serials = range(last_serial + done + 1, last_serial + min(done + BATCH_SITES, sites) + 1)
        bundles = [faker.site(serial) for serial in serials]
        with writer.begin() as conn:
            _insert_bundles(conn, bundles)
        counts["sites"] += len(bundles)
        counts["records"] += sum(len(bundle.records) for bundle in bundles)
        counts["photos"] += sum(len(bundle.photos) for bundle in bundles)
        for part in ("objects", "gravestones", "surveys"):
            counts[part] += sum(len(getattr(bundle, part)) for bundle in bundles)
        if progress:
            progress(dict(counts), sites)
    return counts


def _stderr_progress(started: float) -> Progress:
    """Report rows per second on stderr, at most every two seconds, and at the end."""
    last_report = started

    def report(counts: dict[str, int], total: int) -> None:
        nonlocal last_report
        now = time.perf_counter()
        if now - last_report < 2 and counts["sites"] < total:
            return
        last_report = now
        rows = sum(counts.values())
        print(
            f"{counts['sites']:,}/{total:,} sites, {rows:,} rows, "
            f"{rows / (now - started):,.0f} rows/s",
            file=sys.stderr,
            flush=True,
        )

    return report


def main(argv: Sequence[str] | None = None) -> None:
    """The command line: generate, then print a summary line."""
    parser = argparse.ArgumentParser(description="Generate a synthetic heritage archive.")
    parser.add_argument("--sites", type=int, required=True, help="how many sites to add")
    parser.add_argument("--database-url", required=True, help="e.g. sqlite:////tmp/bench.db")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same archive (default 1)")
    parser.add_argument("--records-per-site", type=float, default=2.0, help="mean (default 2.0)")
    parser.add_argument("--photos-per-site", type=float, default=3.0, help="mean (default 3.0)")
    parser.add_argument("--objects-per-museum", type=float, default=8.0, help="mean (default 8)")
    parser.add_argument(
        "--gravestones-per-cemetery", type=float, default=5.0, help="mean (default 5)"
    )
    parser.add_argument("--surveys-per-site", type=float, default=0.4, help="mean (default 0.4)")
    parser.add_argument("--append", action="store_true", help="add to a database that has sites")
    parser.add_argument("--instance-path", help="instance folder (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.sites < 1 or args.records_per_site < 0 or args.photos_per_site < 0:
        parser.error("--sites must be positive and the per-site means not negative")
    started = time.perf_counter()
    try:
        counts = generate(
            args.database_url,
            args.sites,
            seed=args.seed,
            records_per_site=args.records_per_site,
            photos_per_site=args.photos_per_site,
            append=args.append,
            instance_path=args.instance_path,
            progress=_stderr_progress(started),
            parts=PartsMeans(
                args.objects_per_museum, args.gravestones_per_cemetery, args.surveys_per_site
            ),
        )
    except ArchiveNotEmpty as error:
        sys.exit(f"generate.py: {error}")
    elapsed = time.perf_counter() - started
    target = make_url(args.database_url).render_as_string(hide_password=True)
    print(
        f"Generated {counts['sites']} sites, {counts['records']} restoration records, "
        f"{counts['photos']} photos, {counts['objects']} collection objects, "
        f"{counts['gravestones']} gravestones and {counts['surveys']} condition surveys into "
        f"{target} in {elapsed:.1f} s "
        f"({sum(counts.values()) / elapsed:,.0f} rows/s)."
    )


if __name__ == "__main__":
    main()
