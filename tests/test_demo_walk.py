"""The demo walk: every role, in both languages, follows the links of its pages on the real demo.

The unit tests pass on hand-made data while a page can still crash on the demo's; this walk
loads the real demo (``load_demo``) once for the module, then, as each role (visitor, SME
users UK and FR, account managers UK and FR, a cross-launchpad collaborator, launchpad
managers UK and FR, the coordinator) and in English and French, requests its landing page
and every same-site link found from there with Django's test client — the Wagtail admin's
menu included, which Wagtail renders from JSON. Every answer must be 200, 301, 302, 403 or
404 (scoping's answers), never a 500: the test client re-raises any exception a view
raises, which fails the test with its traceback.

The walk is bounded to stay fast on CI: at most ``PER_ROLE`` requests per role and
language, ``PER_SHAPE`` addresses of one shape (the path with its numbers replaced and
its query's names), ``PER_PATH`` of one path whatever its query, one of each download, so
that the 30 SMEs' pages or a list's sorts and filters are sampled rather than all fetched;
every link found is still checked to resolve.

On the same demo: each published review's stage table sums to the SMEs in the journey by
its end and its enrolled stages to the SMEs enrolled by then; no due date is shown as a
relative time.
"""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from io import StringIO
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

PER_ROLE = 400
PER_SHAPE = 2  # addresses of one shape: the path with its numbers replaced, and its query's names
PER_PATH = 4  # addresses of one path shape, whatever their query (a list's filters, sorts and pages)
PER_DOWNLOAD = 1  # PDFs and spreadsheets of one path shape: each takes seconds to produce
DOWNLOAD = re.compile(r"(\.(pdf|xlsx|csv|ics)|/(pdf|xlsx)/)$")
ALLOWED = {200, 301, 302, 403, 404}

# (role, e-mail, landing path without the language prefix); None: a visitor, not signed in.
ROLES = [
    ("visitor", None, "/"),
    ("sme_user_uk", "tom@brighton-bean-roasters.example", "/portal/"),
    ("sme_user_fr", "anne@biscuiterie-de-la-baie.example", "/portal/"),
    ("account_manager_uk", "sarah.mitchell@uk.e-channel.example", "/portal/"),
    ("account_manager_fr", "camille.laurent@fr.e-channel.example", "/portal/"),
    ("collaborator", "thomas.girard@fr.e-channel.example", "/portal/"),
    ("launchpad_manager_uk", "helen.carter@uk.e-channel.example", "/portal/"),
    ("launchpad_manager_fr", "julien.moreau@fr.e-channel.example", "/portal/"),
    ("coordinator", "coordinator@e-channel.example", "/portal/"),
]
LANGUAGES = ["en", "fr"]

# Never followed: signing out ends the walk; the rest are files served outside Django in production.
SKIP = re.compile(r"(^|/)(logout|log-out|sign-out|deconnexion)(/|$)|^/(static|media)/")
# A due date shown relative to now ("Just now", "3 days ago", "Il y a 0 minute", "À l’instant").
RELATIVE = re.compile(r"just now|\bago\b|il y a|à l’instant|à l'instant|dans \d", re.IGNORECASE)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The real demo, loaded once for the whole walk and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _shape(path: str, query: str) -> tuple[str, tuple[str, ...]]:
    return re.sub(r"\d+", "N", path), tuple(sorted({name for name, _value in parse_qsl(query)}))


def _json_urls(value, found: list[str]) -> None:
    """Every "url"/"href" string in a JSON document (Wagtail's sidebar menu, its props)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("url", "href") and isinstance(item, str):
                found.append(item)
            else:
                _json_urls(item, found)
    elif isinstance(value, list):
        for item in value:
            _json_urls(item, found)


def links(html: str) -> list[str]:
    """The addresses a page links to: its anchors, and the URLs in its JSON scripts and data attributes."""
    soup = BeautifulSoup(html, "html.parser")
    found = [anchor["href"] for anchor in soup.find_all("a", href=True)]
    for script in soup.find_all("script", type="application/json"):
        try:
            _json_urls(json.loads(script.string or "null"), found)
        except ValueError:
            continue
    for tag in soup.find_all(attrs={"data-w-sidebar-props-value": True}):  # older Wagtail versions
        _json_urls(json.loads(tag["data-w-sidebar-props-value"]), found)
    return found


def walk(client: Client, starts: list[str]) -> dict:
    """Breadth-first from ``starts``: every same-site GET link, bounded; returns what was requested and found."""
    queue, seen, shapes, paths = deque(starts), set(starts), Counter(), Counter()
    statuses: dict[str, int] = {}
    unresolved: list[tuple[str, str]] = []
    while queue and len(statuses) < PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code in ALLOWED, f"{url} answered {response.status_code}"
        if response.status_code in (301, 302):
            found = [response["Location"]]
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found = links(response.content.decode())
        else:
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # a download is produced in full
            continue
        for href in found:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            if SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            seen.add(target)
            try:
                resolve(parts.path)
            except Resolver404:
                unresolved.append((url, target))
                continue
            shape = _shape(parts.path, parts.query)
            limit = PER_DOWNLOAD if DOWNLOAD.search(parts.path) or "export" in dict(parse_qsl(parts.query)) else None
            if shapes[shape] >= (limit or PER_SHAPE) or paths[shape[0]] >= (limit or PER_PATH):
                continue
            shapes[shape] += 1
            paths[shape[0]] += 1
            queue.append(target)
    return {"statuses": statuses, "unresolved": unresolved}


def _client(email: str | None, language: str) -> Client:
    from journey.models import User
    from journey.services import user_set_preferred_language

    client = Client()
    client.cookies["django_language"] = language
    if email:
        user = User.objects.get(email=email)
        # The Wagtail admin speaks the user's preferred language, the site the address's.
        user_set_preferred_language(user=user, language=language)
        client.force_login(user)
    return client


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("role", "email", "landing"), ROLES, ids=[role for role, _e, _l in ROLES])
def test_every_page_of_every_role_answers_without_an_error(demo, db, role, email, landing, language):
    client = _client(email, language)
    starts = [f"/{language}{landing}"] + (["/admin/"] if email and "sme_user" not in role else [])
    result = walk(client, starts)
    statuses, unresolved = result["statuses"], result["unresolved"]
    assert not unresolved, f"links that resolve to no view: {unresolved[:10]}"
    # The walk went somewhere: past the landing page, and, for staff, into the admin.
    assert sum(1 for status in statuses.values() if status == 200) > 5, statuses
    if email and "sme_user" not in role:
        assert any(url.startswith("/admin/smes/") for url in statuses), "the SME list was not reached"
    if role in ("coordinator", "launchpad_manager_uk", "launchpad_manager_fr"):
        assert statuses.get("/admin/programme/dashboard/") == 200


def test_the_walk_reads_the_wagtail_menu_from_its_json(demo, db):
    """The admin's menu items (the programme dashboard, the reviews) are only in the sidebar's JSON."""
    client = _client("coordinator@e-channel.example", "en")
    html = client.get("/admin/").content.decode()
    anchors = {anchor["href"] for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True)}
    assert "/admin/programme/dashboard/" not in anchors
    assert "/admin/programme/dashboard/" in links(html)


def _journey_tables(review, language="en") -> dict:
    section = next(s for s in review.frozen["figures"][language] if s["key"] == "journey")
    return {table["key"]: table for table in section["tables"]}


def _totals(table) -> dict:
    return {row["key"]: row["total"] for row in table["rows"]}


def test_each_published_review_counts_every_sme_in_a_stage_and_its_flows_add_up(demo, db):
    from journey.models import ENROLLED_STAGES, SME, Stage
    from journey.progress import journey_started_at
    from reporting import programme as reporting
    from reporting.models import QuarterlyReview, ReviewStatus

    reviews = list(QuarterlyReview.objects.filter(status=ReviewStatus.PUBLISHED).order_by("number"))
    assert [review.number for review in reviews] == [1, 2, 3, 4]
    started = journey_started_at(SME.objects.all())
    smes = list(SME.objects.select_related("launchpad"))
    before = dict.fromkeys(Stage.values, 0)  # the stock at the programme's start
    for review in reviews:
        tables = _journey_tables(review)
        stages = _totals(tables["stages"])
        cumulative = _totals(tables["enrolments"])["cumulative"]
        scope = reporting.review_scope(review)
        in_journey = sum(1 for sme in smes if started[sme.pk] < scope.as_of(sme.launchpad))
        assert sum(stages.values()) == in_journey, (review.number, stages)
        # The demo's SMEs pause and withdraw only after enrolling: those stages and the enrolled ones sum to
        # the SMEs enrolled by the end of the quarter.
        enrolled = sum(stages[stage] for stage in [*ENROLLED_STAGES, Stage.PAUSED, Stage.WITHDRAWN])
        assert enrolled == cumulative, (review.number, stages, cumulative)
        # Stock at the start + entered - left = stock at the end, stage by stage.
        flows = _totals(tables["flows"])
        for stage in Stage.values:
            change = flows.get(f"{stage}:entered", 0) - flows.get(f"{stage}:left", 0)
            assert before[stage] + change == stages[stage], (review.number, stage)
        before = stages


def test_the_demo_reviews_figures_are_pinned(demo, db):
    from reporting.models import QuarterlyReview, ReviewStatus

    published = {r.number: r for r in QuarterlyReview.objects.filter(status=ReviewStatus.PUBLISHED)}
    expected = {
        # review: (cumulative UK, FR), stages at the end (all launchpads), overdue at the end (UK, FR)
        1: ((0, 0), {"enquiry": 1, "screening": 2, "assessment": 3}, (0, 0)),
        2: ((6, 4), {"enquiry": 1, "screening": 2, "assessment": 2, "onboarding": 9, "data_collection": 1}, (0, 0)),
        3: (
            (9, 8),
            {
                "enquiry": 1,
                "screening": 2,
                "assessment": 2,
                "onboarding": 9,
                "data_collection": 6,
                "planning": 1,
                "withdrawn": 1,
            },
            (0, 0),
        ),
        4: (
            (12, 12),
            {"onboarding": 10, "data_collection": 7, "planning": 2, "intensive": 4, "withdrawn": 1},
            (1, 1),
        ),
    }
    for number, (cumulative, stages, overdue) in expected.items():
        tables = _journey_tables(published[number])
        row = next(row for row in tables["enrolments"]["rows"] if row["key"] == "cumulative")
        assert (row["values"]["uk"], row["values"]["fr"]) == cumulative, number
        assert {key: total for key, total in _totals(tables["stages"]).items() if total} == stages, number
        late = tables["overdue"]["rows"][0]["values"]
        assert (late["uk"], late["fr"]) == overdue, number
    names = [row["cells"][0] for row in _journey_tables(published[4])["overdue_list"]["rows"]]
    assert names == ["Brighton Bean Roasters", "Outillage Picard"]


def test_the_demo_dashboards_put_the_overdue_smes_under_needing_attention(demo, db):
    from journey import progress, scoping
    from journey.models import SME, User
    from journey.stages import overdue_q

    overdue = set(SME.objects.filter(overdue_q()).values_list("name", flat=True))
    assert overdue == {"Brighton Bean Roasters", "Outillage Picard"}
    coordinator = User.objects.get(email="coordinator@e-channel.example")
    attention = {item.sme.name for item in progress.needs_attention(scoping.smes_on_dashboard_of(coordinator))}
    assert overdue <= attention
    for email, language, heading in (
        ("coordinator@e-channel.example", "en", "SMEs needing attention"),
        ("helen.carter@uk.e-channel.example", "fr", "PME à surveiller"),
        ("sarah.mitchell@uk.e-channel.example", "en", "SMEs needing attention"),
    ):
        client = _client(email, language)
        html = client.get("/admin/").content.decode()
        panel = html.split('data-testid="drift-panel"')[1].split("</section>")[0]
        assert heading in panel
        assert "Brighton Bean Roasters" in panel
        pipeline = html.split('data-testid="pipeline-panel"')[1].split("</section>")[0]
        count = int(re.search(r'data-testid="attention-count">(\d+)<', panel).group(1))
        assert count >= int(re.search(r"(\d+) (overdue|en retard)", pipeline).group(1))


def test_no_due_date_is_shown_as_a_relative_time(demo, db):
    for language, header in (("en", "Stage due"), ("fr", "Échéance de l'étape")):
        client = _client("coordinator@e-channel.example", language)
        html = client.get("/admin/smes/").content.decode()
        soup = BeautifulSoup(html, "html.parser")
        headers = [th.get_text(" ", strip=True) for th in soup.select("table.listing thead th")]
        column = next(index for index, text in enumerate(headers) if header in text)
        cells = [row.find_all("td")[column].get_text(" ", strip=True) for row in soup.select("table.listing tbody tr")]
        assert cells
        for cell in cells:
            assert not RELATIVE.search(cell), cell
            assert cell == "—" or re.fullmatch(r"\d{2}/\d{2}/\d{4}", cell), cell
