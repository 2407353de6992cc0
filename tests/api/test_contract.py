"""Contract tests: schemathesis drives every endpoint of the OpenAPI document against the
live app, anonymously and with admin and editor tokens, over an archive holding drafts and
published items. No answer may be a server error or break the documented schema, and no
anonymous answer may reveal a draft.

Bounded for CI: a few derandomized examples per endpoint (HERITAGE_CONTRACT_EXAMPLES).
"""

from __future__ import annotations

import io
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from heritage.extensions import db
from heritage.services import (
    collection,
    gravestones,
    indexing,
    photos,
    restorations,
    sites,
    surveys,
    tokens,
    users,
)
from tests.conftest import (
    PASSWORD,
    gravestone_data,
    make_app,
    object_data,
    record_data,
    site_data,
)
from tests.media import files

EXAMPLES = int(os.environ.get("HERITAGE_CONTRACT_EXAMPLES", "6"))
DRAFT_NAME = "Qzvx unpublished draft"
DRAFT_SLUG = "qzvx-unpublished-draft"
HIDDEN_STATUSES = {"draft", "in_review", "withdrawn"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def archive(databases, tmp_path):
    """An app over an archive with published and unpublished items, and staff tokens."""
    tmp = tmp_path
    app = make_app(
        tmp,
        databases.new_migrated(tmp),
        API_RATE_LIMIT_ANONYMOUS="100000 per minute",
        API_RATE_LIMIT_TOKEN="100000 per minute",
    )
    with app.app_context():
        indexing.ensure_index()  # built while empty, so no rebuild happens during the run
        editor = users.create_user(
            {"email": "editor@example.org", "role": "editor", "password": PASSWORD}, actor=None
        )
        admin = users.create_user(
            {"email": "admin@example.org", "role": "admin", "password": PASSWORD}, actor=None
        )
        public = sites.create_site(site_data(slug="public-site"), actor=editor)
        record = restorations.create_record(public.id, record_data(), actor=editor)
        photo = photos.upload_photo(
            public.id,
            io.BytesIO(files.jpeg(width=64, height=48)),
            "a.jpg",
            {"caption_en": "Front", "alt_en": "The front", "record_id": record.id},
            actor=editor,
        ).photo
        obj = collection.create_object(public.id, object_data(), actor=editor)
        cemetery = sites.create_site(
            site_data(slug="a-cemetery", category="cemetery", site_type="cemetery"), actor=editor
        )
        stone = gravestones.create_gravestone(cemetery.id, gravestone_data(), actor=editor)
        survey = surveys.create_survey(
            public.id,
            {
                "survey_date": "2021-04-10",
                "method": "visual",
                "overall_condition": "poor",
                "risk_level": "high",
                "urgency": "immediate",
                "damages": [{"damage_type": "fire", "extent": "severe"}],
            },
            actor=editor,
        )
        for change, entity in (
            (sites.change_site_status, public),
            (restorations.change_record_status, record),
            (photos.change_photo_status, photo),
            (collection.change_object_status, obj),
            (sites.change_site_status, cemetery),
            (gravestones.change_gravestone_status, stone),
            (surveys.change_survey_status, survey),
        ):
            entity = change(entity.id, "submit", actor=editor, version=entity.version)
            change(entity.id, "publish", actor=editor, version=entity.version)
        draft = sites.create_site(
            site_data(slug=DRAFT_SLUG, name_az=DRAFT_NAME, name_en=DRAFT_NAME, name_ru=None),
            actor=editor,
        )
        restorations.create_record(draft.id, record_data(title=DRAFT_NAME), actor=editor)
        restorations.create_record(public.id, record_data(title=DRAFT_NAME), actor=editor)
        hidden = collection.create_object(
            public.id, object_data(inventory_number="D-1", title_en=DRAFT_NAME), actor=editor
        )
        secrets = {
            role: tokens.create_token(user.id, {"name": "contract"}, actor=None).secret
            for role, user in (("editor", editor), ("admin", admin))
        }
        app.config["CONTRACT_IDS"] = {
            "site_id": [public.id, draft.id],
            "record_id": [record.id, record.id + 1, record.id + 2],
            "photo_id": [photo.id],
            "object_id": [obj.id, hidden.id],
            "gravestone_id": [stone.id],
            "survey_id": [survey.id],
            "user_id": [editor.id, admin.id],
        }
    app.config["CONTRACT_TOKENS"] = secrets
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def api_schema(archive):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", archive)


def aim(case, app, headers: dict[str, str]) -> None:
    """Point generated ids at records that exist (random ones would all answer 404), and
    send the current ETag in half the cases that take If-Match, so changes get through."""
    existing = app.config["CONTRACT_IDS"]
    for name, value in list((case.path_parameters or {}).items()):
        if name == "name":
            case.path_parameters[name] = ["district", "site_type", str(value)][len(str(value)) % 3]
        elif name.endswith("_id") and isinstance(value, int):
            ids = existing[name]
            case.path_parameters[name] = ids[value % len(ids)] if value % 4 else value
    if case.headers and "If-Match" in case.headers and len(case.headers["If-Match"]) % 2 == 0:
        path = case.formatted_path
        for step in ("/submit", "/publish", "/send-back", "/withdraw", "/restore"):
            path = path.removesuffix(step)
        etag = app.test_client().get(path, headers=headers).headers.get("ETag")
        if etag:
            case.headers["If-Match"] = etag


def run_every_operation(api_schema, headers: dict[str, str], checks: list) -> None:
    """Generate cases for every operation, call the app, and report every failure at once.

    (A loop rather than schemathesis' pytest plugin, whose fixture loader does not work with
    pytest 9.)
    """
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @SETTINGS
        def check(case):
            aim(case, api_schema.app, headers)
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks, headers=headers)

        try:
            check()
        except Exception as error:  # collected so one run shows every broken endpoint
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)


def no_draft_for_anonymous(ctx, response, case) -> None:
    """An anonymous answer never names the draft nor carries an unpublished status."""
    text = response.text
    assert DRAFT_NAME not in text, "an anonymous answer names a draft"
    assert DRAFT_SLUG not in text, "an anonymous answer names a draft's slug"
    if response.headers.get("content-type", [""])[0].startswith("application/json"):
        assert not _statuses(response.json()) & HIDDEN_STATUSES, "an unpublished status"


def _statuses(value) -> set[str]:
    if isinstance(value, dict):
        found = {value["status"]} if isinstance(value.get("status"), str) else set()
        return found.union(*(_statuses(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_statuses(v) for v in value))
    return set()


def test_anonymous_callers(api_schema):
    run_every_operation(api_schema, {}, [*CHECKS, no_draft_for_anonymous])


# schemathesis reads a streamed answer (an original photo) without closing it.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name='[^']*/media/originals/"
    ":pytest.PytestUnraisableExceptionWarning"
)
def test_staff_with_an_admin_token(api_schema, archive):
    secret = archive.config["CONTRACT_TOKENS"]["admin"]
    run_every_operation(api_schema, {"Authorization": f"Bearer {secret}"}, CHECKS)
