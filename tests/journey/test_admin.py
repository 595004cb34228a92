"""The SMEs in the Wagtail admin: who reaches which screen, and what they may change there.

The cast, built by the ``cast`` fixture:

* Alpha Foods — UK, followed by ``am_uk``.
* Bravo Textiles — UK, followed by ``am_uk_b``, another UK account manager.
* Charlie Fromages — France, followed by ``am_fr``.
* Delta Voiles — France, followed by ``am_fr``, shared with ``am_uk`` as a cross-launchpad collaborator.

Wagtail answers a ``PermissionDenied`` raised inside an admin view with a redirect to the
dashboard and the message "Sorry, you do not have permission to access this area." (and a
plain 403 to XMLHttpRequest callers); ``assert_denied`` checks both.
"""

from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from journey.models import SME
from journey.services import user_set_preferred_language

from .factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    SMEFactory,
    SMEUserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN_HOME = "/admin/"
SME_INDEX = "/admin/smes/"
DENIED_MESSAGE = "Sorry, you do not have permission to access this area."
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}

UK_SMES = {"Alpha Foods", "Bravo Textiles"}
FR_SMES = {"Charlie Fromages", "Delta Voiles"}
ALL_SMES = UK_SMES | FR_SMES

# Queries of the SME index for an account manager, whatever the number of SMEs listed (see
# test_sme_index_query_count_does_not_grow_with_the_number_of_smes). Measured, then pinned.
SME_INDEX_QUERIES = 15


def edit_url(sme):
    return f"/admin/smes/edit/{sme.pk}/"


def inspect_url(sme):
    return f"/admin/smes/inspect/{sme.pk}/"


@pytest.fixture
def cast():
    uk = LaunchpadFactory()
    fr = LaunchpadFactory(france=True, programme=uk.programme)
    am_uk = AccountManagerFactory(launchpad=uk, first_name="Una", last_name="Kingsley")
    am_uk_b = AccountManagerFactory(launchpad=uk, first_name="Bella", last_name="Brook")
    am_fr = AccountManagerFactory(launchpad=fr, first_name="Françoise", last_name="Dupont")
    alpha = SMEFactory(name="Alpha Foods", launchpad=uk, primary_account_manager=am_uk)
    bravo = SMEFactory(name="Bravo Textiles", launchpad=uk, primary_account_manager=am_uk_b)
    charlie = SMEFactory(name="Charlie Fromages", launchpad=fr, primary_account_manager=am_fr)
    delta = SMEFactory(name="Delta Voiles", launchpad=fr, primary_account_manager=am_fr)
    delta.collaborators.add(am_uk)
    return SimpleNamespace(
        uk=uk,
        fr=fr,
        am_uk=am_uk,
        am_uk_b=am_uk_b,
        am_fr=am_fr,
        lm_uk=LaunchpadManagerFactory(launchpad=uk),
        coordinator=CoordinatorFactory(),
        sme_user=SMEUserFactory(sme=alpha),
        alpha=alpha,
        bravo=bravo,
        charlie=charlie,
        delta=delta,
    )


def listed_smes(response):
    """The names of the SMEs in the admin listing (the ones in the cast that appear on the page)."""
    assert response.status_code == 200
    html = response.content.decode()
    return {name for name in ALL_SMES if name in html}


def my_smes_panel(response):
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-testid="my-smes-panel"')
    return html[start : html.index("</section>", start)]


def assert_denied(client, url, method="get", data=None):
    """The admin refuses the request with PermissionDenied, and the XHR form of it gets a 403."""
    send = getattr(client, method)
    response = send(url, data) if data is not None else send(url)
    assert response.status_code == 302, f"{url} answered {response.status_code}, not a refusal"
    assert response["Location"] == ADMIN_HOME
    assert DENIED_MESSAGE in [str(m).strip() for m in get_messages(response.wsgi_request)]
    response = send(url, data, **XHR) if data is not None else send(url, **XHR)
    assert response.status_code == 403


def form_data(sme, **changes):
    """What the SME edit form posts back unchanged, with ``changes`` applied."""
    data = {
        "name": sme.name,
        "slug": sme.slug,
        "launchpad": sme.launchpad_id,
        "country": sme.country,
        "sector": sme.sector,
        "size": sme.size,
        "market_orientation": sme.market_orientation,
        "shop_platform": sme.shop_platform,
        "website": sme.website,
        "primary_account_manager": sme.primary_account_manager_id or "",
        "collaborators": [user.pk for user in sme.collaborators.all()],
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


# Who reaches the admin


def test_anonymous_visitor_is_sent_to_the_admin_sign_in(client, cast):
    response = client.get(ADMIN_HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("url", [ADMIN_HOME, SME_INDEX], ids=["dashboard", "sme-index"])
def test_sme_user_is_refused_the_admin(client, cast, url):
    client.force_login(cast.sme_user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    response = client.get(url, follow=True)
    messages = [str(m).strip() for m in response.context["messages"]]
    assert "You do not have permission to access the admin." in messages
    html = response.content.decode()
    assert 'data-testid="my-smes-panel"' not in html
    assert "Alpha Foods" not in html


def test_sme_user_is_refused_the_sme_screens(client, cast):
    client.force_login(cast.sme_user)
    for url in (edit_url(cast.alpha), inspect_url(cast.alpha), reverse("smes:add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("role", ["am_uk", "am_fr", "lm_uk", "coordinator"])
def test_programme_staff_reach_the_dashboard(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.get(ADMIN_HOME)
    assert response.status_code == 200
    assert 'data-testid="my-smes-panel"' in response.content.decode()


# The SME list


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # Every SME of their launchpad, plus the French SME shared with them.
        pytest.param("am_uk", UK_SMES | {"Delta Voiles"}, id="account-manager-uk"),
        pytest.param("am_fr", FR_SMES, id="account-manager-fr"),
        pytest.param("lm_uk", UK_SMES, id="launchpad-manager-uk"),
        pytest.param("coordinator", ALL_SMES, id="coordinator"),
    ],
)
def test_sme_index_lists_the_smes_the_user_may_see(client, cast, role, expected):
    client.force_login(getattr(cast, role))
    assert listed_smes(client.get(SME_INDEX)) == expected


def test_sme_index_search_stays_within_scope(client, cast):
    client.force_login(cast.am_uk)
    assert listed_smes(client.get(SME_INDEX, {"q": "Charlie"})) == set()
    assert listed_smes(client.get(SME_INDEX, {"q": "Delta"})) == {"Delta Voiles"}


def test_sme_index_query_count_does_not_grow_with_the_number_of_smes(
    client, cast, django_assert_max_num_queries, django_assert_num_queries
):
    """No query per row: the index costs the same for 10 SMEs as for 20."""

    def add_smes(count):
        # A mix of what the account manager sees: their own, a colleague's, unassigned, shared French ones.
        for n in range(count):
            if n % 4 == 3:
                sme = SMEFactory(launchpad=cast.fr, primary_account_manager=cast.am_fr)
                sme.collaborators.add(cast.am_uk)
            else:
                SMEFactory(launchpad=cast.uk, primary_account_manager=[cast.am_uk, cast.am_uk_b, None][n % 4])

    def visible_count():
        return SME.objects.exclude(pk=cast.charlie.pk).count()

    client.force_login(cast.am_uk)
    add_smes(10 - visible_count())
    assert visible_count() == 10
    client.get(SME_INDEX)  # warm the per-process caches (content types, site root, …)
    with django_assert_max_num_queries(SME_INDEX_QUERIES) as with_ten:
        response = client.get(SME_INDEX)
    assert len(response.context["object_list"]) == 10

    add_smes(10)
    assert visible_count() == 20
    with django_assert_num_queries(len(with_ten.captured_queries)):
        response = client.get(SME_INDEX)
    assert len(response.context["object_list"]) == 20


# Opening and editing one SME


def test_account_manager_opens_the_edit_page_of_an_sme_assigned_to_them(client, cast):
    client.force_login(cast.am_uk)
    response = client.get(edit_url(cast.alpha))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name"' in html
    assert 'value="Alpha Foods"' in html


def test_account_manager_opens_the_edit_page_of_an_sme_shared_with_them(client, cast):
    client.force_login(cast.am_uk)
    assert client.get(edit_url(cast.delta)).status_code == 200


def test_account_manager_may_not_edit_an_sme_of_their_launchpad_not_assigned_to_them(client, cast):
    client.force_login(cast.am_uk)
    assert_denied(client, edit_url(cast.bravo))


def test_account_manager_may_not_save_an_sme_not_assigned_to_them(client, cast):
    client.force_login(cast.am_uk)
    assert_denied(client, edit_url(cast.bravo), method="post", data=form_data(cast.bravo, name="Bravo Hijacked"))
    cast.bravo.refresh_from_db()
    assert cast.bravo.name == "Bravo Textiles"


def test_account_manager_may_inspect_an_sme_of_their_launchpad_not_assigned_to_them(client, cast):
    client.force_login(cast.am_uk)
    response = client.get(inspect_url(cast.bravo))
    assert response.status_code == 200
    assert "Bravo Textiles" in response.content.decode()


@pytest.mark.parametrize("screen", ["edit", "inspect", "history", "usage"])
def test_account_manager_may_not_open_an_sme_of_the_other_launchpad_not_shared_with_them(client, cast, screen):
    client.force_login(cast.am_uk)
    url = f"/admin/smes/{screen}/{cast.charlie.pk}/"
    response = client.get(url)
    if response.status_code != 404:
        assert_denied(client, url)


def test_coordinator_reads_every_sme_but_edits_none(client, cast):
    client.force_login(cast.coordinator)
    for sme in (cast.alpha, cast.charlie):
        assert client.get(inspect_url(sme)).status_code == 200
        assert_denied(client, edit_url(sme))


def test_account_manager_cannot_change_the_primary_account_manager(client, cast):
    client.force_login(cast.am_uk)
    html = client.get(edit_url(cast.alpha)).content.decode()
    assert 'name="primary_account_manager"' not in html
    assert 'name="collaborators"' not in html

    data = form_data(cast.alpha, website="https://alpha.example", primary_account_manager=cast.am_uk_b.pk)
    response = client.post(edit_url(cast.alpha), data)
    assert response.status_code == 302
    assert response["Location"] == SME_INDEX
    cast.alpha.refresh_from_db()
    assert cast.alpha.website == "https://alpha.example"  # the rest of the form was saved
    assert cast.alpha.primary_account_manager == cast.am_uk


def test_launchpad_manager_can_change_the_primary_account_manager(client, cast):
    client.force_login(cast.lm_uk)
    html = client.get(edit_url(cast.alpha)).content.decode()
    assert 'name="primary_account_manager"' in html

    response = client.post(edit_url(cast.alpha), form_data(cast.alpha, primary_account_manager=cast.am_uk_b.pk))
    assert response.status_code == 302
    assert response["Location"] == SME_INDEX
    cast.alpha.refresh_from_db()
    assert cast.alpha.primary_account_manager == cast.am_uk_b


def test_launchpad_manager_can_only_choose_account_managers_of_their_launchpad(client, cast):
    client.force_login(cast.lm_uk)
    response = client.post(edit_url(cast.alpha), form_data(cast.alpha, primary_account_manager=cast.am_fr.pk))
    assert response.status_code == 200
    assert "primary_account_manager" in response.context["form"].errors
    cast.alpha.refresh_from_db()
    assert cast.alpha.primary_account_manager == cast.am_uk


def test_launchpad_manager_may_not_edit_an_sme_of_the_other_launchpad(client, cast):
    client.force_login(cast.lm_uk)
    url = edit_url(cast.charlie)
    response = client.get(url)
    if response.status_code != 404:
        assert_denied(client, url)


# The dashboard


def test_dashboard_panel_lists_the_account_managers_smes(client, cast):
    client.force_login(cast.am_uk)
    panel = my_smes_panel(client.get(ADMIN_HOME))
    assert "Alpha Foods" in panel  # assigned to them
    assert "Delta Voiles" in panel  # shared with them
    assert "Bravo Textiles" not in panel  # their launchpad's, but another account manager's
    assert "Charlie Fromages" not in panel
    assert "(2)" in panel


def test_dashboard_panel_of_an_account_manager_with_no_sme(client, cast):
    client.force_login(AccountManagerFactory(launchpad=cast.uk))
    panel = my_smes_panel(client.get(ADMIN_HOME))
    assert "(0)" in panel
    assert not {name for name in ALL_SMES if name in panel}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param("lm_uk", UK_SMES, id="launchpad-manager-uk"),
        pytest.param("coordinator", ALL_SMES, id="coordinator"),
    ],
)
def test_dashboard_panel_of_managers_and_coordinators(client, cast, role, expected):
    client.force_login(getattr(cast, role))
    panel = my_smes_panel(client.get(ADMIN_HOME))
    assert {name for name in ALL_SMES if name in panel} == expected


# Admin language


def test_admin_is_rendered_in_the_users_preferred_language(client, cast):
    client.force_login(cast.am_uk)
    english = client.get(SME_INDEX).content.decode()
    assert '<html lang="en"' in english
    assert "Filter by" in english

    user_set_preferred_language(user=cast.am_uk, language="fr")
    response = client.get(SME_INDEX)
    assert response.status_code == 200
    french = response.content.decode()
    assert '<html lang="fr"' in french
    # Strings from Wagtail's own French catalogue: the listing's search box and filter heading.
    assert 'placeholder="Rechercher' in french
    assert "Filtrer par" in french
    assert "Filter by" not in french
    assert listed_smes(response) == UK_SMES | {"Delta Voiles"}


def test_sme_list_links_to_edit_only_where_the_user_may_change(client):
    launchpad = LaunchpadFactory()
    manager = AccountManagerFactory(launchpad=launchpad)
    mine = SMEFactory(launchpad=launchpad, primary_account_manager=manager)
    other = SMEFactory(launchpad=launchpad)
    client.force_login(manager)
    page = client.get(reverse("smes:index")).content.decode()
    assert reverse("smes:edit", args=[mine.pk]) in page
    assert reverse("smes:edit", args=[other.pk]) not in page
    assert reverse("smes:inspect", args=[other.pk]) in page


# Moving an SME to another launchpad (issue 14, item 4)


def test_collaborator_of_the_other_launchpad_saves_an_edit_without_moving_the_sme(client, cast):
    """Like camille (France) on a UK SME: her edit saves, the SME stays in the UK with its account manager."""
    cast.alpha.collaborators.add(cast.am_fr)
    client.force_login(cast.am_fr)
    html = client.get(edit_url(cast.alpha)).content.decode()
    assert "Only the SME&#x27;s launchpad manager or a coordinator may move it." in html

    data = form_data(cast.alpha, website="https://alpha-foods.example", launchpad=cast.fr.pk, country="GB")
    response = client.post(edit_url(cast.alpha), data)
    assert response.status_code == 302
    cast.alpha.refresh_from_db()
    assert cast.alpha.website == "https://alpha-foods.example"
    assert cast.alpha.launchpad == cast.uk
    assert cast.alpha.primary_account_manager == cast.am_uk


def test_account_manager_cannot_move_their_own_sme_either(client, cast):
    client.force_login(cast.am_uk)
    response = client.post(edit_url(cast.alpha), form_data(cast.alpha, launchpad=cast.fr.pk))
    assert response.status_code == 302
    cast.alpha.refresh_from_db()
    assert cast.alpha.launchpad == cast.uk


def test_launchpad_manager_moves_their_sme_to_the_other_launchpad(client, cast):
    client.force_login(cast.lm_uk)
    response = client.post(
        edit_url(cast.bravo), form_data(cast.bravo, launchpad=cast.fr.pk, primary_account_manager="")
    )
    assert response.status_code == 302
    cast.bravo.refresh_from_db()
    assert cast.bravo.launchpad == cast.fr


def test_a_model_error_on_a_field_the_form_leaves_out_is_shown_not_a_500(client, cast):
    """The account manager moved launchpad after being assigned: the SME's own check fails on a hidden field."""
    cast.am_uk_b.launchpad = cast.fr
    cast.am_uk_b.save()
    client.force_login(cast.am_uk_b)
    response = client.post(edit_url(cast.bravo), form_data(cast.bravo, name="Bravo Textiles Ltd"))
    assert response.status_code == 200
    assert "The account manager must work at the SME&#x27;s own launchpad." in response.content.decode()
    cast.bravo.refresh_from_db()
    assert cast.bravo.name == "Bravo Textiles"


# Possible duplicate enquiries (issue 14, item 3)


def test_the_sme_page_shows_a_possible_duplicate_for_its_staff_to_merge(client, cast):
    from journey.enquiries import enquiry_submit
    from journey.models import Enquiry
    from tests.journey.factories import answers

    first = enquiry_submit(answers=answers(), language="en")
    SME.objects.filter(pk=first.sme.pk).update(primary_account_manager=cast.am_uk)
    duplicate = enquiry_submit(
        answers=answers(contact_name="Mallory", contact_email="mallory@attacker.example", country="FR"), language="en"
    ).enquiry
    url = inspect_url(first.sme)
    resolve = f"/admin/smes/enquiry/{duplicate.pk}/resolve/"

    # Another account manager of the launchpad sees the link but may not decide.
    client.force_login(cast.am_uk_b)
    html = client.get(url).content.decode()
    assert 'data-testid="possible-duplicate"' in html and "mallory@attacker.example" in html
    assert f'action="{resolve}"' not in html
    assert_denied(client, resolve, method="post", data={"action": "merge"})
    # The other launchpad's staff do not even find it.
    client.force_login(cast.am_fr)
    assert client.post(resolve, {"action": "merge"}).status_code in (302, 404)  # not found (the locale redirects)
    assert Enquiry.objects.get(pk=duplicate.pk).possible_duplicate_of == first.enquiry

    client.force_login(cast.am_uk)
    assert f'action="{resolve}"' in client.get(url).content.decode()
    response = client.post(resolve, {"action": "merge"})
    assert response.status_code == 302 and response["Location"] == url
    assert not Enquiry.objects.filter(pk=duplicate.pk).exists()
    first.sme.refresh_from_db()
    assert first.sme.launchpad == cast.uk
    assert first.sme.contacts.filter(email="mallory@attacker.example").exists()
    assert 'data-testid="possible-duplicate"' not in client.get(url).content.decode()


# The site history report (issue 14, item 13)


def test_site_history_shows_an_account_manager_only_the_edits_of_smes_they_may_see(client, cast):
    from wagtail.log_actions import log

    for sme, editor in ((cast.alpha, cast.am_uk), (cast.bravo, cast.am_uk_b), (cast.charlie, cast.am_fr)):
        log(instance=sme, action="wagtail.edit", user=editor)
    log(instance=cast.delta, action="wagtail.edit", user=cast.am_fr)  # shared with am_uk

    def history(user):
        client.force_login(user)
        response = client.get("/admin/reports/site-history/")
        assert response.status_code == 200
        return listed_smes(response)

    assert history(cast.am_uk) == {"Alpha Foods", "Bravo Textiles", "Delta Voiles"}
    assert history(cast.am_fr) == FR_SMES
    assert history(cast.lm_uk) == UK_SMES
    assert history(cast.coordinator) == ALL_SMES
    # The filter of object types offered does not leak either: the SME's own history stays scoped.
    client.force_login(cast.am_uk)
    response = client.get(f"/admin/smes/history/{cast.charlie.pk}/")
    assert response.status_code in (302, 404)
