"""The Whoosh internals the search package uses: one module, the tested versions, a loud check."""

from __future__ import annotations

import configparser
import re
from importlib import metadata

import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage

from heritage.search import internals
from tests.conftest import CHECKOUT


def _requirement(name: str) -> str:
    config = configparser.ConfigParser()
    config.read(CHECKOUT / "setup.cfg")
    for line in config["options"]["install_requires"].split("\n"):
        found = re.fullmatch(rf"{re.escape(name)}\s*(.*)", line.strip(), re.IGNORECASE)
        if found:
            return found.group(1).replace(" ", "")
    raise AssertionError(f"{name} is not in setup.cfg")


def test_setup_cfg_allows_only_the_versions_whose_internals_are_known():
    assert _requirement(internals.DISTRIBUTION) == internals.SUPPORTED
    installed = internals._version(metadata.version(internals.DISTRIBUTION))
    assert internals.LOWEST <= installed < internals.BEYOND


def test_no_other_module_of_the_search_package_reads_whoosh_internals():
    attribute = re.compile(r"(\w+)\)?\._[a-z]\w*")
    private_import = re.compile(r"from whoosh\S* import .*\b_[a-z]")
    for path in sorted((CHECKOUT / "heritage" / "search").glob("*.py")):
        if path.name == "internals.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{path.name}:{number}: {line.strip()}"
            assert not private_import.search(line), where
            for found in attribute.finditer(line):
                assert found.group(1) in ("self", "cls", "super"), where


def test_another_whoosh_version_stops_the_import_naming_the_range(monkeypatch):
    monkeypatch.setattr(internals.metadata, "version", lambda name: "2.8.0")
    with pytest.raises(internals.WhooshMismatch) as refused:
        internals._verify()
    message = str(refused.value)
    assert "whoosh-reloaded>=2.7.5,<2.7.6" in message
    assert "whoosh-reloaded 2.8.0 is installed" in message


def test_a_missing_internal_stops_the_import_instead_of_answering_wrongly(monkeypatch):
    monkeypatch.delattr(W3LeafMatcher, "_read_data")
    with pytest.raises(internals.WhooshMismatch) as refused:
        internals._verify()
    assert "whoosh-reloaded>=2.7.5,<2.7.6" in str(refused.value)
    assert "_read_data" in str(refused.value)


def test_a_changed_encoding_stops_the_import(monkeypatch):
    monkeypatch.setattr(internals, "_INT_SIZE", internals._INT_SIZE + 1)
    with pytest.raises(internals.WhooshMismatch, match="differs: UnpicklingError"):
        internals._verify()


def test_the_check_writes_no_file(monkeypatch):
    """Whoosh's RamStorage keeps a column's temporary files in a folder of the system's temp
    directory named after the index, shared by every process: one process's clean-up failed
    another's import (CI saw it when eight test processes started at once)."""
    created = []
    monkeypatch.setattr(FileStorage, "create", lambda storage: created.append(storage.folder))
    internals._check()
    assert created == []
