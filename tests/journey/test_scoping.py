"""The permission matrix of ``journey.scoping`` (DESIGN.md, "Users and what each may see").

The cast, built by the ``world`` fixture:

* SME A — UK, followed by ``am_uk``; ``collaborator`` (a French account manager) is shared on it.
* SME B — UK, followed by ``am_uk_b``, another UK account manager.
* SME C — France, followed by ``am_fr``; ``inactive_am`` (a deactivated UK account manager) is
  shared on it, and must get nothing from it.

Every expectation below is written out by hand from DESIGN.md, never recomputed with the
rules under test.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from journey import scoping
from journey.models import SME, ContactPerson, Role, User

from .factories import (
    AccountManagerFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    SMEFactory,
    SMEUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "sme_user_a",
    "sme_user_b",
    "am_uk",
    "am_uk_b",
    "am_fr",
    "collaborator",
    "lm_uk",
    "lm_fr",
    "coordinator",
    "inactive_am",
    "superuser",
]
SMES = ["A", "B", "C"]
SLUGS = {"A": "sme-a", "B": "sme-b", "C": "sme-c"}

Y, N = True, False

# actor -> SME -> (can_view_sme, can_change_sme, can_edit_company_data)
EXPECTED = {
    "anonymous": {"A": (N, N, N), "B": (N, N, N), "C": (N, N, N)},
    # Own company only: sees it, edits its own data sources and targets, not the SME record.
    "sme_user_a": {"A": (Y, N, Y), "B": (N, N, N), "C": (N, N, N)},
    "sme_user_b": {"A": (N, N, N), "B": (Y, N, Y), "C": (N, N, N)},
    # Reads every SME of the UK launchpad, changes only the one assigned to them.
    "am_uk": {"A": (Y, Y, Y), "B": (Y, N, N), "C": (N, N, N)},
    "am_uk_b": {"A": (Y, N, N), "B": (Y, Y, Y), "C": (N, N, N)},
    "am_fr": {"A": (N, N, N), "B": (N, N, N), "C": (Y, Y, Y)},
    # French account manager: French SMEs (read) plus the UK SME shared with them (read and change).
    "collaborator": {"A": (Y, Y, Y), "B": (N, N, N), "C": (Y, N, N)},
    "lm_uk": {"A": (Y, Y, Y), "B": (Y, Y, Y), "C": (N, N, N)},
    "lm_fr": {"A": (N, N, N), "B": (N, N, N), "C": (Y, Y, Y)},
    "coordinator": {"A": (Y, N, N), "B": (Y, N, N), "C": (Y, N, N)},
    # Shared on C, but deactivated: nothing at all.
    "inactive_am": {"A": (N, N, N), "B": (N, N, N), "C": (N, N, N)},
    "superuser": {"A": (Y, Y, Y), "B": (Y, Y, Y), "C": (Y, Y, Y)},
}

# actor -> slugs returned by smes_visible_to / smes_editable_by.
EXPECTED_VISIBLE = {
    "anonymous": set(),
    "sme_user_a": {"sme-a"},
    "sme_user_b": {"sme-b"},
    "am_uk": {"sme-a", "sme-b"},
    "am_uk_b": {"sme-a", "sme-b"},
    "am_fr": {"sme-c"},
    "collaborator": {"sme-a", "sme-c"},
    "lm_uk": {"sme-a", "sme-b"},
    "lm_fr": {"sme-c"},
    "coordinator": {"sme-a", "sme-b", "sme-c"},
    "inactive_am": set(),
    "superuser": {"sme-a", "sme-b", "sme-c"},
}
EXPECTED_EDITABLE = {
    "anonymous": set(),
    "sme_user_a": set(),
    "sme_user_b": set(),
    "am_uk": {"sme-a"},
    "am_uk_b": {"sme-b"},
    "am_fr": {"sme-c"},
    "collaborator": {"sme-a"},
    "lm_uk": {"sme-a", "sme-b"},
    "lm_fr": {"sme-c"},
    "coordinator": set(),
    "inactive_am": set(),
    "superuser": {"sme-a", "sme-b", "sme-c"},
}

# actor -> (may assign account managers at the UK launchpad, at the French launchpad)
EXPECTED_ASSIGN = {
    "anonymous": (N, N),
    "sme_user_a": (N, N),
    "sme_user_b": (N, N),
    "am_uk": (N, N),
    "am_uk_b": (N, N),
    "am_fr": (N, N),
    "collaborator": (N, N),
    "lm_uk": (Y, N),
    "lm_fr": (N, Y),
    "coordinator": (N, N),
    "inactive_am": (N, N),
    "superuser": (Y, Y),
}

MODEL_PERMS = [
    "wagtailadmin.access_admin",
    "journey.view_sme",
    "journey.add_sme",
    "journey.change_sme",
    "journey.delete_sme",
    "journey.assign_account_manager",
    "journey.view_launchpad",
]
_AM_PERMS = {
    "wagtailadmin.access_admin",
    "journey.view_sme",
    "journey.add_sme",
    "journey.change_sme",
    "journey.view_launchpad",
}
_LM_PERMS = _AM_PERMS | {"journey.assign_account_manager"}
# actor -> model-level permissions (user.has_perm(perm) without an object) that are granted.
EXPECTED_MODEL_PERMS = {
    "anonymous": set(),
    "sme_user_a": set(),
    "sme_user_b": set(),
    "am_uk": _AM_PERMS,
    "am_uk_b": _AM_PERMS,
    "am_fr": _AM_PERMS,
    "collaborator": _AM_PERMS,
    "lm_uk": _LM_PERMS,
    "lm_fr": _LM_PERMS,
    "coordinator": {"wagtailadmin.access_admin", "journey.view_sme", "journey.view_launchpad"},
    "inactive_am": set(),
    "superuser": set(MODEL_PERMS),
}

OBJECT_PERMS = ["journey.view_sme", "journey.change_sme", "journey.assign_account_manager"]
# actor -> object-level permission -> slugs for which user.has_perm(perm, sme) is true.
# SME users hold no model permission at all: the admin is not theirs (their portal asks can_view_sme).
EXPECTED_OBJECT_PERMS = {
    "anonymous": {"journey.view_sme": set(), "journey.change_sme": set(), "journey.assign_account_manager": set()},
    "sme_user_a": {"journey.view_sme": set(), "journey.change_sme": set(), "journey.assign_account_manager": set()},
    "sme_user_b": {"journey.view_sme": set(), "journey.change_sme": set(), "journey.assign_account_manager": set()},
    "am_uk": {
        "journey.view_sme": {"sme-a", "sme-b"},
        "journey.change_sme": {"sme-a"},
        "journey.assign_account_manager": set(),
    },
    "am_uk_b": {
        "journey.view_sme": {"sme-a", "sme-b"},
        "journey.change_sme": {"sme-b"},
        "journey.assign_account_manager": set(),
    },
    "am_fr": {
        "journey.view_sme": {"sme-c"},
        "journey.change_sme": {"sme-c"},
        "journey.assign_account_manager": set(),
    },
    "collaborator": {
        "journey.view_sme": {"sme-a", "sme-c"},
        "journey.change_sme": {"sme-a"},
        "journey.assign_account_manager": set(),
    },
    "lm_uk": {
        "journey.view_sme": {"sme-a", "sme-b"},
        "journey.change_sme": {"sme-a", "sme-b"},
        "journey.assign_account_manager": {"sme-a", "sme-b"},
    },
    "lm_fr": {
        "journey.view_sme": {"sme-c"},
        "journey.change_sme": {"sme-c"},
        "journey.assign_account_manager": {"sme-c"},
    },
    "coordinator": {
        "journey.view_sme": {"sme-a", "sme-b", "sme-c"},
        "journey.change_sme": set(),
        "journey.assign_account_manager": set(),
    },
    "inactive_am": {"journey.view_sme": set(), "journey.change_sme": set(), "journey.assign_account_manager": set()},
    "superuser": {
        "journey.view_sme": {"sme-a", "sme-b", "sme-c"},
        "journey.change_sme": {"sme-a", "sme-b", "sme-c"},
        "journey.assign_account_manager": {"sme-a", "sme-b", "sme-c"},
    },
}


def test_the_tables_cover_every_actor_and_sme():
    for table in (
        EXPECTED,
        EXPECTED_VISIBLE,
        EXPECTED_EDITABLE,
        EXPECTED_ASSIGN,
        EXPECTED_MODEL_PERMS,
        EXPECTED_OBJECT_PERMS,
    ):
        assert sorted(table) == sorted(ACTORS)
    for row in EXPECTED.values():
        assert sorted(row) == SMES
    for row in EXPECTED_OBJECT_PERMS.values():
        assert sorted(row) == sorted(OBJECT_PERMS)


@pytest.fixture
def world():
    uk = LaunchpadFactory()
    fr = LaunchpadFactory(france=True, programme=uk.programme)

    am_uk = AccountManagerFactory(launchpad=uk, email="am-uk@e-channel.test")
    am_uk_b = AccountManagerFactory(launchpad=uk, email="am-uk-b@e-channel.test")
    am_fr = AccountManagerFactory(launchpad=fr, email="am-fr@e-channel.test")
    collaborator = AccountManagerFactory(launchpad=fr, email="collaborator@e-channel.test")
    inactive_am = AccountManagerFactory(launchpad=uk, email="inactive@e-channel.test", is_active=False)

    sme_a = SMEFactory(name="SME A", slug="sme-a", launchpad=uk, primary_account_manager=am_uk)
    sme_b = SMEFactory(name="SME B", slug="sme-b", launchpad=uk, primary_account_manager=am_uk_b)
    sme_c = SMEFactory(name="SME C", slug="sme-c", launchpad=fr, primary_account_manager=am_fr)
    sme_a.collaborators.add(collaborator)
    sme_c.collaborators.add(inactive_am)
    for sme in (sme_a, sme_b, sme_c):
        ContactPersonFactory(sme=sme, name=f"Contact at {sme.slug}")

    actors = {
        "anonymous": AnonymousUser(),
        "sme_user_a": SMEUserFactory(sme=sme_a),
        "sme_user_b": SMEUserFactory(sme=sme_b),
        "am_uk": am_uk,
        "am_uk_b": am_uk_b,
        "am_fr": am_fr,
        "collaborator": collaborator,
        "lm_uk": LaunchpadManagerFactory(launchpad=uk),
        "lm_fr": LaunchpadManagerFactory(launchpad=fr),
        "coordinator": CoordinatorFactory(),
        "inactive_am": inactive_am,
        "superuser": UserFactory(role=Role.COORDINATOR, is_superuser=True, is_staff=True),
    }
    assert sorted(actors) == sorted(ACTORS)
    return {"actors": actors, "smes": {"A": sme_a, "B": sme_b, "C": sme_c}, "launchpads": {"uk": uk, "fr": fr}}


def _fresh(user):
    """The user as a new request would load it (no permission cache from an earlier check)."""
    if not user.is_authenticated:
        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


ACTOR_SME_CELLS = [
    pytest.param(actor, sme, *EXPECTED[actor][sme], id=f"{actor}-sme_{sme}") for actor in ACTORS for sme in SMES
]


@pytest.mark.parametrize(("actor", "sme", "view", "change", "company_data"), ACTOR_SME_CELLS)
def test_object_checks(world, actor, sme, view, change, company_data):
    user = world["actors"][actor]
    target = world["smes"][sme]
    assert scoping.can_view_sme(user, target) is view
    assert scoping.can_change_sme(user, target) is change
    assert scoping.can_edit_company_data(user, target) is company_data


@pytest.mark.parametrize("actor", ACTORS)
def test_smes_visible_to(world, actor):
    user = world["actors"][actor]
    assert set(scoping.smes_visible_to(user).values_list("slug", flat=True)) == EXPECTED_VISIBLE[actor]
    # The queryset answer and the object answer agree.
    assert EXPECTED_VISIBLE[actor] == {SLUGS[sme] for sme in SMES if EXPECTED[actor][sme][0]}


@pytest.mark.parametrize("actor", ACTORS)
def test_smes_editable_by(world, actor):
    user = world["actors"][actor]
    assert set(scoping.smes_editable_by(user).values_list("slug", flat=True)) == EXPECTED_EDITABLE[actor]
    assert EXPECTED_EDITABLE[actor] == {SLUGS[sme] for sme in SMES if EXPECTED[actor][sme][1]}


@pytest.mark.parametrize("actor", ACTORS)
def test_querysets_have_no_duplicates(world, actor):
    """An SME reachable two ways (own launchpad and shared) comes back once."""
    user = world["actors"][actor]
    world["smes"]["C"].collaborators.add(world["actors"]["am_fr"])
    for queryset in (scoping.smes_visible_to(user), scoping.smes_editable_by(user)):
        slugs = list(queryset.values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("actor", ["am_uk", "collaborator", "lm_uk", "sme_user_a"])
def test_smes_visible_to_narrows_a_given_queryset(world, actor):

    user = world["actors"][actor]
    only_a_and_c = SME.objects.filter(slug__in=["sme-a", "sme-c"])
    expected = EXPECTED_VISIBLE[actor] & {"sme-a", "sme-c"}
    assert set(scoping.smes_visible_to(user, only_a_and_c).values_list("slug", flat=True)) == expected
    expected = EXPECTED_EDITABLE[actor] & {"sme-a", "sme-c"}
    assert set(scoping.smes_editable_by(user, only_a_and_c).values_list("slug", flat=True)) == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_scope_to_visible_on_contacts(world, actor):
    user = world["actors"][actor]
    contacts = scoping.scope_to_visible(user, ContactPerson.objects.all(), sme_path="sme")
    assert set(contacts.values_list("sme__slug", flat=True)) == EXPECTED_VISIBLE[actor]
    assert contacts.count() == len(EXPECTED_VISIBLE[actor])


@pytest.mark.parametrize("actor", ACTORS)
def test_scope_to_editable_on_contacts(world, actor):
    user = world["actors"][actor]
    contacts = scoping.scope_to_editable(user, ContactPerson.objects.all(), sme_path="sme")
    assert set(contacts.values_list("sme__slug", flat=True)) == EXPECTED_EDITABLE[actor]
    assert contacts.count() == len(EXPECTED_EDITABLE[actor])


@pytest.mark.parametrize("actor", ["am_uk", "collaborator", "coordinator"])
def test_scope_follows_a_longer_sme_path(world, actor):
    """``sme_path`` may go through relations: here from a user to the SME they belong to."""

    user = world["actors"][actor]
    sme_users = scoping.scope_to_visible(user, User.objects.filter(role=Role.SME_USER), sme_path="sme")
    assert set(sme_users.values_list("sme__slug", flat=True)) == EXPECTED_VISIBLE[actor] & {"sme-a", "sme-b"}


@pytest.mark.parametrize("actor", ACTORS)
def test_can_assign_account_managers(world, actor):
    user = world["actors"][actor]
    uk, fr = world["launchpads"]["uk"], world["launchpads"]["fr"]
    assert (scoping.can_assign_account_managers(user, uk), scoping.can_assign_account_managers(user, fr)) == (
        EXPECTED_ASSIGN[actor]
    )


@pytest.mark.parametrize("perm", MODEL_PERMS)
@pytest.mark.parametrize("actor", ACTORS)
def test_model_level_has_perm(world, actor, perm):
    user = _fresh(world["actors"][actor])
    assert user.has_perm(perm) is (perm in EXPECTED_MODEL_PERMS[actor])


@pytest.mark.parametrize("perm", OBJECT_PERMS)
@pytest.mark.parametrize("actor", ACTORS)
def test_object_level_has_perm(world, actor, perm):
    user = _fresh(world["actors"][actor])
    granted = {SLUGS[sme] for sme in SMES if user.has_perm(perm, world["smes"][sme])}
    assert granted == EXPECTED_OBJECT_PERMS[actor][perm]


def test_inactive_user_loses_even_django_granted_permissions(world):
    user = world["actors"]["inactive_am"]
    user.user_permissions.add(Permission.objects.get(codename="assign_account_manager"))
    user = _fresh(user)
    assert not user.has_perm("journey.assign_account_manager")


def test_permission_granted_through_django_tables_adds_to_the_role(world):
    """RoleBackend keeps ModelBackend's group and per-user permissions on top of the role."""
    user = world["actors"]["coordinator"]
    assert not _fresh(user).has_perm("journey.change_sme")
    user.user_permissions.add(Permission.objects.get(codename="change_sme", content_type__app_label="journey"))
    user = _fresh(user)
    assert user.has_perm("journey.change_sme")
    assert "journey.change_sme" in user.get_all_permissions()
    assert "wagtailadmin.access_admin" in user.get_all_permissions()


def test_role_change_moves_the_user_between_columns(world):
    """Reassigning SME B to am_uk gives them B and takes it from am_uk_b."""
    sme_b = world["smes"]["B"]
    am_uk, am_uk_b = world["actors"]["am_uk"], world["actors"]["am_uk_b"]
    sme_b.primary_account_manager = am_uk
    sme_b.save()
    assert set(scoping.smes_editable_by(am_uk).values_list("slug", flat=True)) == {"sme-a", "sme-b"}
    assert set(scoping.smes_editable_by(am_uk_b).values_list("slug", flat=True)) == set()
    assert scoping.can_change_sme(am_uk, sme_b)
    assert not scoping.can_change_sme(am_uk_b, sme_b)
    assert scoping.can_view_sme(am_uk_b, sme_b)
