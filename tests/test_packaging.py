"""The `heritage` command works from any folder, installed editable or as a plain package:
templates, static files, migrations and the demo data ship with it."""

from __future__ import annotations

import configparser
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES

REPO = Path(__file__).resolve().parents[1]
# What a checkout holds beside its sources (at the top), and caches anywhere in it.
NOT_SOURCES = {
    ".git",
    ".venv",
    ".venv-lowest",
    "node_modules",
    "build",
    "instance",
    "media",
    "test-output",
}
CACHES = shutil.ignore_patterns("__pycache__", "*.egg-info", ".hypothesis", ".ruff_cache")


def not_sources(folder: str, names: list[str]) -> set[str]:
    top = NOT_SOURCES & set(names) if Path(folder) == REPO else set()
    return top | CACHES(folder, names)


CHECK_PAGES = """
import heritage, sys
from heritage import create_app
client = create_app().test_client()
sites = client.get("/sites")
assert sites.status_code == 200, sites.status_code
assert client.get("/static/heritage.css").status_code == 200
print(heritage.__file__)
print(sites.get_data(as_text=True).count('href="/sites/'))
print(client.application.template_folder)
"""


def run(command: list[str], cwd: Path, instance: Path | None) -> subprocess.CompletedProcess:
    """Run `command` with no HERITAGE_* settings but the instance folder (default: none)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("HERITAGE_")}
    if instance is not None:
        env["HERITAGE_INSTANCE_PATH"] = str(instance)
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_editable_install_works_from_another_folder(tmp_path):
    bin_dir = Path(sys.executable).parent
    instance = tmp_path / "inst"
    out = run([str(bin_dir / "heritage"), "init-db"], cwd=tmp_path, instance=instance).stdout
    assert f"Created the archive database at {instance / 'heritage.db'}" in out
    out = run([sys.executable, "-c", CHECK_PAGES], cwd=tmp_path, instance=instance).stdout
    module_path, _links, templates = out.splitlines()
    assert module_path.startswith(str(REPO))
    assert templates == str(REPO / "templates"), "the checkout's top-level templates/"


def test_heritage_run_serves_the_archive(tmp_path):
    heritage = str(Path(sys.executable).parent / "heritage")
    instance = tmp_path / "inst"
    run([heritage, "init-db"], cwd=tmp_path, instance=instance)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "HERITAGE_INSTANCE_PATH": str(instance)}
    env.pop("HERITAGE_DATABASE_URL", None)
    server = subprocess.Popen(
        [heritage, "run", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "heritage run did not start"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sites", timeout=5) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(ON_POSTGRES, reason="packaging does not depend on the database")
def test_plain_install_into_a_fresh_virtualenv(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # From a copy of the sources: pip builds in the source folder, and a build/ left in the
    # checkout would carry files that no longer exist into the next wheel.
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=not_sources)
    run([str(python), "-m", "pip", "install", "-q", str(source)], cwd=tmp_path, instance=tmp_path)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    # Where Flask puts an installed package's instance folder, which the first command names.
    instance = env_dir / "var" / "heritage-instance"

    demo = run([str(env_dir / "bin" / "heritage"), "demo"], cwd=workdir, instance=None)
    out = run([str(python), "-c", CHECK_PAGES], cwd=workdir, instance=None).stdout

    module_path, links, templates = out.splitlines()
    assert module_path.startswith(str(env_dir)), "imported the installed copy, not the checkout"
    assert templates.startswith(str(env_dir)), "the templates shipped inside the package"
    assert int(links) >= 30
    assert not (workdir / "media").exists()
    assert (instance / "media" / "originals").is_dir()
    assert f"Created the instance folder {instance} " in demo.stderr


def test_setup_cfg_lists_every_package():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    found = {
        ".".join(path.parent.relative_to(REPO).parts)
        for path in (REPO / "heritage").rglob("__init__.py")
    }
    assert found <= listed, f"add to setup.cfg's packages: {sorted(found - listed)}"
    assert {"heritage.templates", "heritage.migrations"} <= listed
