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
from django.db.models import Case, Count, DateTimeField, F, Max, Min, OuterRef, Subquery, Value, When
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from journey import stages
from journey.models import SME, Launchpad, Programme, Stage, StageChange

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


def _moments(scope: Scope, moment_of: Callable[[Launchpad], datetime.datetime], launchpad_field: str):
    """``moment_of`` each row's launchpad, as an SQL expression (one value per launchpad of the scope)."""
    whens = [
        When(**{launchpad_field: launchpad.pk}, then=Value(moment_of(launchpad))) for launchpad in scope.launchpads
    ]
    return Case(*whens, output_field=DateTimeField())


@dataclass(frozen=True)
class _JourneySME:
    pk: int
    name: str
    code: str
    time_zone: str
    started: datetime.datetime  # when it entered the journey (``journey.progress.journey_started_at``)
    first_stage: str  # the stage it entered the journey in: its first move's origin, else its stage
    stage: str  # its stage at the end of the period, from its stage log
    since: datetime.datetime  # … since when


def _journey_smes(scope: Scope) -> list[_JourneySME]:
    """Every SME of the scope that had entered the journey by the end of the period, with its stage then.

    The database finds each SME's first and last logged moves (before its first logged move an
    SME was in that move's ``from_stage`` since it entered the journey); Python reads one row per
    SME, in the order of their first moves, then by name for SMEs that never moved.
    """
    first = StageChange.objects.filter(sme=OuterRef("pk")).order_by("at", "pk")
    last = StageChange.objects.filter(sme=OuterRef("pk"), at__lt=OuterRef("as_of")).order_by("-at", "-pk")
    rows = (
        _smes(scope)
        .annotate(
            as_of=_moments(scope, scope.as_of, "launchpad_id"),
            first_pk=Subquery(first.values("pk")[:1]),
            first_at=Subquery(first.values("at")[:1]),
            first_from=Subquery(first.values("from_stage")[:1]),
            last_to=Subquery(last.values("to_stage")[:1]),
            last_at=Subquery(last.values("at")[:1]),
        )
        .values_list(
            "pk", "name", "launchpad__code", "launchpad__time_zone", "stage", "created_at", "as_of",
            "first_pk", "first_at", "first_from", "last_to", "last_at",
        )
    )  # fmt: skip
    result = []
    for pk, name, code, time_zone, stage, created, as_of, first_pk, first_at, first_from, last_to, last_at in rows:
        started = min(created, first_at) if first_at is not None else created
        if not started < as_of:
            continue
        if last_to is not None:
            then, since = last_to, last_at
        else:
            then, since = (first_from if first_pk is not None else stage), started
        order = (0, first_at, first_pk) if first_pk is not None else (1,)
        result.append(
            (order, _JourneySME(pk, name, code, time_zone, started, first_from if first_pk else stage, then, since))
        )
    # The first moves' order; the rest as listed (by name): sorted() keeps ties in place.
    return [sme for _order, sme in sorted(result, key=lambda item: item[0])]


def enrolled_at(scope: Scope) -> dict[int, tuple[str, datetime.datetime]]:
    """Every SME of the scope that ever reached onboarding: its launchpad code and when it first did."""
    changes = StageChange.objects.filter(sme__launchpad__in=scope.launchpads, to_stage=Stage.ONBOARDING)
    firsts = changes.order_by().values("sme_id", "sme__launchpad__code").annotate(first=Min("at"))
    return {row["sme_id"]: (row["sme__launchpad__code"], row["first"]) for row in firsts}


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

    smes = _journey_smes(scope)
    by_stage: dict[str, Counter] = defaultdict(Counter)
    overdue: Counter[str] = Counter()
    overdue_list: list[Row] = []
    as_of_utc = {launchpad.code: scope.as_of(launchpad) for launchpad in scope.launchpads}
    for sme in smes:
        by_stage[sme.stage][sme.code] += 1
        # "As of the end of the day": the last moment of it counts, as the daily check would see it.
        if stages.is_overdue(
            sme.stage, sme.since, sme.time_zone, now=as_of_utc[sme.code] - datetime.timedelta(seconds=1)
        ):
            overdue[sme.code] += 1
            due = stages.due_on(sme.stage, sme.since, sme.time_zone)
            overdue_list.append(
                Row(
                    key=str(sme.pk),
                    label=sme.name,
                    launchpad=sme.code,
                    cells=[
                        sme.name,
                        sme.code.upper(),
                        str(Stage(sme.stage).label),
                        formats.date_format(due, "SHORT_DATE_FORMAT"),
                    ],
                )
            )

    # Moves in the period, counted by the database per launchpad and stage.
    in_period = StageChange.objects.annotate(
        period_start=_moments(scope, scope.period_start, "sme__launchpad_id"),
        as_of=_moments(scope, scope.as_of, "sme__launchpad_id"),
    ).filter(sme__launchpad__in=scope.launchpads, at__gte=F("period_start"), at__lt=F("as_of"))
    entered: dict[str, Counter] = defaultdict(Counter)
    left: dict[str, Counter] = defaultdict(Counter)
    for field_name, counts in (("to_stage", entered), ("from_stage", left)):
        grouped = in_period.order_by().values(field_name, "sme__launchpad__code").annotate(n=Count("pk"))
        for row in grouped:
            counts[row[field_name]][row["sme__launchpad__code"]] += row["n"]
    events: list[Row] = []
    moves = in_period.filter(to_stage__in=(Stage.PAUSED, Stage.WITHDRAWN)).select_related("sme__launchpad")
    for change in moves.order_by("at", "pk"):
        launchpad = change.sme.launchpad
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
    period_start = {launchpad.code: scope.period_start(launchpad) for launchpad in scope.launchpads}
    for sme in smes:
        if period_start[sme.code] <= sme.started:
            entered[sme.first_stage][sme.code] += 1

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
