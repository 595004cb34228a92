"""Programme reporting: the journey's figures as of a date, publishing, corrections, the lessons register."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from journey import demo, progress
from journey.models import Programme, Stage, StageChange
from reporting import programme as reporting
from reporting.models import QuarterlyReview, ReviewStatus
from tests.journey.factories import LaunchpadFactory, ProgrammeFactory, SMEFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def programme():
    programme = ProgrammeFactory(start_date=datetime.date(2025, 1, 1))
    LaunchpadFactory(programme=programme)
    LaunchpadFactory(programme=programme, france=True)
    return programme


def _scope(programme, start, end):
    return reporting.Scope(programme, start, end, tuple(programme.launchpads.order_by("code")))


def _table(tables, key):
    return next(table for table in tables if table.key == key)


def _row(table, key):
    return next(row for row in table.rows if row.key == key)


def _sme(programme, code, name, *steps):
    """An SME whose history is ``steps``: (transition, from, to, local datetime, reason)."""
    launchpad = programme.launchpads.get(code=code)
    sme = SMEFactory(launchpad=launchpad, name=name)
    first = steps[0][3] if steps else datetime.datetime(2025, 1, 2, tzinfo=LONDON)
    type(sme).objects.filter(pk=sme.pk).update(created_at=first - datetime.timedelta(days=5))
    for transition, from_stage, to_stage, at, reason in steps:
        StageChange.objects.create(
            sme=sme, transition=transition, from_stage=from_stage, to_stage=to_stage, at=at, reason=reason
        )
    sme.refresh_from_db()
    return sme


def _enrol(at):
    return ("enrol", Stage.ASSESSMENT, Stage.ONBOARDING, at, "")


def test_the_demo_history_reproduces_the_original_enrolment_table():
    demo.load()
    programme = Programme.objects.get()
    expected = {1: (0, 0), 2: (6, 4), 3: (9, 8), 4: (12, 12)}
    for number, (uk, fr) in expected.items():
        _, start, end = reporting.review_period(programme, number)
        row = _row(_table(reporting.journey_tables(_scope(programme, start, end)), "enrolments"), "cumulative")
        assert (row.values["uk"], row.values["fr"], row.total) == (uk, fr, uk + fr), number


def test_review_periods_close_months_9_12_15_18_21(programme):
    assert reporting.review_period(programme, 1) == (9, datetime.date(2025, 1, 1), datetime.date(2025, 9, 30))
    assert reporting.review_period(programme, 2) == (12, datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    assert reporting.review_period(programme, 5)[0] == 21
    assert reporting.review_period(programme, 5)[2] == datetime.date(2026, 9, 30)


def test_an_sme_enrolled_on_the_review_date_counts_and_the_next_day_does_not(programme):
    end = datetime.date(2025, 12, 31)
    _sme(programme, "uk", "Late evening", _enrol(datetime.datetime(2025, 12, 31, 23, 59, tzinfo=LONDON)))
    # 00:30 in Paris on 1 January is still 31 December in London, but the French launchpad's day counts.
    _sme(programme, "fr", "Minuit passé", _enrol(datetime.datetime(2026, 1, 1, 0, 30, tzinfo=PARIS)))
    _sme(programme, "uk", "New year", _enrol(datetime.datetime(2026, 1, 1, 0, 0, tzinfo=LONDON)))
    tables = reporting.journey_tables(_scope(programme, datetime.date(2025, 10, 1), end))
    row = _row(_table(tables, "enrolments"), "cumulative")
    assert row.values == {"fr": 0, "uk": 1}
    assert row.total == 1


def test_a_withdrawn_sme_still_counts_as_enrolled_and_its_withdrawal_is_listed_with_the_reason(programme):
    _sme(
        programme,
        "fr",
        "Atelier Lumière",
        _enrol(datetime.datetime(2025, 10, 10, 10, tzinfo=PARIS)),
        ("withdraw", Stage.ONBOARDING, Stage.WITHDRAWN, datetime.datetime(2025, 11, 20, tzinfo=PARIS), "Sold it"),
    )
    before = reporting.journey_tables(_scope(programme, datetime.date(2025, 10, 1), datetime.date(2025, 11, 19)))
    after = reporting.journey_tables(_scope(programme, datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)))
    assert _row(_table(before, "enrolments"), "cumulative").values["fr"] == 1
    assert _row(_table(after, "enrolments"), "cumulative").values["fr"] == 1
    assert _row(_table(before, "stages"), Stage.ONBOARDING).values["fr"] == 1
    assert _row(_table(after, "stages"), Stage.WITHDRAWN).values["fr"] == 1
    assert _row(_table(after, "stages"), Stage.ONBOARDING).values["fr"] == 0
    withdrawals = _table(after, "pauses_withdrawals")
    assert [row.cells[0] for row in withdrawals.rows] == ["Atelier Lumière"]
    assert withdrawals.rows[0].cells[-1] == "Sold it"
    assert _table(before, "pauses_withdrawals").rows == []


def test_entries_and_exits_count_only_the_quarter(programme):
    _sme(
        programme,
        "uk",
        "Moves",
        _enrol(datetime.datetime(2025, 9, 30, 12, tzinfo=LONDON)),
        ("collect", Stage.ONBOARDING, Stage.DATA_COLLECTION, datetime.datetime(2025, 10, 15, tzinfo=LONDON), ""),
    )
    tables = reporting.journey_tables(_scope(programme, datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)))
    flows = _table(tables, "flows")
    assert _row(flows, "data_collection:entered").values["uk"] == 1
    assert _row(flows, "onboarding:left").values["uk"] == 1
    assert _row(flows, "onboarding:entered").values["uk"] == 0  # enrolled the day before the quarter
    assert not any(row.key == "planning:entered" for row in flows.rows)
    assert _row(_table(tables, "enrolments"), "in_period").values["uk"] == 0


def test_an_sme_created_after_the_date_is_not_counted_and_later_changes_do_not_alter_past_figures(programme):
    sme = _sme(programme, "uk", "Later", _enrol(datetime.datetime(2025, 11, 1, tzinfo=LONDON)))
    scope = _scope(programme, datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    before = reporting.figures(scope)
    StageChange.objects.create(
        sme=sme, transition="withdraw", from_stage=Stage.ONBOARDING, to_stage=Stage.WITHDRAWN,
        at=datetime.datetime(2026, 2, 1, tzinfo=LONDON),
    )  # fmt: skip
    assert reporting.figures(scope) == before
    assert sum(row.total for row in _table(reporting.journey_tables(scope), "stages").rows) == 0


def test_overdue_stages_at_the_end_of_the_quarter(programme):
    # Screening is due within a month (stages.DEFAULT_DURATIONS): entered on 1 November, overdue by 31 December.
    def screening(day):
        return (
            "start_screening",
            Stage.ENQUIRY,
            Stage.SCREENING,
            datetime.datetime(2025, day[0], day[1], 9, tzinfo=LONDON),
            "",
        )

    _sme(programme, "uk", "Stuck", screening((11, 1)))
    _sme(programme, "uk", "Fresh", screening((12, 1)))  # due 1 January: not yet overdue
    tables = reporting.journey_tables(_scope(programme, datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)))
    assert _row(_table(tables, "overdue"), "overdue").values["uk"] == 1
    assert [row.cells[0] for row in _table(tables, "overdue_list").rows] == ["Stuck"]


def test_publishing_freezes_the_figures_in_both_languages(programme):
    coordinator = UserFactory()
    _sme(programme, "uk", "Early", _enrol(datetime.datetime(2025, 10, 5, tzinfo=LONDON)))
    review = reporting.review_create(programme, 2)
    assert review.operations.count() == 2
    reporting.review_publish(review, by=coordinator)
    # A late-recorded enrolment dated inside the period changes what a recomputation gives, not the published review.
    _sme(programme, "uk", "Recorded late", _enrol(datetime.datetime(2025, 11, 5, tzinfo=LONDON)))
    review.refresh_from_db()
    enrolments = review_figures_table(review, "enrolments")
    assert enrolments["rows"][0]["values"]["uk"] == 1
    with translation.override("fr"):
        assert review_figures_table(review, "enrolments")["rows"][0]["label"] == "Inscriptions cumulées"
    recomputed = reporting.figures(reporting.review_scope(review))
    assert recomputed[0]["tables"][0]["rows"][0]["values"]["uk"] == 2
    with pytest.raises(reporting.ReviewRefused):
        reporting.review_publish(review, by=coordinator)


def review_figures_table(review, key):
    for section in reporting.review_figures(review):
        for table in section["tables"]:
            if table["key"] == key:
                return table
    raise KeyError(key)


def test_a_correction_supersedes_the_published_review_and_needs_a_reason(programme):
    coordinator = UserFactory()
    review = reporting.review_publish(reporting.review_create(programme, 1), by=coordinator)
    correction = reporting.review_correct(review)
    assert reporting.review_correct(review) == correction  # one open correction at a time
    assert (correction.number, correction.version, correction.status) == (1, 2, ReviewStatus.DRAFT)
    with pytest.raises(reporting.ReviewRefused):
        reporting.review_publish(correction, by=coordinator)
    correction.correction_en = "The French enrolments were recorded a month late."
    correction.save()
    reporting.review_publish(correction, by=coordinator)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUPERSEDED
    assert review.superseded_by == correction
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReview.objects.filter(pk=review.pk).update(status=ReviewStatus.PUBLISHED)


def test_the_lessons_register_is_numbered_across_reviews_and_frozen_with_each_review(programme):
    coordinator = UserFactory()
    first = reporting.review_create(programme, 1)
    reporting.lesson_add(first, text_en="Recruit SMEs before the summer.", text_fr="Recruter les PME avant l’été.")
    reporting.review_publish(first, by=coordinator)
    with pytest.raises(reporting.ReviewRefused):
        reporting.lesson_add(first, text_en="Too late", text_fr="Trop tard")
    second = reporting.review_create(programme, 2)
    numbers = [reporting.lesson_add(second, text_en=f"Lesson {n}", text_fr=f"Leçon {n}").number for n in range(4)]
    assert numbers == [2, 3, 4, 5]
    reporting.review_publish(second, by=coordinator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert [lesson["number"] for lesson in first.frozen["lessons"]] == [1]
    assert [lesson["number"] for lesson in second.frozen["lessons"]] == [1, 2, 3, 4, 5]
    assert second.frozen["lessons"][0]["text"]["fr"] == "Recruter les PME avant l’été."


def test_a_launchpad_view_of_published_figures_keeps_its_own_values_and_rows(programme):
    coordinator = UserFactory()
    _sme(programme, "uk", "British", _enrol(datetime.datetime(2025, 10, 5, tzinfo=LONDON)))
    _sme(
        programme,
        "fr",
        "Française",
        _enrol(datetime.datetime(2025, 10, 5, tzinfo=PARIS)),
        ("pause", Stage.ONBOARDING, Stage.PAUSED, datetime.datetime(2025, 11, 5, tzinfo=PARIS), "Congé maternité"),
    )
    review = reporting.review_publish(reporting.review_create(programme, 2), by=coordinator)
    france = [programme.launchpads.get(code="fr")]
    recomputed = reporting.figures(reporting.review_scope(review, france))
    for figures in (reporting.review_figures(review, france), recomputed):
        tables = {table["key"]: table for section in figures for table in section["tables"]}
        assert tables["enrolments"]["rows"][0]["values"] == {"fr": 1}
        assert tables["enrolments"]["rows"][0]["total"] == 1
        assert [row["cells"][0] for row in tables["pauses_withdrawals"]["rows"]] == ["Française"]


def test_the_stage_at_a_date_comes_from_the_stage_log_not_when_the_record_was_created(programme):
    """An SME recorded today with a history from 2025 (an import, the demo) counts where its log puts it."""
    sme = _sme(
        programme, "uk", "Recorded Late",
        ("start_screening", Stage.ENQUIRY, Stage.SCREENING, datetime.datetime(2025, 3, 1, 10, tzinfo=LONDON), ""),
        ("pass_screening", Stage.SCREENING, Stage.ASSESSMENT, datetime.datetime(2025, 4, 1, 10, tzinfo=LONDON), ""),
        _enrol(datetime.datetime(2025, 5, 1, 10, tzinfo=LONDON)),
    )  # fmt: skip
    type(sme).objects.filter(pk=sme.pk).update(created_at=datetime.datetime(2026, 12, 1, tzinfo=LONDON))

    def journey(end):
        tables = reporting.journey_tables(_scope(programme, datetime.date(2025, 1, 1), end))
        stages = {row.key: row.total for row in _table(tables, "stages").rows}
        return stages, _row(_table(tables, "overdue"), "overdue").total

    stages, overdue = journey(datetime.date(2025, 2, 27))
    assert sum(stages.values()) == 0  # not in the journey yet
    stages, overdue = journey(datetime.date(2025, 3, 15))
    assert stages[Stage.SCREENING] == 1 and sum(stages.values()) == 1 and overdue == 0
    stages, overdue = journey(datetime.date(2025, 5, 31))
    assert stages[Stage.ONBOARDING] == 1 and sum(stages.values()) == 1 and overdue == 0
    # Onboarding (4 months) entered 1 May 2025 was due on 1 September: overdue from the 2nd.
    assert journey(datetime.date(2025, 9, 1))[1] == 0
    assert journey(datetime.date(2025, 9, 2))[1] == 1
    assert progress.journey_started_at(type(sme).objects.filter(pk=sme.pk)) == {
        sme.pk: datetime.datetime(2025, 3, 1, 10, tzinfo=LONDON)
    }


def test_an_sme_without_a_logged_move_is_in_its_stage_from_its_creation(programme):
    sme = _sme(programme, "fr", "Nouvelle Demande")
    tables = reporting.journey_tables(_scope(programme, datetime.date(2025, 1, 1), datetime.date(2025, 1, 31)))
    assert _row(_table(tables, "stages"), Stage.ENQUIRY).values == {"fr": 1, "uk": 0}
    assert sme.created_at.date() == datetime.date(2024, 12, 28)


def test_needs_attention_holds_every_overdue_sme_with_its_reason_the_oldest_first(programme):
    from django.utils import timezone

    from journey.models import SME

    now = timezone.now()
    uk = programme.launchpads.get(code="uk")
    late = SMEFactory(launchpad=uk, name="Late")
    later = SMEFactory(launchpad=uk, name="Later")
    fine = SMEFactory(launchpad=uk, name="Fine")
    SME.objects.filter(pk=late.pk).update(stage=Stage.PLANNING, stage_entered_at=now - datetime.timedelta(days=50))
    SME.objects.filter(pk=later.pk).update(stage=Stage.PLANNING, stage_entered_at=now - datetime.timedelta(days=90))
    SME.objects.filter(pk=fine.pk).update(stage=Stage.PLANNING, stage_entered_at=now - datetime.timedelta(days=3))
    items = progress.needs_attention(SME.objects.all())
    assert [item.sme.name for item in items] == ["Later", "Late"]
    assert items[0].reasons[0].text.startswith("Stage “Planning” was due on")
    assert "overdue by" in items[0].reasons[0].text
    with translation.override("fr"):
        assert "en retard de" in progress.needs_attention(SME.objects.all())[0].reasons[0].text
    # Every SME, most urgent first: the overdue ones, then by due day.
    assert [row["sme"].name for row in progress.by_urgency(SME.objects.all())] == ["Later", "Late", "Fine"]
