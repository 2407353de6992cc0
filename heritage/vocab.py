"""Controlled vocabularies, defined once, with labels in Azerbaijani, English and Russian.

Codes are what the database, the API and CSV files carry; labels are for people.
Codes never change once published: rename a label, never a code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("az", "en", "ru")
DEFAULT_LANGUAGE = "az"


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable code and its labels per language."""

    code: str
    az: str
    en: str
    ru: str
    # Extra facts about the term (e.g. the category a site type belongs to).
    extra: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The label in `lang`, falling back to Azerbaijani for an unknown language."""
        return getattr(self, lang if lang in LANGUAGES else DEFAULT_LANGUAGE)

    def labels(self) -> dict[str, str]:
        """All labels keyed by language."""
        return {lang: getattr(self, lang) for lang in LANGUAGES}


class Vocabulary:
    """An ordered, named list of terms."""

    def __init__(self, name: str, terms: list[Term]) -> None:
        self.name = name
        self.terms = tuple(terms)
        self._by_code = {term.code: term for term in terms}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, code: str) -> Term:
        return self._by_code[code]

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code, in display order."""
        return tuple(term.code for term in self.terms)

    def label(self, code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
        """The label of `code`, or the code itself when it is not (or no longer) a term."""
        if code is None:
            return ""
        term = self._by_code.get(code)
        return term.label(lang) if term else code

    def __repr__(self) -> str:
        return f"<Vocabulary {self.name} ({len(self)} terms)>"


def _t(code: str, az: str, en: str, ru: str, **extra: str) -> Term:
    return Term(code, az, en, ru, extra)


CATEGORIES = Vocabulary(
    "category",
    [
        _t("monument", "Abidə", "Monument", "Памятник"),
        _t("museum", "Muzey", "Museum", "Музей"),
        _t("cemetery", "Qəbiristanlıq", "Cemetery", "Кладбище"),
    ],
)

SITE_TYPES = Vocabulary(
    "site_type",
    [
        _t("mosque", "Məscid", "Mosque", "Мечеть", category="monument"),
        _t("church", "Kilsə", "Church", "Церковь", category="monument"),
        _t("monastery", "Monastır", "Monastery", "Монастырь", category="monument"),
        _t("mausoleum", "Türbə", "Mausoleum", "Мавзолей", category="monument"),
        _t("fortress", "Qala", "Fortress", "Крепость", category="monument"),
        _t("bridge", "Körpü", "Bridge", "Мост", category="monument"),
        _t("palace", "Saray", "Palace", "Дворец", category="monument"),
        _t("house", "Yaşayış evi", "House", "Жилой дом", category="monument"),
        _t("caravanserai", "Karvansara", "Caravanserai", "Караван-сарай", category="monument"),
        _t("bathhouse", "Hamam", "Bathhouse", "Баня", category="monument"),
        _t("spring", "Bulaq", "Spring", "Родник", category="monument"),
        _t("cave", "Mağara", "Cave", "Пещера", category="monument"),
        _t(
            "archaeological_site",
            "Arxeoloji abidə",
            "Archaeological site",
            "Археологический памятник",
            category="monument",
        ),
        _t("memorial", "Xatirə abidəsi", "Memorial", "Мемориал", category="monument"),
        _t("museum", "Muzey", "Museum", "Музей", category="museum"),
        _t("house_museum", "Ev-muzeyi", "House museum", "Дом-музей", category="museum"),
        _t("cemetery", "Qəbiristanlıq", "Cemetery", "Кладбище", category="cemetery"),
        _t("necropolis", "Nekropol", "Necropolis", "Некрополь", category="cemetery"),
    ],
)

REGIONS = Vocabulary(
    "region",
    [
        _t("karabakh", "Qarabağ", "Karabakh", "Карабах"),
        _t("east_zangezur", "Şərqi Zəngəzur", "East Zangezur", "Восточный Зангезур"),
    ],
)

# The districts (and the one city) of the Karabakh and East Zangezur economic regions.
DISTRICTS = Vocabulary(
    "district",
    [
        _t("khankendi", "Xankəndi", "Khankendi", "Ханкенди", region="karabakh"),
        _t("aghjabadi", "Ağcabədi", "Aghjabadi", "Агджабеди", region="karabakh"),
        _t("aghdam", "Ağdam", "Aghdam", "Агдам", region="karabakh"),
        _t("barda", "Bərdə", "Barda", "Барда", region="karabakh"),
        _t("fuzuli", "Füzuli", "Fuzuli", "Физули", region="karabakh"),
        _t("khojaly", "Xocalı", "Khojaly", "Ходжалы", region="karabakh"),
        _t("khojavend", "Xocavənd", "Khojavend", "Ходжавенд", region="karabakh"),
        _t("shusha", "Şuşa", "Shusha", "Шуша", region="karabakh"),
        _t("tartar", "Tərtər", "Tartar", "Тертер", region="karabakh"),
        _t("jabrayil", "Cəbrayıl", "Jabrayil", "Джебраил", region="east_zangezur"),
        _t("kalbajar", "Kəlbəcər", "Kalbajar", "Кельбаджар", region="east_zangezur"),
        _t("gubadli", "Qubadlı", "Gubadli", "Губадлы", region="east_zangezur"),
        _t("lachin", "Laçın", "Lachin", "Лачин", region="east_zangezur"),
        _t("zangilan", "Zəngilan", "Zangilan", "Зангилан", region="east_zangezur"),
    ],
)

CONDITIONS = Vocabulary(
    "condition",
    [
        _t("good", "Yaxşı", "Good", "Хорошее"),
        _t("fair", "Qənaətbəxş", "Fair", "Удовлетворительное"),
        _t("poor", "Pis", "Poor", "Плохое"),
        _t("critical", "Qəza vəziyyətində", "Critical", "Аварийное"),
        _t("ruined", "Xaraba", "Ruined", "Руины"),
        _t("destroyed", "Dağıdılmış", "Destroyed", "Разрушен"),
        _t("unknown", "Məlum deyil", "Unknown", "Неизвестно"),
    ],
)

PROTECTION_LEVELS = Vocabulary(
    "protection_level",
    [
        _t("world", "Dünya əhəmiyyətli", "World importance", "Мирового значения"),
        _t("national", "Ölkə əhəmiyyətli", "National importance", "Национального значения"),
        _t("local", "Yerli əhəmiyyətli", "Local importance", "Местного значения"),
        _t("none", "Qorunmur", "Not protected", "Не охраняется"),
    ],
)

CLEARANCE_STATUSES = Vocabulary(
    "clearance_status",
    [
        _t("not_surveyed", "Yoxlanılmayıb", "Not surveyed", "Не обследовано"),
        _t("suspected", "Şübhəli ərazi", "Suspected hazardous area", "Подозреваемая опасная зона"),
        _t(
            "confirmed",
            "Təsdiqlənmiş təhlükəli ərazi",
            "Confirmed hazardous area",
            "Подтверждённая опасная зона",
        ),
        _t("in_progress", "Təmizlənir", "Clearance in progress", "Идёт разминирование"),
        _t("cleared", "Təmizlənib", "Cleared", "Разминировано"),
    ],
)
CLEARED = "cleared"

WORK_TYPES = Vocabulary(
    "work_type",
    [
        _t(
            "survey",
            "Tədqiqat və sənədləşdirmə",
            "Survey and documentation",
            "Обследование и документация",
        ),
        _t(
            "emergency_stabilisation",
            "Qəza-bərpa möhkəmləndirməsi",
            "Emergency stabilisation",
            "Противоаварийное укрепление",
        ),
        _t("conservation", "Konservasiya", "Conservation", "Консервация"),
        _t("restoration", "Bərpa", "Restoration", "Реставрация"),
        _t("reconstruction", "Yenidənqurma", "Reconstruction", "Реконструкция"),
        _t("excavation", "Arxeoloji qazıntı", "Excavation", "Археологические раскопки"),
        _t("maintenance", "Texniki qulluq", "Maintenance", "Текущее содержание"),
    ],
)

WORK_STATUSES = Vocabulary(
    "work_status",
    [
        _t("planned", "Planlaşdırılıb", "Planned", "Запланировано"),
        _t("in_progress", "Davam edir", "In progress", "Ведётся"),
        _t("completed", "Başa çatıb", "Completed", "Завершено"),
        _t("suspended", "Dayandırılıb", "Suspended", "Приостановлено"),
    ],
)
# Work in these states has begun on site, so the mine-clearance rule applies to it.
STARTED_WORK_STATUSES = frozenset({"in_progress", "completed", "suspended"})

PUBLICATION_STATUSES = Vocabulary(
    "publication_status",
    [
        _t("draft", "Qaralama", "Draft", "Черновик"),
        _t("in_review", "Yoxlamada", "In review", "На проверке"),
        _t("published", "Dərc olunub", "Published", "Опубликовано"),
        _t("withdrawn", "Geri çəkilib", "Withdrawn", "Снято с публикации"),
    ],
)
DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN = PUBLICATION_STATUSES.codes

PHOTO_STAGES = Vocabulary(
    "photo_stage",
    [
        _t("before", "Əvvəl", "Before", "До"),
        _t("during", "İş zamanı", "During", "В процессе"),
        _t("after", "Sonra", "After", "После"),
        _t("general", "Ümumi", "General", "Общий вид"),
    ],
)

# Licences of photos, by SPDX identifier; `url` is the licence's canonical address.
LICENCES = Vocabulary(
    "licence",
    [
        _t(
            "CC-BY-4.0",
            "CC BY 4.0 (istinad ilə)",
            "CC BY 4.0 (attribution)",
            "CC BY 4.0 (с указанием авторства)",
            url="https://creativecommons.org/licenses/by/4.0/",
        ),
        _t(
            "CC-BY-SA-4.0",
            "CC BY-SA 4.0 (istinad, eyni şərtlərlə)",
            "CC BY-SA 4.0 (attribution, share alike)",
            "CC BY-SA 4.0 (с указанием авторства, на тех же условиях)",
            url="https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        _t(
            "CC-BY-NC-4.0",
            "CC BY-NC 4.0 (istinad, qeyri-kommersiya)",
            "CC BY-NC 4.0 (attribution, non-commercial)",
            "CC BY-NC 4.0 (с указанием авторства, некоммерческая)",
            url="https://creativecommons.org/licenses/by-nc/4.0/",
        ),
        _t(
            "CC0-1.0",
            "CC0 1.0 (ictimai mülkiyyət)",
            "CC0 1.0 (public domain dedication)",
            "CC0 1.0 (передача в общественное достояние)",
            url="https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        _t(
            "all-rights-reserved",
            "Bütün hüquqlar qorunur",
            "All rights reserved",
            "Все права защищены",
        ),
    ],
)

OBJECT_TYPES = Vocabulary(
    "object_type",
    [
        _t("manuscript", "Əlyazma", "Manuscript", "Рукопись"),
        _t("carpet", "Xalça", "Carpet", "Ковёр"),
        _t("textile", "Toxuculuq", "Textile", "Текстиль"),
        _t("ceramics", "Keramika", "Ceramics", "Керамика"),
        _t("metalwork", "Metal məmulatı", "Metalwork", "Изделие из металла"),
        _t("jewellery", "Zərgərlik məmulatı", "Jewellery", "Ювелирное изделие"),
        _t("arms", "Silah", "Arms and armour", "Оружие"),
        _t("painting", "Rəngkarlıq əsəri", "Painting", "Живопись"),
        _t("sculpture", "Heykəl", "Sculpture", "Скульптура"),
        _t("coin", "Sikkə", "Coin", "Монета"),
        _t("photograph", "Fotoşəkil", "Photograph", "Фотография"),
        _t("document", "Sənəd", "Document", "Документ"),
        _t("musical_instrument", "Musiqi aləti", "Musical instrument", "Музыкальный инструмент"),
        _t("furniture", "Mebel", "Furniture", "Мебель"),
        _t(
            "archaeological_find",
            "Arxeoloji tapıntı",
            "Archaeological find",
            "Археологическая находка",
        ),
        _t("other", "Digər", "Other", "Другое"),
    ],
)

# Where a collection object is, as far as the archive knows; each change is dated, with
# its evidence, in the object's status history.
OBJECT_STATUSES = Vocabulary(
    "object_status",
    [
        _t("in_collection", "Kolleksiyada", "In the collection", "В коллекции"),
        _t("on_loan", "Müvəqqəti verilib", "On loan", "Передан во временное пользование"),
        _t("lost", "İtib", "Lost", "Утерян"),
        _t("looted", "Talan edilib", "Looted", "Разграблен"),
        _t("destroyed", "Məhv edilib", "Destroyed", "Уничтожен"),
        _t("recovered", "Tapılıb", "Recovered", "Обнаружен"),
        _t("returned", "Qaytarılıb", "Returned", "Возвращён"),
        _t("unknown", "Taleyi məlum deyil", "Whereabouts unknown", "Судьба неизвестна"),
    ],
)
# The statuses of an object still to be found: what the public "missing objects" list shows.
MISSING_OBJECT_STATUSES = ("lost", "looted", "unknown")

MARKER_TYPES = Vocabulary(
    "marker_type",
    [
        _t("ram", "Qoç fiqurlu daş", "Ram-shaped stone", "Надгробие в виде барана"),
        _t("horse", "At fiqurlu daş", "Horse-shaped stone", "Надгробие в виде коня"),
        _t("sandukha", "Sənduqə", "Chest tomb (sandukha)", "Сандуга (надгробие-сундук)"),
        _t("stele", "Baş daşı (stel)", "Stele", "Стела"),
        _t("cradle", "Beşik formalı qəbir", "Cradle tomb", "Надгробие-колыбель"),
        _t("slab", "Qəbir plitəsi", "Slab", "Надгробная плита"),
        _t("modern", "Müasir qəbir daşı", "Modern headstone", "Современное надгробие"),
        _t("other", "Digər", "Other", "Другое"),
    ],
)

# The calendar a gravestone's years are written in.
CALENDARS = Vocabulary(
    "calendar",
    [
        _t("hijri", "Hicri", "Hijri", "Хиджра"),
        _t("gregorian", "Qriqorian", "Gregorian", "Григорианский"),
    ],
)

# The language and script of an inscription, as a BCP 47 tag, and its writing direction.
INSCRIPTION_LANGUAGES = Vocabulary(
    "inscription_language",
    [
        _t("ar", "Ərəb dili", "Arabic", "Арабский", dir="rtl"),
        _t("fa", "Fars dili", "Persian", "Персидский", dir="rtl"),
        _t(
            "az-Arab",
            "Azərbaycan dili (ərəb əlifbası)",
            "Azerbaijani (Arabic script)",
            "Азербайджанский (арабское письмо)",
            dir="rtl",
        ),
        _t(
            "az-Cyrl",
            "Azərbaycan dili (kiril əlifbası)",
            "Azerbaijani (Cyrillic)",
            "Азербайджанский (кириллица)",
            dir="ltr",
        ),
        _t(
            "az-Latn",
            "Azərbaycan dili (latın əlifbası)",
            "Azerbaijani (Latin)",
            "Азербайджанский (латиница)",
            dir="ltr",
        ),
        _t("ru", "Rus dili", "Russian", "Русский", dir="ltr"),
    ],
)

SURVEY_METHODS = Vocabulary(
    "survey_method",
    [
        _t("visual", "Vizual baxış", "Visual inspection", "Визуальный осмотр"),
        _t("structural", "Konstruktiv tədqiqat", "Structural survey", "Обследование конструкций"),
        _t("drone", "Dron çəkilişi", "Drone survey", "Съёмка с дрона"),
        _t("photogrammetry", "Fotoqrammetriya", "Photogrammetry", "Фотограмметрия"),
        _t("laser_scan", "Lazer skanı", "Laser scan", "Лазерное сканирование"),
        _t("other", "Digər", "Other", "Другое"),
    ],
)

DAMAGE_TYPES = Vocabulary(
    "damage_type",
    [
        _t(
            "deliberate_destruction",
            "Qəsdən dağıdılma",
            "Deliberate destruction",
            "Умышленное разрушение",
        ),
        _t("explosion", "Partlayış və ya atəş", "Explosion or shelling", "Взрыв или обстрел"),
        _t("fire", "Yanğın", "Fire", "Пожар"),
        _t("looting", "Talan", "Looting", "Разграбление"),
        _t("vandalism", "Vandalizm", "Vandalism", "Вандализм"),
        _t(
            "structural_failure",
            "Konstruksiyanın dağılması",
            "Structural failure",
            "Обрушение конструкций",
        ),
        _t("water", "Su", "Water", "Вода"),
        _t("vegetation", "Bitki örtüyü", "Vegetation", "Растительность"),
        _t("weathering", "Aşınma", "Weathering", "Выветривание"),
        _t("neglect", "Baxımsızlıq", "Neglect", "Заброшенность"),
        _t(
            "inappropriate_repair",
            "Yanlış əvvəlki təmir",
            "Inappropriate earlier repair",
            "Неуместный прежний ремонт",
        ),
        _t("other", "Digər", "Other", "Другое"),
    ],
)

DAMAGE_EXTENTS = Vocabulary(
    "damage_extent",
    [
        _t("minor", "Az", "Minor", "Незначительное"),
        _t("moderate", "Orta", "Moderate", "Умеренное"),
        _t("severe", "Ağır", "Severe", "Тяжёлое"),
        _t("total", "Tam", "Total", "Полное"),
    ],
)

RISK_LEVELS = Vocabulary(
    "risk_level",
    [
        _t("low", "Aşağı", "Low", "Низкий"),
        _t("medium", "Orta", "Medium", "Средний"),
        _t("high", "Yüksək", "High", "Высокий"),
        _t("critical", "Kritik", "Critical", "Критический"),
    ],
)

URGENCIES = Vocabulary(
    "urgency",
    [
        _t("routine", "Adi qaydada", "Routine", "В обычном порядке"),
        _t("within_a_year", "Bir il ərzində", "Within a year", "В течение года"),
        _t("within_months", "Bir neçə ay ərzində", "Within months", "В течение месяцев"),
        _t("immediate", "Təcili", "Immediate", "Немедленно"),
    ],
)

ROLES = Vocabulary(
    "role",
    [
        _t("restorer", "Bərpaçı", "Restorer", "Реставратор"),
        _t("editor", "Redaktor", "Editor", "Редактор"),
        _t("researcher", "Tədqiqatçı", "Researcher", "Исследователь"),
        _t("admin", "Administrator", "Administrator", "Администратор"),
    ],
)

ALL = {
    vocabulary.name: vocabulary
    for vocabulary in (
        CATEGORIES,
        SITE_TYPES,
        REGIONS,
        DISTRICTS,
        CONDITIONS,
        PROTECTION_LEVELS,
        CLEARANCE_STATUSES,
        WORK_TYPES,
        WORK_STATUSES,
        PUBLICATION_STATUSES,
        PHOTO_STAGES,
        LICENCES,
        OBJECT_TYPES,
        OBJECT_STATUSES,
        MARKER_TYPES,
        CALENDARS,
        INSCRIPTION_LANGUAGES,
        SURVEY_METHODS,
        DAMAGE_TYPES,
        DAMAGE_EXTENTS,
        RISK_LEVELS,
        URGENCIES,
        ROLES,
    )
}
