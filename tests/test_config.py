"""Configuration: HERITAGE_* variables over safe defaults; a secret key made once per instance."""

from __future__ import annotations

import stat

import pytest

from heritage import create_app


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("HERITAGE_SECRET_KEY", raising=False)
    instance = tmp_path / "instance"

    first = create_app({"INSTANCE_PATH": str(instance)})
    second = create_app({"INSTANCE_PATH": str(instance)})

    key_file = instance / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = create_app({"INSTANCE_PATH": str(tmp_path / "other")})
    assert other.config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_defaults_live_in_the_instance_folder(tmp_path):
    instance = tmp_path / "instance"

    app = create_app({"INSTANCE_PATH": str(instance)})

    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'heritage.db'}"
    assert app.config["MEDIA_ROOT"] == str(instance / "media")
    assert app.config["INDEX_DIR"] == str(instance / "index")


def test_environment_variables_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("HERITAGE_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("HERITAGE_DATABASE_URL", "postgresql://archive@db.internal/heritage")
    monkeypatch.setenv("HERITAGE_MEDIA_ROOT", str(tmp_path / "photos"))
    monkeypatch.setenv("HERITAGE_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("HERITAGE_PAGE_SIZE", "20")

    app = create_app()

    assert app.instance_path == str(tmp_path / "inst")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://archive@db.internal/heritage"
    )
    assert app.config["MEDIA_ROOT"] == str(tmp_path / "photos")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["PAGE_SIZE"] == 20


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HERITAGE_PAGE_SIZE", "abc", "HERITAGE_PAGE_SIZE must be a whole number, not 'abc'"),
        ("HERITAGE_SEARCH_EXPORT_LIMIT", "0", "HERITAGE_SEARCH_EXPORT_LIMIT must be at least 1"),
        ("HERITAGE_SEARCH_TIME_LIMIT", "-1", "HERITAGE_SEARCH_TIME_LIMIT must be at least"),
    ],
)
def test_a_number_out_of_its_range_is_refused_at_start_up(
    tmp_path, monkeypatch, variable, value, message
):
    monkeypatch.setenv("HERITAGE_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValueError, match=message):
        create_app()


def test_zero_is_allowed_where_it_means_off(tmp_path, monkeypatch):
    monkeypatch.setenv("HERITAGE_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("HERITAGE_PUBLIC_PAGE_CACHE_BYTES", "0")

    assert create_app().config["PUBLIC_PAGE_CACHE_BYTES"] == 0
