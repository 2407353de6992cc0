"""Interface language: ?lang= (remembered), Accept-Language, Azerbaijani by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import form_token

REPO = Path(__file__).resolve().parents[2]


def test_azerbaijani_is_the_default(client):
    del client.environ_base["HTTP_ACCEPT_LANGUAGE"]
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="az">' in html
    assert "<h1>Daxil ol</h1>" in html


@pytest.mark.parametrize(("lang", "heading"), [("en", "Sign in"), ("ru", "Войти")])
def test_lang_parameter_switches_and_is_remembered(client, lang, heading):
    first = client.get(f"/login?lang={lang}")
    assert f'<html lang="{lang}">' in first.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in first.get_data(as_text=True)
    assert "lang=" + lang in first.headers["Set-Cookie"]

    later = client.get("/login").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in later


def test_browser_language_is_used_when_nothing_was_chosen(client):
    html = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in html.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_staff_pages_and_vocabularies_are_translated(client, editor, sign_in, lang):
    sign_in(editor)

    html = client.get(f"/staff/sites/new?lang={lang}").get_data(as_text=True)

    expected = {"en": ("New site", "Mosque", "Shusha"), "ru": ("Новый", "Мечеть", "Шуша")}
    for text in expected[lang]:
        assert text in html


def test_an_unknown_language_falls_back_to_azerbaijani(client):
    html = client.get("/login?lang=xx", headers={"Accept-Language": "de"})
    assert '<html lang="az">' in html.get_data(as_text=True)


def source_messages() -> set[str]:
    """Every interface string in the code and templates, as `pybabel extract` finds them."""
    method_map = [("heritage/**.py", "python"), ("templates/**.html", "jinja2")]
    found = extract_from_dir(
        str(REPO), method_map=method_map, keywords={**DEFAULT_KEYWORDS, "_l": None}
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_every_interface_string_is_translated(lang):
    with (REPO / "heritage" / "translations" / lang / "LC_MESSAGES" / "messages.po").open(
        "rb"
    ) as f:
        catalog = read_po(f)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }

    untranslated = sorted(source_messages() - translated)

    assert untranslated == [], "run pybabel extract/update and translate (README: Translations)"


@pytest.mark.parametrize(
    ("path", "lang", "expected"),
    [
        ("/sites/no-such-site", "ru", "Такого памятника нет."),
        ("/photos/99999", "az", "Belə foto yoxdur."),
        ("/no/such/address", "az", "Arxivdə belə səhifə yoxdur."),
        ("/search?q=NOT+OR+x", "az", "NOT-dan sonra söz və ya mötərizə olmalıdır."),
        ("/search?q=year:1900..1800", "ru", "первый год диапазона не может быть позже второго"),
    ],
)
def test_errors_speak_the_readers_language(client, path, lang, expected):
    html = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}").get_data(as_text=True)

    assert expected in html


def test_form_errors_speak_the_readers_language(client, sign_in, editor):
    sign_in(editor)
    token = form_token(client, "/staff/sites/new")

    html = client.post(
        "/staff/sites/new?lang=ru",
        data={
            "csrf_token": token,
            "name_az": "Qala",
            "year_from": "1800",
            "year_to": "1700",
            "settlement": "x" * 300,
            "latitude": "100",
            "longitude": "40",
            "category": "castle",
            "slug": "q",
        },
    ).get_data(as_text=True)

    assert "Не может быть раньше начального года." in html
    assert "Используйте не больше 200 символов." in html
    # marshmallow's own messages, with their values (heritage.schemas.messages)
    assert "Должно быть от -90 до 90." in html
    assert "Используйте от 2 до 120 символов." in html
    for english in ("Must be", "Length must", "Longer than"):
        assert english not in html


def test_a_refused_step_is_flashed_in_the_readers_language(client, sign_in, editor, make_site):
    """The service says why with a Message (kind and status named), not an English f-string."""
    site = make_site("draft")
    sign_in(editor)
    token = form_token(client, f"/staff/sites/{site.id}")

    html = client.post(
        f"/staff/sites/{site.id}/workflow/restore?lang=ru",
        data={"csrf_token": token, "version": str(site.version)},
        follow_redirects=True,
    ).get_data(as_text=True)

    assert "Нельзя восстановить: объект в статусе «черновик»." in html
