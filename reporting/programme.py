"""Programme reporting: the figures of a quarterly review, as of any date, and the reviews' life.

Every figure is computed from logs and timestamps (stage changes, contacts, sessions, …),
never from current state alone, so a review's figures can be recomputed for its own date
at any time and give what they gave then.

This module computes the journey's own figures (enrolments, stages, entries and exits,
pauses and withdrawals, overdue stages); ``reporting.sections`` lists every section of a
review, each app's figures read directly from that app (connectors: data sources by
platform; toolkit: readiness, tools opened; coaching: contacts, sessions, drift, plans
and actions; learning: courses, badges).

A section computes tables for a ``Scope``: the programme, the period, the launchpads
the reader may see. A ``counts`` table has one value per launchpad and a total; a
``list`` table has free columns.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from journey import stages
from journey.models import SME, Launchpad, Programme, Stage, StageChange
from journey.progress import journey_started_at

from .models import LaunchpadOperations, Lesson, QuarterlyReview, ReviewStatus

# The original programme reviewed itself every three months from month 9 to month 21.
FIRST_REVIEW_MONTH = 9
REVIEW_EVERY_MONTHS = 3


@dataclass(frozen=True)
class Scope:
    programme: Programme
    start: datetime.date  # first day of the period
    end: datetime.date  # last day of the period: figures are "as of" the end of this day
    launchpads: tuple[Launchpad, ...]

    def moment(self, day: datetime.date, launchpad: Launchpad) -> datetime.datetime:
        """The start of ``day`` in the launchpad's time zone (the end of the day before)."""
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(launchpad.time_zone))

    def period_start(self, launchpad: Launchpad) -> datetime.datetime:
        return self.moment(self.start, launchpad)

    def as_of(self, launchpad: Launchpad) -> datetime.datetime:
        return self.moment(self.end + datetime.timedelta(days=1), launchpad)


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, int | float] = field(default_factory=dict)  # launchpad code → value
    total: int | float = 0
    cells: list[str] = field(default_factory=list)  # list tables: one text per column
    launchpad: str = ""  # list tables: the launchpad the row belongs to


@dataclass
class Table:
    key: str
    title: str
    kind: str = "counts"  # "counts": one value per launchpad and a total; "list": free columns
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy translation
    compute: Callable[[Scope], list[Table]]
    order: int = 100
    on_dashboard: bool = False  # also shown on the programme dashboard, for the quarter so far


def enrolment_series(programme: Programme, launchpads, until: datetime.date) -> tuple[list[int], dict[str, list[int]]]:
    """Cumulative enrolments per launchpad at the end of each programme month up to ``until``."""
    scope = Scope(programme, programme.start_date, until, tuple(launchpads))
    first = enrolled_at(scope)
    months, series = [], {launchpad.code: [] for launchpad in launchpads}
    zones = {launchpad.code: ZoneInfo(launchpad.time_zone) for launchpad in launchpads}
    month = 1
    while True:
        end = min(programme.start_date + relativedelta(months=month) - datetime.timedelta(days=1), until)
        months.append(month)
        counts = Counter(code for code, at in first.values() if at.astimezone(zones[code]).date() <= end)
        for launchpad in launchpads:
            series[launchpad.code].append(counts[launchpad.code])
        if end >= until:
            return months, series
        month += 1


def counts_row(scope: Scope, key: str, label: str, per_launchpad: dict[str, int | float]) -> Row:
    values = {launchpad.code: per_launchpad.get(launchpad.code, 0) for launchpad in scope.launchpads}
    return Row(key=key, label=str(label), values=values, total=sum(values.values()))


def figures(scope: Scope, *, dashboard: bool = False) -> list[dict]:
    """Every section's tables for the scope, in the active language, as plain data
    (``dashboard``: only the sections the programme dashboard shows)."""
    from .sections import sections

    result = []
    for section in sections():
        if dashboard and not section.on_dashboard:
            continue
        tables = section.compute(scope)
        result.append({"key": section.key, "title": str(section.title), "tables": [asdict(t) for t in tables]})
    return result


# --- The journey's own figures ------------------------------------------------------------


def _smes(scope: Scope):
    return SME.objects.filter(launchpad__in=scope.launchpads).select_related("launchpad")


def _stage_at(scope: Scope, smes=None, started=None) -> dict[int, tuple[str, datetime.datetime]]:
    """Each SME's stage and since when, as of the end of the period, from its stage log.

    Before its first logged move an SME was in that move's ``from_stage`` since it entered
    the journey; SMEs that entered after the period are left out.
    """
    smes = {sme.pk: sme for sme in (smes if smes is not None else _smes(scope))}
    started = started if started is not None else journey_started_at(_smes(scope))
    result: dict[int, tuple[str, datetime.datetime]] = {}
    changes = StageChange.objects.filter(sme__in=list(smes)).order_by("at", "pk")
    for change in changes.values("sme_id", "from_stage", "to_stage", "at"):
        sme = smes[change["sme_id"]]
        if sme.pk not in result:
            result[sme.pk] = (change["from_stage"], started[sme.pk])
        if change["at"] < scope.as_of(sme.launchpad):
            result[sme.pk] = (change["to_stage"], change["at"])
    for pk, sme in smes.items():
        result.setdefault(pk, (sme.stage, started[pk]))
    return {pk: value for pk, value in result.items() if started[pk] < scope.as_of(smes[pk].launchpad)}


def enrolled_at(scope: Scope) -> dict[int, tuple[str, datetime.datetime]]:
    """Every SME of the scope that ever reached onboarding: its launchpad code and when it first did."""
    first: dict[int, tuple[str, datetime.datetime]] = {}
    changes = StageChange.objects.filter(sme__launchpad__in=scope.launchpads, to_stage=Stage.ONBOARDING)
    for sme_id, code, at in changes.values_list("sme_id", "sme__launchpad__code", "at"):
        if sme_id not in first or at < first[sme_id][1]:
            first[sme_id] = (code, at)
    return first


def enrolled_by_end(scope: Scope) -> dict[int, str]:
    """The SMEs enrolled by the end of the period (withdrawn ones included) → their launchpad code."""
    by_code = {launchpad.code: launchpad for launchpad in scope.launchpads}
    return {sme_id: code for sme_id, (code, at) in enrolled_at(scope).items() if at < scope.as_of(by_code[code])}


def _enrolled_by(scope: Scope, moment_of: Callable[[Launchpad], datetime.datetime]) -> dict[str, int]:
    """SMEs that had reached onboarding before the moment, per launchpad (withdrawn ones still count)."""
    by_code = {launchpad.code: launchpad for launchpad in scope.launchpads}
    return Counter(code for code, at in enrolled_at(scope).values() if at < moment_of(by_code[code]))


def journey_tables(scope: Scope) -> list[Table]:
    enrolled_end = _enrolled_by(scope, scope.as_of)
    enrolled_start = _enrolled_by(scope, scope.period_start)
    enrolments = Table(
        key="enrolments",
        title=gettext("Enrolments"),
        rows=[
            counts_row(scope, "cumulative", gettext("Cumulative enrolments"), enrolled_end),
            counts_row(
                scope,
                "in_period",
                gettext("Enrolled in the quarter"),
                {code: enrolled_end[code] - enrolled_start.get(code, 0) for code in enrolled_end},
            ),
        ],
        note=gettext("An SME counts as enrolled once it has reached onboarding, even if it later withdrew."),
    )

    smes = list(_smes(scope))
    codes = {sme.pk: sme.launchpad.code for sme in smes}
    time_zones = {sme.pk: sme.launchpad.time_zone for sme in smes}
    started = journey_started_at(_smes(scope))
    at_end = _stage_at(scope, smes, started)
    by_stage: dict[str, Counter] = defaultdict(Counter)
    overdue: Counter[str] = Counter()
    overdue_list: list[Row] = []
    as_of_utc = {launchpad.code: scope.as_of(launchpad) for launchpad in scope.launchpads}
    names = {sme.pk: sme.name for sme in smes}
    for sme_id, (stage, since) in at_end.items():
        code = codes[sme_id]
        by_stage[stage][code] += 1
        # "As of the end of the day": the last moment of it counts, as the daily check would see it.
        if stages.is_overdue(stage, since, time_zones[sme_id], now=as_of_utc[code] - datetime.timedelta(seconds=1)):
            overdue[code] += 1
            due = stages.due_on(stage, since, time_zones[sme_id])
            overdue_list.append(
                Row(
                    key=str(sme_id),
                    label=names[sme_id],
                    launchpad=code,
                    cells=[
                        names[sme_id],
                        code.upper(),
                        str(Stage(stage).label),
                        formats.date_format(due, "SHORT_DATE_FORMAT"),
                    ],
                )
            )

    entered: dict[str, Counter] = defaultdict(Counter)
    left: dict[str, Counter] = defaultdict(Counter)
    events: list[Row] = []
    first_stage: dict[int, str] = {}  # the stage each SME entered the journey in: its first move's origin
    changes = StageChange.objects.filter(sme__launchpad__in=scope.launchpads).select_related("sme__launchpad")
    for change in changes.order_by("at", "pk"):
        first_stage.setdefault(change.sme_id, change.from_stage)
        launchpad = change.sme.launchpad
        if not (scope.period_start(launchpad) <= change.at < scope.as_of(launchpad)):
            continue
        entered[change.to_stage][launchpad.code] += 1
        left[change.from_stage][launchpad.code] += 1
        if change.to_stage in (Stage.PAUSED, Stage.WITHDRAWN):
            day = change.at.astimezone(ZoneInfo(launchpad.time_zone)).date()
            events.append(
                Row(
                    key=str(change.pk),
                    label=change.sme.name,
                    launchpad=launchpad.code,
                    cells=[
                        change.sme.name,
                        launchpad.code.upper(),
                        str(Stage(change.to_stage).label),
                        formats.date_format(day, "SHORT_DATE_FORMAT"),
                        change.reason,
                    ],
                )
            )

    # Entering the journey is no logged move: an SME that entered in the period entered its first stage.
    for sme in smes:
        if scope.period_start(sme.launchpad) <= started[sme.pk] < scope.as_of(sme.launchpad):
            entered[first_stage.get(sme.pk, sme.stage)][sme.launchpad.code] += 1

    stage_rows = []
    for stage in Stage:
        stage_rows.append(counts_row(scope, stage.value, stage.label, by_stage.get(stage.value, {})))
    flow_rows = []
    for stage in Stage:
        if entered.get(stage.value) or left.get(stage.value):
            flow_rows.append(
                counts_row(
                    scope,
                    f"{stage.value}:entered",
                    gettext("%(stage)s — entered") % {"stage": stage.label},
                    entered.get(stage.value, {}),
                )
            )
            flow_rows.append(
                counts_row(
                    scope,
                    f"{stage.value}:left",
                    gettext("%(stage)s — left") % {"stage": stage.label},
                    left.get(stage.value, {}),
                )
            )
    return [
        enrolments,
        Table(key="stages", title=gettext("SMEs per journey stage at the end of the quarter"), rows=stage_rows),
        Table(key="flows", title=gettext("Entries and exits in the quarter"), rows=flow_rows),
        Table(
            key="pauses_withdrawals",
            title=gettext("Pauses and withdrawals in the quarter"),
            kind="list",
            columns=[gettext("SME"), gettext("Launchpad"), gettext("Stage"), gettext("Date"), gettext("Reason")],
            rows=events,
        ),
        Table(
            key="overdue",
            title=gettext("Overdue stages at the end of the quarter"),
            rows=[counts_row(scope, "overdue", gettext("SMEs past their stage's due day"), overdue)],
        ),
        Table(
            key="overdue_list",
            title=gettext("SMEs past their stage's due day"),
            kind="list",
            columns=[gettext("SME"), gettext("Launchpad"), gettext("Stage"), gettext("Due")],
            rows=overdue_list,
        ),
    ]


# --- Reviews ------------------------------------------------------------------------------


def review_period(programme: Programme, number: int) -> tuple[int, datetime.date, datetime.date]:
    """Review ``number``'s programme month and dates: review 1 closes month 9, then one every quarter.

    "Month 12" ends the day before the programme's first anniversary; review 1 covers
    everything from the start, each later review the three months since the one before.
    """
    month = FIRST_REVIEW_MONTH + (number - 1) * REVIEW_EVERY_MONTHS
    end = programme.start_date + relativedelta(months=month) - datetime.timedelta(days=1)
    if number == 1:
        return month, programme.start_date, end
    start = programme.start_date + relativedelta(months=month - REVIEW_EVERY_MONTHS)
    return month, start, end


def review_scope(review: QuarterlyReview, launchpads=None) -> Scope:
    launchpads = tuple(launchpads if launchpads is not None else review.programme.launchpads.order_by("code"))
    return Scope(review.programme, review.period_start, review.period_end, launchpads)


def review_figures(review: QuarterlyReview, launchpads=None) -> list[dict]:
    """The review's figures in the active language: as published when it is, else computed now."""
    codes = {launchpad.code for launchpad in launchpads} if launchpads is not None else None
    if review.frozen:
        language = translation.get_language() or "en"
        stored = review.frozen["figures"].get(language[:2]) or review.frozen["figures"]["en"]
        return stored if codes is None else _only(stored, codes)
    return figures(review_scope(review, launchpads))


def _only(stored: list[dict], codes: set[str]) -> list[dict]:
    """Published figures narrowed to some launchpads (a launchpad manager's view): totals recomputed."""
    narrowed = []
    for section in stored:
        tables = []
        for table in section["tables"]:
            rows = []
            for row in table["rows"]:
                if table["kind"] == "counts":
                    values = {code: value for code, value in row["values"].items() if code in codes}
                    rows.append({**row, "values": values, "total": sum(values.values())})
                elif row["launchpad"] in codes:
                    rows.append(row)
            tables.append({**table, "rows": rows})
        narrowed.append({**section, "tables": tables})
    return narrowed


def lessons_as_of(review: QuarterlyReview) -> list[Lesson]:
    return list(Lesson.objects.filter(programme=review.programme, review_number__lte=review.number))


class ReviewRefused(Exception):
    pass


def review_create(programme: Programme, number: int) -> QuarterlyReview:
    """A draft of review ``number`` with its dates, and an operations section per launchpad."""
    month, start, end = review_period(programme, number)
    with transaction.atomic():
        review = QuarterlyReview.objects.create(
            programme=programme, number=number, month_number=month, period_start=start, period_end=end
        )
        for launchpad in programme.launchpads.all():
            LaunchpadOperations.objects.create(review=review, launchpad=launchpad)
    return review


REVIEW_TEXTS = ("challenges_en", "challenges_fr", "exchange_en", "exchange_fr", "correction_en", "correction_fr")


def review_write(review: QuarterlyReview, *, texts: dict[str, str], operations: dict[int, dict[str, str]]) -> None:
    """Save a draft review's written parts: its own texts (``REVIEW_TEXTS`` only) and each launchpad's
    operations text (``{LaunchpadOperations pk: {"en": …, "fr": …}}``), together."""
    unknown = set(texts) - set(REVIEW_TEXTS)
    if unknown:
        raise TypeError(f"review_write() cannot set {', '.join(sorted(unknown))}")
    with transaction.atomic():
        review = QuarterlyReview.objects.select_for_update().get(pk=review.pk)
        if not review.is_editable:
            raise ReviewRefused(gettext("A published review is frozen: correct it with a new version."))
        for name, value in texts.items():
            setattr(review, name, value)
        review.save(update_fields=[*texts, "updated_at"])
        sections = list(LaunchpadOperations.objects.filter(review=review, pk__in=list(operations)))
        for section in sections:
            for language, text in operations[section.pk].items():
                setattr(section, f"text_{language}", text)
        LaunchpadOperations.objects.bulk_update(sections, ["text_en", "text_fr"])


def review_publish(review: QuarterlyReview, *, by, now: datetime.datetime | None = None) -> QuarterlyReview:
    """Freeze the figures (in both languages) and the lessons as they are; a correction supersedes its original."""
    if review.status != ReviewStatus.DRAFT:
        raise ReviewRefused(gettext("Only a draft can be published."))
    if review.supersedes_id and not review.correction:
        raise ReviewRefused(gettext("Say what this version corrects before publishing it."))
    launchpads = list(review.programme.launchpads.order_by("code"))
    months, series = enrolment_series(review.programme, launchpads, review.period_end)
    frozen = {"figures": {}, "lessons": [], "enrolments": {"months": months, "series": series}}
    for language in ("en", "fr"):
        with translation.override(language):
            frozen["figures"][language] = figures(review_scope(review))
    for lesson in lessons_as_of(review):
        frozen["lessons"].append(
            {
                "number": lesson.number,
                "review": lesson.review_number,
                "text": {"en": lesson.text_en or "", "fr": lesson.text_fr or ""},
                "follow_up": {"en": lesson.follow_up_en or "", "fr": lesson.follow_up_fr or ""},
            }
        )
    with transaction.atomic():
        if review.supersedes_id:
            QuarterlyReview.objects.filter(pk=review.supersedes_id).update(status=ReviewStatus.SUPERSEDED)
        review.status = ReviewStatus.PUBLISHED
        review.frozen = frozen
        review.published_at = now or timezone.now()
        review.published_by = by
        review.save()
    return review


def review_correct(review: QuarterlyReview) -> QuarterlyReview:
    """A new draft version of a published review, with its narrative copied, to be corrected."""
    if review.status != ReviewStatus.PUBLISHED:
        raise ReviewRefused(gettext("Only a published review can be corrected."))
    if QuarterlyReview.objects.filter(supersedes=review).exists():
        return QuarterlyReview.objects.get(supersedes=review)
    with transaction.atomic():
        copy = QuarterlyReview.objects.create(
            programme=review.programme,
            number=review.number,
            version=review.version + 1,
            month_number=review.month_number,
            period_start=review.period_start,
            period_end=review.period_end,
            supersedes=review,
            **{
                f"{name}_{lang}": getattr(review, f"{name}_{lang}")
                for name in ("challenges", "exchange")
                for lang in ("en", "fr")
            },
        )
        for section in review.operations.all():
            LaunchpadOperations.objects.create(
                review=copy, launchpad=section.launchpad, text_en=section.text_en, text_fr=section.text_fr
            )
    return copy


def lesson_add(review: QuarterlyReview, *, text_en: str, text_fr: str) -> Lesson:
    """Record a lesson in a draft review: it takes the next number of the programme's register."""
    if not review.is_editable:
        raise ReviewRefused(gettext("A published review is frozen: correct it with a new version."))
    with transaction.atomic():
        last = (
            Lesson.objects.select_for_update().filter(programme=review.programme).aggregate(n=Max("number"))["n"] or 0
        )
        return Lesson.objects.create(
            programme=review.programme,
            number=last + 1,
            review_number=review.number,
            text_en=text_en,
            text_fr=text_fr,
        )


def next_review(
    programme: Programme, today: datetime.date | None = None
) -> tuple[int, int, datetime.date, datetime.date]:
    """The first review whose period ends on or after today: (number, month, start, end)."""
    today = today or timezone.localdate()
    number = 1
    while True:
        month, start, end = review_period(programme, number)
        if end >= today:
            return number, month, start, end
        number += 1


@dataclass(frozen=True)
class DueReview:
    """The review to write now, and whether its period has already ended."""

    number: int
    month: int
    start: datetime.date
    end: datetime.date
    overdue: bool


def review_due(programme: Programme, today: datetime.date | None = None) -> DueReview:
    """The oldest draft of an ended period that has no published version, else the next review.

    A draft left unpublished after its quarter ends stays the coordinator's next task: the
    following review is not offered until it is published.
    """
    today = today or timezone.localdate()
    number, month, start, end = next_review(programme, today)
    published = QuarterlyReview.objects.filter(programme=programme).exclude(status=ReviewStatus.DRAFT)
    late = (
        QuarterlyReview.objects.filter(programme=programme, status=ReviewStatus.DRAFT, number__lt=number)
        .exclude(number__in=published.values("number"))
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    if late is None:
        return DueReview(number, month, start, end, overdue=False)
    month, start, end = review_period(programme, late)
    return DueReview(late, month, start, end, overdue=True)
