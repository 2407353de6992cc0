"""The staff workspace through HTTP: the role table, forms, review, history, conflicts."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import AuditEvent, RestorationRecord, Site, User
from heritage.services import audit, sites
from tests.conftest import PASSWORD, form_token, record_data, site_data


def fresh(model, entity_id):
    """The row as the requests left it (ends the test's own read snapshot first)."""
    db.session.rollback()
    return db.session.get(model, entity_id)


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def post(client, url, data=None, token_from=None):
    """Submit a form the way a browser does, with the CSRF token of the page it came from."""
    data = dict(data or {})
    data.setdefault("csrf_token", form_token(client, token_from or "/staff/"))
    return client.post(url, data=data)


def site_form(**overrides) -> dict:
    data = site_data(**overrides)
    data["alternative_names"] = "\n".join(data.pop("alternative_names", []) or [])
    for flag in ("location_approximate", "location_sensitive"):
        if not data.get(flag):
            data.pop(flag, None)
    return {key: ("" if value is None else str(value)) for key, value in data.items()}


@pytest.fixture
def as_role(client, make_user, sign_in):
    """Sign in a new account of `role` and return it."""

    def do(role):
        user = make_user(role)
        sign_in(user)
        return user

    return do


# --- The role table, row by row -------------------------------------------------------

STAFF_PAGES = ["/staff/", "/staff/sites/", "/staff/sites/new", "/staff/review", "/staff/users/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("restorer", {"/staff/": 200, "/staff/sites/new": 200, "/staff/users/": 403}),
        ("editor", {"/staff/": 200, "/staff/sites/new": 200, "/staff/users/": 403}),
        ("researcher", {"/staff/": 200, "/staff/sites/new": 403, "/staff/users/": 403}),
        ("admin", {"/staff/": 200, "/staff/sites/new": 200, "/staff/users/": 200}),
    ],
)
def test_who_may_open_which_page(client, as_role, role, expected):
    as_role(role)
    for url, status in expected.items():
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("role", "allowed"), [("restorer", True), ("editor", True), ("researcher", False)]
)
def test_who_may_catalogue_a_site(client, as_role, role, allowed):
    as_role(role)

    response = post(client, "/staff/sites/new", site_form(), token_from="/staff/")

    assert response.status_code == (303 if allowed else 403)
    assert count(Site) == (1 if allowed else 0)


@pytest.mark.parametrize(
    ("role", "own_draft", "others"),
    [("restorer", 303, 403), ("editor", 303, 303), ("researcher", 403, 403), ("admin", 303, 303)],
)
def test_who_may_edit_a_site(client, as_role, make_site, role, own_draft, others):
    user = as_role(role)
    someone_elses = make_site()
    mine = make_site(actor=user) if role != "researcher" else make_site()

    for site, expected in ((mine, own_draft), (someone_elses, others)):
        response = post(
            client,
            f"/staff/sites/{site.id}/edit",
            site_form(condition="fair", version=site.version, slug=site.slug),
        )
        assert response.status_code == expected, site


@pytest.mark.parametrize(
    ("role", "status"),
    [("restorer", 403), ("researcher", 403), ("editor", 303), ("admin", 303)],
)
def test_who_may_publish(client, as_role, make_site, role, status):
    as_role(role)
    site = make_site("in_review")

    response = post(client, f"/staff/sites/{site.id}/workflow/publish", {"version": site.version})

    assert response.status_code == status
    assert fresh(Site, site.id).status == ("published" if status == 303 else "in_review")


@pytest.mark.parametrize(
    ("role", "status"), [("restorer", 303), ("editor", 303), ("researcher", 403)]
)
def test_who_may_log_work(client, as_role, make_site, role, status):
    as_role(role)
    site = make_site("published")

    response = post(client, f"/staff/sites/{site.id}/records/new", record_data())

    assert response.status_code == status
    assert count(RestorationRecord) == (1 if status == 303 else 0)


def test_researcher_reads_drafts_and_history_but_writes_nothing(client, as_role, make_site):
    site = make_site("draft", name_az="Qaralama abidə")
    as_role("researcher")

    assert "Qaralama abidə" in client.get(f"/staff/sites/{site.id}").get_data(as_text=True)
    assert client.get(f"/staff/sites/{site.id}/history").status_code == 200
    assert post(client, f"/staff/sites/{site.id}/workflow/submit", {"version": 1}).status_code == (
        403
    )


def test_a_field_a_role_may_not_write_is_refused(client, as_role):
    as_role("restorer")

    for field, value in (("status", "published"), ("created_by_id", "7"), ("id", "99")):
        response = post(client, "/staff/sites/new", {**site_form(), field: value})

        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert f'href="#{field}"' in html
        assert "Unknown field, or a field that cannot be written here." in html
    assert count(Site) == 0


# --- Cataloguing ------------------------------------------------------------------------


def test_catalogue_a_site_with_three_languages(client, as_role):
    as_role("editor")

    response = post(
        client,
        "/staff/sites/new",
        site_form(alternative_names=["Gövhərağa məscidi", "Gevher Aga Mosque"]),
    )

    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Yuxarı Gövhər Ağa məscidi" in page
    assert "Upper Govhar Agha Mosque" in page
    assert "Мечеть Юхары Гевхар-ага" in page
    assert "Gövhərağa məscidi; Gevher Aga Mosque" in page
    assert "Site catalogued as a draft." in page


def test_form_errors_appear_beside_their_fields_and_nothing_is_saved(client, as_role):
    as_role("editor")

    response = post(
        client,
        "/staff/sites/new",
        site_form(latitude="91", year_from="1900", year_to="1800", district=""),
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was saved" in html
    for field in ("latitude", "year_to", "district"):
        assert f'id="{field}-error"' in html, field
        assert f'aria-describedby="{field}-error"' in html
    assert 'value="Upper Govhar Agha Mosque"' in html  # the input is kept
    assert count(Site) == 0


def test_missing_translations_are_marked(client, as_role, make_site):
    site = make_site(name_ru=None, description_ru=None)
    as_role("editor")

    html = client.get(f"/staff/sites/{site.id}").get_data(as_text=True)

    assert "Name missing" in html
    assert "Description missing" in html


def test_vocabulary_choices_follow_the_interface_language(client, as_role):
    as_role("editor")

    html = client.get("/staff/sites/new?lang=ru").get_data(as_text=True)

    assert ">Мечеть</option>" in html
    assert ">Шуша</option>" in html


# --- The work log -------------------------------------------------------------------------


def test_restorer_logs_and_updates_work(client, as_role, make_site):
    as_role("restorer")
    site = make_site("published")

    created = post(client, f"/staff/sites/{site.id}/records/new", record_data())
    record_id = int(created.headers["Location"].rsplit("/", 1)[1])
    updated = post(
        client,
        f"/staff/records/{record_id}/edit",
        record_data(work_status="in_progress", start_date="2025-04-01", version=1),
    )

    assert updated.status_code == 303
    record = fresh(RestorationRecord, record_id)
    assert record.work_status == "in_progress"
    assert record.version == 2


def test_work_log_refuses_started_work_on_an_uncleared_site(client, as_role, make_site):
    as_role("restorer")
    site = make_site(clearance_status="suspected", clearance_date=None)

    page = client.get(f"/staff/sites/{site.id}/records/new").get_data(as_text=True)
    assert "not cleared of mines" in page
    response = post(
        client,
        f"/staff/sites/{site.id}/records/new",
        record_data(work_status="in_progress", start_date="2025-04-01"),
    )

    assert response.status_code == 422
    assert 'id="work_status-error"' in response.get_data(as_text=True)
    assert count(RestorationRecord) == 0


class Elements(HTMLParser):
    """Every element and its attributes in a piece of HTML, as a browser would parse it."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<a href=x onmouseover=alert(1)>x</a>",
    "[x](vbscript:msgbox(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "`<script>` is *fine* in code",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_descriptions_cannot_carry_scripts(
    client, as_role, make_site, make_record, payload
):
    as_role("editor")
    record = make_record(make_site(), description=f"Work notes.\n\n{payload}\n\n**Done.**")

    html = client.get(f"/staff/records/{record.id}").get_data(as_text=True)
    description = html.split('<div class="prose">', 1)[1].split("</div>", 1)[0]

    assert "<strong>Done.</strong>" in description
    elements = Elements()
    elements.feed(description)
    assert {tag for tag, _ in elements.found} <= {"p", "strong", "em", "code", "a", "br"}
    for tag, attrs in elements.found:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name in ("href", "rel"), (tag, name)
            if name == "href":
                assert value.split(":", 1)[0].strip().lower() in ("http", "https", "mailto")


# --- Review, workflow, history --------------------------------------------------------------


def test_review_flow_submit_send_back_resubmit_publish(client, app, make_user, sign_in, make_site):
    restorer = make_user("restorer")
    editor = make_user("editor")
    site = make_site(actor=restorer)

    sign_in(restorer)
    assert (
        post(client, f"/staff/sites/{site.id}/workflow/submit", {"version": 1}).status_code == 303
    )
    editor_client = app.test_client()
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": form_token(editor_client)}
    editor_client.post("/login", data=data)
    queue = editor_client.get("/staff/review").get_data(as_text=True)
    assert site.name_en in queue

    post(
        editor_client,
        f"/staff/sites/{site.id}/workflow/send_back",
        {"version": 2, "note": "Add the clearance certificate number."},
    )
    assert fresh(Site, site.id).status == "draft"
    assert (
        post(client, f"/staff/sites/{site.id}/workflow/submit", {"version": 3}).status_code == 303
    )
    post(editor_client, f"/staff/sites/{site.id}/workflow/publish", {"version": 4})

    assert fresh(Site, site.id).status == "published"
    history = editor_client.get(f"/staff/sites/{site.id}/history").get_data(as_text=True)
    assert "Add the clearance certificate number." in history
    assert client.get(f"/sites/{site.slug}").status_code == 200


def test_withdraw_needs_a_reason_and_restore_brings_it_back(client, as_role, make_site):
    as_role("editor")
    site = make_site("published")

    url = f"/staff/sites/{site.id}/workflow/withdraw"
    no_reason = post(client, url, {"version": 3, "confirm": "yes"})
    assert "Give a reason" in client.get(no_reason.headers["Location"]).get_data(as_text=True)
    unconfirmed = post(client, url, {"version": 3, "note": "Duplicate."})
    page = client.get(unconfirmed.headers["Location"]).get_data(as_text=True)
    assert "Nothing was withdrawn: tick the box that confirms the withdrawal." in page
    assert fresh(Site, site.id).status == "published"

    post(client, url, {"version": 3, "note": "Duplicate.", "confirm": "yes"})
    assert client.get(f"/sites/{site.slug}").status_code == 410
    post(client, f"/staff/sites/{site.id}/workflow/restore", {"version": 4})

    assert fresh(Site, site.id).status == "published"
    assert client.get(f"/sites/{site.slug}").status_code == 200


def test_a_workflow_note_from_the_page_passes_the_same_checks_as_from_the_api(
    client, as_role, make_site
):
    as_role("editor")
    site = make_site("published")

    bad = post(
        client,
        f"/staff/sites/{site.id}/workflow/withdraw",
        {"version": 3, "note": "bad\x01\x07 reason " + "x" * 3000, "confirm": "yes"},
    )

    page = client.get(bad.headers["Location"]).get_data(as_text=True)
    assert "The note cannot be kept" in page
    site = fresh(Site, site.id)
    assert (site.status, site.withdrawal_reason, site.version) == ("published", None, 3)


def test_saving_a_form_unchanged_is_no_change_whatever_its_line_breaks(client, as_role, make_site):
    as_role("editor")
    site = make_site(description_en="First paragraph.\n\nSecond paragraph.")
    form = site_form(
        version=1, slug=site.slug, description_en="First paragraph.\r\n\r\nSecond paragraph."
    )

    response = post(
        client, f"/staff/sites/{site.id}/edit", form, token_from=f"/staff/sites/{site.id}/edit"
    )

    assert response.status_code == 303
    site = fresh(Site, site.id)
    assert site.description_en == "First paragraph.\n\nSecond paragraph."
    assert [event.action for event in audit.history("site", site.id)] == ["create"]


def test_history_shows_each_change_and_restores_a_version_as_a_new_change(
    client, as_role, make_site, editor
):
    user = as_role("editor")
    before = "The prayer hall has a wooden roof on twelve carved columns and a painted ceiling."
    after = "The prayer hall has a stone roof on twelve carved columns and a painted ceiling."
    site = make_site(description_en=before)
    sites.update_site(site.id, {"condition": "critical"}, actor=editor, version=1)
    sites.update_site(
        site.id,
        {"description_en": after},
        actor=editor,
        version=2,
    )

    history = client.get(f"/staff/sites/{site.id}/history?lang=en").get_data(as_text=True)
    assert "<del>Poor</del>" in history
    assert "<ins>Critical</ins>" in history
    assert "<del>wooden</del><ins>stone</ins>" in history
    assert history.count("Restore this version") == 2

    response = post(client, f"/staff/sites/{site.id}/history/1/restore", {"version": 3})

    assert response.status_code == 303
    site = fresh(Site, site.id)
    assert site.version == 4
    assert site.condition == "poor"
    assert site.description_en == before
    last = audit.history("site", site.id)[-1]
    assert last.action == "restore_version"
    assert last.actor_id == user.id
    assert last.note == "Version 1"
    assert len(audit.history("site", site.id)) == 4  # nothing erased


def test_a_stale_edit_is_refused_with_409_and_shows_what_changed(
    client, as_role, make_site, make_user
):
    as_role("editor")
    site = make_site()
    form = client.get(f"/staff/sites/{site.id}/edit").get_data(as_text=True)
    assert 'name="version" value="1"' in form
    sites.update_site(site.id, {"condition": "ruined"}, actor=make_user("editor"), version=1)

    response = post(
        client,
        f"/staff/sites/{site.id}/edit?lang=en",
        site_form(settlement="Şuşa, Qala küçəsi", version=1, slug=site.slug),
        token_from=f"/staff/sites/{site.id}/edit",
    )

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Nothing of yours was saved" in html
    assert "Poor" in html
    assert "Ruined" in html
    assert 'value="Şuşa, Qala küçəsi"' in html
    site = fresh(Site, site.id)
    assert site.settlement == "Şuşa"
    assert site.condition == "ruined"


def test_dashboard_shows_drafts_queue_activity_and_charts(client, as_role, make_site):
    user = as_role("restorer")
    make_site(actor=user, name_az="Mənim qaralamam", name_en=None)
    make_site("in_review", name_az="Yoxlanılacaq abidə", name_en=None)

    html = client.get("/staff/").get_data(as_text=True)

    assert "Mənim qaralamam" in html
    assert "Yoxlanılacaq abidə" in html
    assert html.count("<svg") == 3
    assert "Shusha" in html or "Şuşa" in html


# --- Accounts ---------------------------------------------------------------------------------


def test_admin_creates_changes_and_deactivates_accounts(client, app, as_role):
    admin = as_role("admin")

    created = post(
        client,
        "/staff/users/",
        {"email": "new@example.org", "name": "New", "role": "restorer", "password": PASSWORD},
    )
    assert created.status_code == 303
    db.session.rollback()
    new = db.session.scalar(select(User).where(User.email == "new@example.org"))
    other = app.test_client()
    data = {"email": "new@example.org", "password": PASSWORD, "csrf_token": form_token(other)}
    assert other.post("/login", data=data).status_code == 302

    post(client, f"/staff/users/{new.id}/role", {"role": "editor"})
    post(client, f"/staff/users/{new.id}/active", {"active": "0"})

    new = fresh(User, new.id)
    assert new.role == "editor"
    assert not new.active
    assert other.get("/staff/").status_code == 302  # their session ended
    data["csrf_token"] = form_token(other)
    assert other.post("/login", data=data).status_code == 401
    assert count(User) == 2  # never deleted
    actions = [e.action for e in audit.history("user", new.id)]
    assert actions == ["create", "change_role", "deactivate"]
    assert audit.history("user", new.id)[1].actor_id == admin.id


def test_admin_cannot_lock_themselves_out(client, as_role):
    admin = as_role("admin")

    post(client, f"/staff/users/{admin.id}/active", {"active": "0"})

    assert fresh(User, admin.id).active
    assert client.get("/staff/users/").status_code == 200


def test_account_form_errors_are_shown(client, as_role):
    as_role("admin")

    response = post(
        client, "/staff/users/", {"email": "bad", "role": "restorer", "password": "short"}
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    assert 'id="password-error"' in html
    assert count(AuditEvent) == 1  # only the admin's own account creation


def test_extra_input_attributes_reach_the_browser_as_attributes(client, as_role):
    as_role("editor")

    form = client.get("/staff/sites/new").get_data(as_text=True)
    password = client.get("/staff/account/password").get_data(as_text=True)

    assert 'step="any" min="-90" max="90" inputmode="decimal"' in form
    assert "&#34;" not in form
    assert 'autocomplete="current-password"' in password
