"""Several app hosts on one machine: gunicorn servers with their own instance folders over
one database, one media folder and one Redis (Debian's `redis-server`, started here).

Two hosts in all but name: they share only what hosts behind a load balancer share.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

SECRET_KEY = "one-secret-key-for-every-host"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start on port {port}") from None
            time.sleep(0.1)


class RedisServer:
    """A throw-away redis-server on a free port, without persistence; stop() and start()
    again on the same port, as when Redis is restarted under running hosts."""

    def __init__(self, workdir: Path) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError(
                "these tests need Debian's redis-server: apt-get install redis-server"
            )
        self.port = free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _wait_for_port(self.port, self.process, "redis-server")
        redis.Redis.from_url(self.url).ping()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Host:
    """One app host: gunicorn with its own instance folder, the shared database and media."""

    def __init__(self, name: str, workdir: Path, database_url: str, media: Path, **settings):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        instance = workdir / f"host-{name}"
        self.env = {
            **os.environ,
            "HERITAGE_INSTANCE_PATH": str(instance),
            "HERITAGE_DATABASE_URL": database_url,
            "HERITAGE_MEDIA_ROOT": str(media),
            "HERITAGE_INDEX_DIR": str(instance / "index"),
            "HERITAGE_SECRET_KEY": SECRET_KEY,
            **{f"HERITAGE_{key}": str(value) for key, value in settings.items()},
        }
        self.log = instance.with_suffix(".log")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "--workers=1", f"--bind=127.0.0.1:{self.port}"]
        command += ["--log-level=warning", "heritage:create_app()"]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stderr=log)
        _wait_for_port(self.port, self.process, f"host {self.name}")
        # The port opens before the worker has loaded the app: wait for its first answer.
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{self.url}/health", timeout=60)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"host {self.name} did not answer; see {self.log}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def hosts(tmp_path, database_url) -> Iterator:
    """hosts(2, SETTING=value, …): that many started hosts over the test's database."""
    media = tmp_path / "shared-media"
    media.mkdir()
    started: list[Host] = []

    def start(count: int, **settings) -> list[Host]:
        names = "abcdefgh"[len(started) : len(started) + count]
        new = [Host(name, tmp_path, database_url, media, **settings) for name in names]
        for host in new:
            host.start()
        started.extend(new)
        return new

    yield start
    for host in started:
        host.stop()
