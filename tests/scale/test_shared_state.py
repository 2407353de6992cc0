"""What app hosts share: rate-limit counts in Redis, and sessions under one secret key.

Each host is a gunicorn server with its own instance folder; the client is `requests`, as
a browser or script behind a load balancer would be.
"""

from __future__ import annotations

import re
import time

import pytest
import requests

from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

VOCABULARIES = "/api/v1/vocabularies"


def test_api_rate_limits_count_across_hosts_in_redis(hosts, redis_server):
    a, b = hosts(2, REDIS_URL=redis_server.url, API_RATE_LIMIT_ANONYMOUS="6 per minute")
    answers = [requests.get(host.url + VOCABULARIES, timeout=10) for host in (a, b) * 3]
    assert [answer.status_code for answer in answers] == [200] * 6

    for host in (a, b):
        refused = requests.get(host.url + VOCABULARIES, timeout=10)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0


def test_without_redis_each_host_counts_alone(hosts):
    a, b = hosts(2, API_RATE_LIMIT_ANONYMOUS="3 per minute")
    for host in (a, b):
        statuses = [requests.get(host.url + VOCABULARIES, timeout=10).status_code for _ in "xyz"]
        assert statuses == [200, 200, 200]
    assert requests.get(a.url + VOCABULARIES, timeout=10).status_code == 429


def test_a_stopped_redis_loosens_limits_to_each_host_and_never_stalls(hosts, redis_server):
    (a,) = hosts(1, REDIS_URL=redis_server.url, API_RATE_LIMIT_ANONYMOUS="4 per minute")
    assert requests.get(a.url + "/health", timeout=10).json()["redis"] == "ok"
    redis_server.stop()

    started = time.monotonic()
    statuses = [requests.get(a.url + VOCABULARIES, timeout=10).status_code for _ in range(5)]
    assert time.monotonic() - started < 10  # at most half a second lost per request
    assert statuses == [200, 200, 200, 200, 429]  # counted in the host's memory meanwhile

    health = requests.get(a.url + "/health", timeout=10)
    assert health.status_code == 200  # still serving: not a reason to leave the pool
    assert health.json()["status"] == "degraded"
    assert health.json()["redis"] == "unreachable"

    redis_server.start()
    assert requests.get(a.url + "/health", timeout=10).json() == {
        "status": "ok",
        "database": "ok",
        "media": "ok",
        "redis": "ok",
    }


def test_a_session_and_its_form_token_from_one_host_work_on_another(hosts, make_user):
    make_user("editor", email="field@example.org")
    a, b = hosts(2)
    browser = requests.Session()  # cookies go to 127.0.0.1 whatever the port, as behind a balancer
    form = browser.get(a.url + "/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    signed_in = browser.post(
        b.url + "/login",
        data={"csrf_token": token, "email": "field@example.org", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text

    dashboard = browser.get(a.url + "/staff/", timeout=10)
    assert dashboard.status_code == 200
    assert "field@example.org" in dashboard.text or "Editor" in dashboard.text
