"""Coordinators' admin screens: quarterly reviews (draft, publish, correct, export), the programme dashboard.

Who may see what is decided in ``journey.scoping``: coordinators see both launchpads and
alone draft and publish; a launchpad manager reads the figures of their own launchpad.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from journey import progress, scoping
from journey.models import ACTIVE_STAGES, SME, Programme, Role, Stage, User

from . import programme as reporting
from .charts import enrolment_chart
from .models import Lesson, QuarterlyReview, ReviewStatus
from .sections.coaching import contacts_logged

# The programme dashboard's activity columns: (label, compute(managers, since) -> {user id: n}).
ACTIVITY_COLUMNS = [(_("Contacts logged in the last 90 days"), contacts_logged)]


def _require_reader(request):
    if not scoping.can_view_reports(request.user):
        raise PermissionDenied
    return list(scoping.reportable_launchpads(request.user))


def _require_editor(request):
    if not scoping.can_edit_reviews(request.user):
        raise PermissionDenied


def _programme() -> Programme:
    programme = Programme.objects.order_by("start_date").first()
    if programme is None:
        raise PermissionDenied
    return programme


def _missing(review: QuarterlyReview, launchpads) -> list[str]:
    """What the review still lacks before it can be published, in the reader's language."""
    missing = []
    for name, label in (
        ("challenges", gettext("challenges")),
        ("exchange", gettext("technical and cultural exchange")),
    ):
        for language, language_name in (("en", gettext("English")), ("fr", gettext("French"))):
            if not (getattr(review, f"{name}_{language}") or "").strip():
                missing.append(f"{label} ({language_name})")
    for section in review.operations.select_related("launchpad").filter(launchpad__in=launchpads):
        for language, language_name in (("en", gettext("English")), ("fr", gettext("French"))):
            if not (getattr(section, f"text_{language}") or "").strip():
                missing.append(
                    gettext("operations of %(launchpad)s (%(language)s)")
                    % {"launchpad": section.launchpad.name, "language": language_name}
                )
    if not Lesson.objects.filter(programme=review.programme, review_number=review.number).exists():
        missing.append(gettext("at least one lesson learned"))
    if review.supersedes_id and not (review.correction_en or review.correction_fr):
        missing.append(gettext("what this version corrects"))
    return missing


def review_list(request):
    launchpads = _require_reader(request)
    programme = _programme()
    reviews = QuarterlyReview.objects.filter(programme=programme).order_by("-number", "-version")
    due = reporting.review_due(programme)
    upcoming = reviews.filter(number=due.number, status=ReviewStatus.DRAFT).first()
    return TemplateResponse(
        request,
        "reporting/admin/reviews.html",
        {
            "page_title": gettext("Quarterly reviews"),
            "header_icon": "doc-full",
            "reviews": reviews,
            "programme": programme,
            "launchpads": launchpads,
            "next": due,
            "upcoming": upcoming,
            "upcoming_missing": _missing(upcoming, launchpads) if upcoming else [],
            "may_edit": scoping.can_edit_reviews(request.user),
            "next_exists": reviews.filter(number=due.number).exists(),
        },
    )


@require_POST
def review_create_view(request):
    _require_editor(request)
    programme = _programme()
    number = int(request.POST.get("number") or 0)
    if number < 1:
        raise PermissionDenied
    existing = QuarterlyReview.objects.filter(programme=programme, number=number).order_by("-version").first()
    review = existing or reporting.review_create(programme, number)
    return redirect("reviews:detail", review.pk)


def _review_chart(review, launchpads):
    """Cumulative enrolments by programme month up to the review's end: as published, or computed now."""
    stored = (review.frozen or {}).get("enrolments")
    if stored:
        months, series = stored["months"], stored["series"]
    else:
        months, series = reporting.enrolment_series(review.programme, launchpads, review.period_end)
    return enrolment_chart(
        months=months,
        series=[(launchpad.name, series.get(launchpad.code, [])) for launchpad in launchpads],
        title=gettext("Cumulative enrolments by programme month"),
        description=gettext("One line per launchpad: the SMEs that have reached onboarding by the end of each month."),
        month_label=gettext("Month %(number)s"),
    )


def _context(request, review, launchpads):
    figures = reporting.review_figures(review, launchpads)
    return {
        "chart": _review_chart(review, launchpads),
        "review": review,
        "figures": figures,
        "launchpads": launchpads,
        "operations": review.operations.select_related("launchpad").filter(launchpad__in=launchpads),
        "lessons": _lessons(review),
        "missing": _missing(review, launchpads) if review.is_editable else [],
        "as_of": review.period_end,
    }


def _lessons(review: QuarterlyReview) -> list[dict]:
    """The register as the review holds it: frozen when published, current while a draft."""
    language = (translation.get_language() or "en")[:2]
    if review.frozen:
        return [
            {
                "number": item["number"],
                "review": item["review"],
                "text": item["text"].get(language) or item["text"]["en"],
                "follow_up": item["follow_up"].get(language) or item["follow_up"]["en"],
            }
            for item in review.frozen["lessons"]
        ]
    return [
        {"number": lesson.number, "review": lesson.review_number, "text": lesson.text, "follow_up": lesson.follow_up}
        for lesson in reporting.lessons_as_of(review)
    ]


def review_detail(request, pk):
    launchpads = _require_reader(request)
    review = get_object_or_404(QuarterlyReview, pk=pk)
    context = _context(request, review, launchpads)
    context.update(
        {
            "page_title": str(review),
            "header_icon": "doc-full",
            "may_edit": scoping.can_edit_reviews(request.user),
            "lesson_form": LessonForm(),
        }
    )
    return TemplateResponse(request, "reporting/admin/review.html", context)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = QuarterlyReview
        fields = ["challenges_en", "challenges_fr", "exchange_en", "exchange_fr", "correction_en", "correction_fr"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}


class LessonForm(forms.Form):
    text_en = forms.CharField(label=_("Lesson (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    text_fr = forms.CharField(label=_("Lesson (French)"), widget=forms.Textarea(attrs={"rows": 3}))


def review_edit(request, pk):
    _require_editor(request)
    review = get_object_or_404(QuarterlyReview, pk=pk)
    if not review.is_editable:
        messages.error(request, gettext("A published review is frozen: correct it with a new version."))
        return redirect("reviews:detail", pk)
    form = ReviewForm(request.POST or None, instance=review)
    if not review.supersedes_id:
        del form.fields["correction_en"], form.fields["correction_fr"]
    sections = list(review.operations.select_related("launchpad"))
    operation_fields = {}
    for section in sections:
        for language in ("en", "fr"):
            name = f"operations_{section.launchpad.code}_{language}"
            form.fields[name] = forms.CharField(
                label=gettext("Operations and performance — %(launchpad)s (%(language)s)")
                % {
                    "launchpad": section.launchpad.name,
                    "language": gettext("English") if language == "en" else gettext("French"),
                },
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=getattr(section, f"text_{language}"),
            )
            operation_fields[name] = (section, language)
    if request.method == "POST" and form.is_valid():
        texts = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        operations: dict[int, dict[str, str]] = {}
        for name, (section, language) in operation_fields.items():
            operations.setdefault(section.pk, {})[language] = form.cleaned_data[name]
        try:
            reporting.review_write(review, texts=texts, operations=operations)
        except reporting.ReviewRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, gettext("Review saved."))
        return redirect("reviews:detail", pk)
    return TemplateResponse(
        request,
        "reporting/admin/review_edit.html",
        {
            "review": review,
            "form": form,
            "page_title": gettext("Edit %(review)s") % {"review": review},
            "header_icon": "edit",
        },
    )


@require_POST
def lesson_add_view(request, pk):
    _require_editor(request)
    review = get_object_or_404(QuarterlyReview, pk=pk)
    form = LessonForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Write the lesson in both languages."))
    else:
        try:
            lesson = reporting.lesson_add(review, **form.cleaned_data)
        except reporting.ReviewRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, gettext("Lesson %(number)s recorded.") % {"number": lesson.number})
    return redirect("reviews:detail", pk)


@require_POST
def review_publish_view(request, pk):
    _require_editor(request)
    review = get_object_or_404(QuarterlyReview, pk=pk)
    try:
        reporting.review_publish(review, by=request.user)
    except reporting.ReviewRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, gettext("%(review)s published: its figures are frozen as of today.") % {"review": review}
        )
    return redirect("reviews:detail", pk)


@require_POST
def review_correct_view(request, pk):
    _require_editor(request)
    review = get_object_or_404(QuarterlyReview, pk=pk)
    try:
        correction = reporting.review_correct(review)
    except reporting.ReviewRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("reviews:detail", pk)
    messages.info(
        request, gettext("A corrected version is open as a draft; the published one stays until it is published.")
    )
    return redirect("reviews:edit", correction.pk)


def _filename(review: QuarterlyReview, extension: str) -> str:
    name = slugify(gettext("quarterly review %(number)s") % {"number": review.number})
    return f"{name}-v{review.version}.{extension}"


def review_pdf(request, pk):
    launchpads = _require_reader(request)
    review = get_object_or_404(QuarterlyReview, pk=pk)
    from weasyprint import HTML

    html = render_to_string("reporting/review_pdf.html", _context(request, review, launchpads), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(review, "pdf")}"'
    return response


def review_xlsx(request, pk):
    launchpads = _require_reader(request)
    review = get_object_or_404(QuarterlyReview, pk=pk)
    from .exports import review_workbook

    context = _context(request, review, launchpads)
    content = review_workbook(review, context["figures"], context["lessons"], launchpads)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename(review, "xlsx")}"'
    return response


# --- The programme dashboard --------------------------------------------------------------


def programme_dashboard(request):
    launchpads = _require_reader(request)
    programme = _programme()
    today = timezone.localdate()
    smes = SME.objects.filter(launchpad__in=launchpads)
    months, series = reporting.enrolment_series(programme, launchpads, today)
    chart = enrolment_chart(
        months=months,
        series=[(launchpad.name, series[launchpad.code]) for launchpad in launchpads],
        title=gettext("Cumulative enrolments by programme month"),
        description=gettext("One line per launchpad: the SMEs that have reached onboarding by the end of each month."),
        month_label=gettext("Month %(number)s"),
    )
    by_stage = dict(smes.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    funnel = [{"stage": stage.label, "key": stage.value, "count": by_stage.get(stage.value, 0)} for stage in Stage]
    attention = progress.needs_attention(smes)
    attention_by_launchpad = [
        (launchpad, [item for item in attention if item.sme.launchpad_id == launchpad.pk]) for launchpad in launchpads
    ]
    since = timezone.now() - datetime.timedelta(days=90)
    managers = (
        User.objects.filter(role=Role.ACCOUNT_MANAGER, launchpad__in=launchpads, is_active=True)
        .annotate(
            followed=Count("assigned_smes", filter=Q(assigned_smes__stage__in=ACTIVE_STAGES), distinct=True),
            moves=Count(
                "assigned_smes__stage_changes", filter=Q(assigned_smes__stage_changes__at__gte=since), distinct=True
            ),
        )
        .select_related("launchpad")
        .order_by("launchpad__code", "last_name")
    )
    overdue_by_manager = Counter(item.sme.primary_account_manager_id for item in attention if item.overdue)
    columns = [(label, compute(managers, since)) for label, compute in ACTIVITY_COLUMNS]
    number, month, start, end = reporting.next_review(programme, today)
    due = reporting.review_due(programme, today)
    upcoming = QuarterlyReview.objects.filter(programme=programme, number=due.number, status=ReviewStatus.DRAFT).first()
    # The sections shown live (outcomes): the current review's period so far.
    live = reporting.figures(reporting.Scope(programme, start, min(end, today), tuple(launchpads)), dashboard=True)
    return TemplateResponse(
        request,
        "reporting/admin/programme_dashboard.html",
        {
            "page_title": gettext("Programme dashboard"),
            "header_icon": "site",
            "chart": chart,
            "funnel": funnel,
            "attention": attention,
            "attention_by_launchpad": attention_by_launchpad,
            "managers": [
                {
                    "user": m,
                    "overdue": overdue_by_manager.get(m.pk, 0),
                    "activity": [values.get(m.pk, 0) for _label, values in columns],
                }
                for m in managers
            ],
            "activity_labels": [label for label, _values in columns],
            "next": {"number": number, "month": month, "start": start, "end": end},
            "due": due,
            "upcoming": upcoming,
            "upcoming_missing": _missing(upcoming, launchpads) if upcoming else None,
            "launchpads": launchpads,
            "live_figures": live,
        },
    )
