"""Badge criteria of every kind, idempotent awarding, revocation and expiry, unlocking, scoping."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from journey import hooks
from learning import services
from learning.models import BadgeAward, BadgeClass, Criterion, CriterionKind, Enrolment, LessonPage, QuizPage
from learning.selectors import unlock_hint
from tests.journey.factories import AccountManagerFactory, LaunchpadFactory, SMEUserFactory
from toolkit import milestones
from toolkit.models import ToolAccess, ToolkitReport
from toolkit.services import tool_open, tools_open

pytestmark = pytest.mark.django_db


def complete_course(learner, course):
    enrolment = services.enrolment_start(user=learner, course=course)
    for lesson in LessonPage.objects.child_of(course):
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    quiz = QuizPage.objects.child_of(course).get()
    services.quiz_attempt_submit(enrolment=enrolment, quiz=quiz, answers=[[0], [0, 1]], language="en")
    return Enrolment.objects.get(pk=enrolment.pk)


def make_badge(slug, *criteria, opens_tool="", **fields):
    badge = BadgeClass.objects.create(
        slug=slug,
        name_en=slug.title(),
        name_fr=slug.title(),
        description_en="d",
        criteria_text_en="c",
        opens_tool=opens_tool,
        **fields,
    )
    for kind, extra in criteria:
        badges = extra.pop("badges", [])
        rule = Criterion.objects.create(badge_class=badge, kind=kind, **extra)
        rule.badges.set(badges)
        rule.save()  # a ParentalManyToManyField is written on save
    return badge


def test_course_completed_awards_the_badge_once_after_commit(
    course, learner, badge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(learner, course)
    assert enrolment.completed_at
    award = BadgeAward.objects.get(badge_class=badge, sme=learner.sme)
    assert (award.recipient, award.recipient_email, award.status()) == (learner, learner.email, "valid")
    # Evaluating again (any later event) awards nothing more.
    assert services.badges_evaluate(sme=learner.sme) == []
    assert BadgeAward.objects.count() == 1


def test_quiz_passed_needs_the_minimum_score(course, learner):
    quiz = QuizPage.objects.get()
    strict = make_badge("quiz-ace", (CriterionKind.QUIZ_PASSED, {"quiz": quiz, "min_score": 100}))
    enrolment = services.enrolment_start(user=learner, course=course)
    services.quiz_attempt_submit(enrolment=enrolment, quiz=quiz, answers=[[0], [0]], language="en")  # 50 %: passed
    assert not services.badges_evaluate(sme=learner.sme)
    services.quiz_attempt_submit(enrolment=enrolment, quiz=quiz, answers=[[0], [0, 1]], language="en")  # 100 %
    assert [award.badge_class for award in services.badges_evaluate(sme=learner.sme)] == [strict]


def test_awarded_by_an_account_manager_only_by_hand(learner, manager):
    special = make_badge("star", (CriterionKind.AWARDED, {}))
    assert services.badges_evaluate(sme=learner.sme) == []
    with pytest.raises(ValidationError):
        services.badge_award(badge_class=special, sme=learner.sme, by=manager, reason="  ")
    award, created = services.badge_award(badge_class=special, sme=learner.sme, by=manager, reason="Led the pilot")
    assert created and award.awarded_by == manager and award.reason == "Led the pilot"
    assert services.badge_award(badge_class=special, sme=learner.sme, by=manager, reason="Again")[1] is False


def test_other_badges_held_any_or_all(learner, manager):
    first = make_badge("first", (CriterionKind.AWARDED, {}))
    second = make_badge("second", (CriterionKind.AWARDED, {}))
    any_of = make_badge("any-of", (CriterionKind.BADGES_HELD, {"badges": [first, second], "badges_mode": "any"}))
    all_of = make_badge("all-of", (CriterionKind.BADGES_HELD, {"badges": [first, second], "badges_mode": "all"}))
    services.badge_award(badge_class=first, sme=learner.sme, by=manager, reason="r")
    assert {a.badge_class for a in services.badges_evaluate(sme=learner.sme)} == {any_of}
    services.badge_award(badge_class=second, sme=learner.sme, by=manager, reason="r")
    assert {a.badge_class for a in services.badges_evaluate(sme=learner.sme)} == {all_of}


def test_a_revoked_badge_does_not_count_as_held(learner, manager):
    first = make_badge("first", (CriterionKind.AWARDED, {}))
    make_badge("after", (CriterionKind.BADGES_HELD, {"badges": [first], "badges_mode": "all"}))
    award, _ = services.badge_award(badge_class=first, sme=learner.sme, by=manager, reason="r")
    services.badge_revoke(award=award, by=manager, reason="Given by mistake")
    assert services.badges_evaluate(sme=learner.sme) == []


def test_data_milestones_are_checked_when_the_toolkit_signals(learner, django_capture_on_commit_callbacks):
    sme = learner.sme
    clean = make_badge("clean-catalogue", (CriterionKind.MILESTONE, {"milestone": "inventory_score", "threshold": 80}))
    seasoned = make_badge("three-months", (CriterionKind.MILESTONE, {"milestone": "months_of_data", "threshold": 3}))
    report = ToolkitReport.objects.create(
        sme=sme,
        as_of=datetime.date(2026, 11, 1),
        computed_at=timezone.now(),
        document={"inventory": {"score": 72}, "readiness": {"months": 3}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        milestones.moved(sme, sender="toolkit")
    assert set(BadgeAward.objects.values_list("badge_class__slug", flat=True)) == {seasoned.slug}
    report.document = {"inventory": {"score": 85}, "readiness": {"months": 3}}
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        milestones.moved(sme, sender="toolkit")
    assert set(BadgeAward.objects.values_list("badge_class__slug", flat=True)) == {clean.slug, seasoned.slug}


def test_plan_actions_milestone_reads_what_coaching_registers(learner):
    make_badge("doer", (CriterionKind.MILESTONE, {"milestone": "plan_actions_done", "threshold": 1}))
    assert "plan_actions_done" in milestones.available()  # coaching's

    def two_done():
        return [milestones.Milestone("plan_actions_done", "plan actions done", lambda sme: 2)]

    with hooks.override(hooks.MILESTONES, two_done):
        assert [a.badge_class.slug for a in services.badges_evaluate(sme=learner.sme)] == ["doer"]


def test_awarding_is_idempotent_and_the_database_refuses_a_second_current_award(learner, badge):
    first, created = services.badge_award(badge_class=badge, sme=learner.sme)
    again, created_again = services.badge_award(badge_class=badge, sme=learner.sme)
    assert created and not created_again and first == again
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeAward.objects.create(badge_class=badge, sme=learner.sme, recipient_email="x@example.com", salt="s")


def test_revocation_closes_what_the_badge_opened_but_not_what_a_manager_opened(learner, manager, badge):
    sme = learner.sme
    award, _ = services.badge_award(badge_class=badge, sme=sme)
    assert "market" in tools_open(sme)
    assert ToolAccess.objects.get(sme=sme, tool="market").via == "badge"
    tool_open(sme=sme, tool="growth", by=manager)
    with pytest.raises(ValidationError):
        services.badge_revoke(award=award, by=manager, reason="")
    services.badge_revoke(award=award, by=manager, reason="Course content copied")
    assert "market" not in tools_open(sme) and "growth" in tools_open(sme)
    award.refresh_from_db()
    assert award.status() == "revoked" and award.revocation_reason == "Course content copied"
    # Criteria still met never hand a revoked badge back.
    assert services.badges_evaluate(sme=sme) == []


def test_expiry_stops_unlocking(course, learner, badge, manager, django_capture_on_commit_callbacks):
    BadgeClass.objects.filter(pk=badge.pk).update(valid_for_days=30)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    award = BadgeAward.objects.get()
    assert award.expires_at - award.awarded_at == datetime.timedelta(days=30)
    assert "market" in tools_open(learner.sme)
    later = timezone.now() + datetime.timedelta(days=31)
    assert services.awards_expire(now=later) == 1
    assert "market" not in tools_open(learner.sme)
    BadgeAward.objects.filter(pk=award.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    award.refresh_from_db()
    assert award.status() == "expired"
    # An expired badge is not renewed by the old evidence; an account manager may award it again.
    assert services.badges_evaluate(sme=learner.sme) == []
    renewed, created = services.badge_award(badge_class=badge, sme=learner.sme, by=manager, reason="Refresher done")
    assert created and renewed.status() == "valid" and "market" in tools_open(learner.sme)
    assert BadgeAward.objects.filter(current=True).get() == renewed


def test_fixed_expiry_date(learner):
    badge = make_badge("season", opens_tool="growth", expires_on=datetime.date(2020, 1, 31))
    award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    assert award.status() == "expired"
    assert "growth" not in tools_open(learner.sme)


def test_locked_tools_say_which_badge_opens_them(course, learner, badge):
    hint = unlock_hint(learner.sme, "market")
    assert "Stock basics" in hint and "course" in hint
    assert unlock_hint(learner.sme, "growth") is None
    services.badge_award(badge_class=badge, sme=learner.sme)
    assert unlock_hint(learner.sme, "market") is None


def test_an_account_manager_of_the_other_launchpad_cannot_award(client, learner, badge):
    outsider = AccountManagerFactory(launchpad=LaunchpadFactory(france=True))
    with pytest.raises(PermissionDenied):
        services.badge_award(badge_class=badge, sme=learner.sme, by=outsider, reason="r")
    client.force_login(outsider)
    url = f"/en/portal/learning/smes/{learner.sme.slug}/award/"
    assert client.post(url, {"badge_class": badge.pk, "reason": "r"}).status_code == 404
    award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    assert client.post(f"/en/portal/learning/awards/{award.uid}/revoke/", {"reason": "r"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.badge_revoke(award=award, by=outsider, reason="r")
    award.delete()
    # A colleague of the same launchpad who does not follow the SME sees it but cannot award.
    colleague = AccountManagerFactory(launchpad=learner.sme.launchpad)
    client.force_login(colleague)
    assert client.get(f"/en/portal/learning/smes/{learner.sme.slug}/").status_code == 200
    assert client.post(url, {"badge_class": badge.pk, "reason": "r"}).status_code == 403
    assert not BadgeAward.objects.exists()


def test_manager_awards_and_revokes_from_the_sme_learning_page(client, learner, manager, badge):
    client.force_login(manager)
    page = f"/en/portal/learning/smes/{learner.sme.slug}/"
    response = client.post(page + "award/", {"badge_class": badge.pk, "reason": ""}, follow=True)
    assert "Give the reason for awarding this badge." in response.text
    client.post(page + "award/", {"badge_class": badge.pk, "reason": "Strong catalogue"})
    award = BadgeAward.objects.get()
    assert award.awarded_by == manager
    response = client.get(page)
    assert 'data-testid="award-form"' in response.text and "Strong catalogue" in response.text
    client.post(f"/en/portal/learning/awards/{award.uid}/revoke/", {"reason": "Wrong company"})
    award.refresh_from_db()
    assert award.status() == "revoked"


def test_my_badges_shows_only_my_company(client, learner, badge):
    services.badge_award(badge_class=badge, sme=learner.sme)
    client.force_login(learner)
    page = client.get("/en/portal/learning/badges/")
    assert page.status_code == 200 and "Stock basics" in page.text
    assert 'data-testid="download"' in page.text and 'data-testid="share"' in page.text
    other = SMEUserFactory()
    client.force_login(other)
    assert "Stock basics" not in client.get("/en/portal/learning/badges/").text
    assert client.get(f"/en/portal/learning/smes/{learner.sme.slug}/").status_code == 404
    assert client.get(f"/en/portal/smes/{other.sme.slug}/").status_code == 200


def test_the_sme_page_shows_learning(client, course, learner, manager, badge):
    services.enrolment_start(user=learner, course=course)
    services.badge_award(badge_class=badge, sme=learner.sme)
    client.force_login(manager)
    page = client.get(f"/en/portal/smes/{learner.sme.slug}/")
    assert 'data-testid="learning-panel"' in page.text and "Stock basics" in page.text
    client.force_login(learner)
    french = client.get(f"/fr/portal/smes/{learner.sme.slug}/")
    assert "Bases du stock" in french.text


def test_badge_classes_are_edited_as_snippets(client, badge, course):
    from tests.journey.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/snippets/learning/badgeclass/").status_code == 200
    assert client.get("/admin/snippets/learning/badgeclass/add/").status_code == 200
    edit = client.get(f"/admin/snippets/learning/badgeclass/edit/{badge.pk}/")
    assert edit.status_code == 200 and "name_fr" in edit.text


def test_expire_badges_command(learner, badge):
    from io import StringIO

    from django.core.management import call_command

    BadgeClass.objects.filter(pk=badge.pk).update(valid_for_days=1)
    award, _ = services.badge_award(badge_class=BadgeClass.objects.get(pk=badge.pk), sme=learner.sme)
    BadgeAward.objects.filter(pk=award.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    out = StringIO()
    call_command("expire_badges", stdout=out)
    assert "1 SMEs" in out.getvalue() and "market" not in tools_open(learner.sme)


def test_a_badge_class_with_criteria_is_created_in_the_admin(client, badge):
    from tests.journey.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    data = {
        "name_en": "Two badges",
        "name_fr": "Deux badges",
        "slug": "two-badges",
        "description_en": "Holds the stock badge.",
        "description_fr": "Détient le badge stock.",
        "criteria_text_en": "Held the stock badge.",
        "criteria_text_fr": "A détenu le badge stock.",
        "colour": "#123456",
        "opens_tool": "growth",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-kind": "badges_held",
        "criteria-0-badges": [str(badge.pk)],
        "criteria-0-badges_mode": "all",
        "criteria-0-ORDER": "1",
        "criteria-1-kind": "milestone",
        "criteria-1-milestone": "inventory_score",
        "criteria-1-threshold": "80",
        "criteria-1-badges_mode": "all",
        "criteria-1-ORDER": "2",
    }
    response = client.post("/admin/snippets/learning/badgeclass/add/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    created = BadgeClass.objects.get(slug="two-badges")
    rules = {rule.kind: rule for rule in created.criteria.all()}
    assert set(rules) == {"badges_held", "milestone"}
    assert list(rules["badges_held"].badges.all()) == [badge]
    assert rules["milestone"].threshold == 80 and created.name_fr == "Deux badges"

    # A milestone criterion without its figure is refused with a message.
    data.update({"slug": "other", "criteria-1-threshold": ""})
    response = client.post("/admin/snippets/learning/badgeclass/add/", data)
    assert response.status_code == 200 and "Give the figure to reach." in response.text


def test_programme_staff_write_badge_classes_account_managers_read_them(client, badge, course):
    from journey.models import Role
    from tests.journey.factories import LaunchpadFactory, UserFactory

    coordinator = UserFactory(role=Role.COORDINATOR)
    manager = UserFactory(role=Role.ACCOUNT_MANAGER, launchpad=LaunchpadFactory())
    client.force_login(coordinator)
    assert client.get("/admin/snippets/learning/badgeclass/add/").status_code == 200
    client.force_login(manager)
    assert client.get("/admin/snippets/learning/badgeclass/").status_code == 200
    assert client.get("/admin/snippets/learning/badgeclass/add/").status_code in (302, 403)


def test_deleting_an_awarded_badge_class_is_refused_in_the_readers_language(client, badge, course):
    """Issue 14, item 12: the award protects its badge class; the admin says so instead of a 500."""
    from django.contrib.messages import get_messages

    from journey.models import Role
    from journey.services import user_set_preferred_language
    from tests.journey.factories import SMEFactory, UserFactory

    unused = make_badge("unused-badge")
    BadgeAward.objects.create(badge_class=badge, sme=SMEFactory(), recipient_email="x@example.com", salt="s")
    coordinator = UserFactory(role=Role.COORDINATOR)
    user_set_preferred_language(user=coordinator, language="fr")
    client.force_login(coordinator)
    url = f"/admin/snippets/learning/badgeclass/delete/{badge.pk}/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == "/admin/snippets/learning/badgeclass/"
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("ne peut pas être supprimé" in text and "Bases du stock" in text for text in texts), texts
    assert BadgeClass.objects.filter(pk=badge.pk).exists()

    # The bulk action asks the same question before deleting any of them.
    bulk = "/admin/bulk/learning/badgeclass/delete/"
    response = client.post(f"{bulk}?id={badge.pk}&id={unused.pk}")
    assert response.status_code == 302
    assert BadgeClass.objects.filter(pk__in=[badge.pk, unused.pk]).count() == 2

    # A badge class never awarded is deleted as before.
    response = client.post(f"/admin/snippets/learning/badgeclass/delete/{unused.pk}/")
    assert response.status_code == 302
    assert not BadgeClass.objects.filter(pk=unused.pk).exists()
