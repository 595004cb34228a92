"""Coaching pages in the portal, for the SME's staff and (read-only parts) the SME's own users.

Staff work here — the coaching panel on the staff SME page in the Wagtail admin links to
these pages — so there is one set of screens for both audiences, each part shown or
refused by ``journey.scoping``. Times are shown and read in the launchpad's time zone.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from journey import scoping
from journey.models import Launchpad
from toolkit.findings import FINDING_KINDS

from . import exports, services
from .calendar import calendar_bytes, feed_for_user
from .capture.forms import CaptureUploadForm
from .capture.selectors import drafts_to_confirm as capture_drafts
from .drift import alert_text
from .forms import (
    ActionFormSet,
    ContactForm,
    MarketFormSet,
    PlanForm,
    SessionForm,
    SessionRecordForm,
)
from .models import (
    REVIEW_QUESTIONS,
    ActionStatus,
    Contact,
    PlanAction,
    PlanStatus,
    Session,
    SessionStatus,
)
from .selectors import monthly_reviews, summaries, timeline
from .services import ACTION_TRANSITIONS

# The button that moves an action to each status, said as what the person does.
ACTION_VERBS = {
    ActionStatus.ACCEPTED: _("Accept"),
    ActionStatus.REJECTED: _("Reject"),
    ActionStatus.IN_PROGRESS: _("Mark in progress"),
    ActionStatus.DONE: _("Mark done"),
    ActionStatus.NO_ACTION: _("No action (business decision)"),
}


def _sme(request, slug):
    return get_object_or_404(
        scoping.smes_visible_to(request.user).select_related("launchpad", "primary_account_manager"), slug=slug
    )


def may_read_progress(user, sme) -> bool:
    """The progress sheet is the programme staff's record: those whose role may view SMEs, for SMEs they see."""
    return scoping.can_view_progress_sheet(user, sme)


def _changeable(request, slug):
    sme = _sme(request, slug)
    if not scoping.can_change_sme(request.user, sme):
        raise PermissionDenied
    return sme


def _page(request, sme, template, context):
    """Render in the launchpad's time zone, so every date and time reads as local to the SME."""
    with timezone.override(sme.launchpad.time_zone):
        return render(request, template, {"sme": sme, **context})


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- The coaching page: progress sheet, sessions, plan ------------------------------------------


@login_required
def sme_coaching(request, slug):
    sme = _sme(request, slug)
    can_change = scoping.can_change_sme(request.user, sme)
    with timezone.override(sme.launchpad.time_zone):
        form = ContactForm(initial={"happened_at": timezone.localtime().replace(second=0, microsecond=0)})
    return _page(
        request,
        sme,
        "coaching/sme_coaching.html",
        {
            "timeline": timeline(sme),
            "can_change": can_change,
            "show_contacts": may_read_progress(request.user, sme),
            "contact_form": form if can_change else None,
            "plan": services.plan_current(sme),
            "draft": services.plan_draft(sme) if can_change else None,
            "monthly": monthly_reviews(sme),
            "alerts": [(a, alert_text(a)) for a in sme.drift_alerts.filter(resolved_at__isnull=True)],
            # The capture mailbox: this SME's drafts to confirm, and a file dropped here.
            "captured": capture_drafts(request.user).filter(sme=sme) if can_change else None,
            "capture_form": CaptureUploadForm() if can_change else None,
        },
    )


@login_required
def contact_add(request, slug):
    sme = _changeable(request, slug)
    with timezone.override(sme.launchpad.time_zone):
        form = ContactForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.contact_log(sme=sme, by=request.user, **form.cleaned_data)
            messages.success(request, gettext("Contact logged."))
            return redirect("coaching:sme", slug=slug)
    return _page(request, sme, "coaching/contact_form.html", {"form": form, "contact": None})


@login_required
def contact_edit(request, slug, pk):
    sme = _changeable(request, slug)
    contact = get_object_or_404(Contact, sme=sme, pk=pk)
    if contact.author_id != request.user.pk:
        raise PermissionDenied
    with timezone.override(sme.launchpad.time_zone):
        form = ContactForm(request.POST or None, instance=Contact.objects.get(pk=contact.pk))
        if request.method == "POST" and form.is_valid():
            services.contact_update(contact=contact, by=request.user, **form.cleaned_data)
            messages.success(request, gettext("Contact updated; the earlier version is kept."))
            return redirect("coaching:sme", slug=slug)
    return _page(
        request,
        sme,
        "coaching/contact_form.html",
        {"form": form, "contact": contact, "revisions": contact.revisions.select_related("edited_by")},
    )


# --- Sessions ----------------------------------------------------------------------------------


@login_required
def session_new(request, slug):
    sme = _changeable(request, slug)
    with timezone.override(sme.launchpad.time_zone):
        initial = {"kind": request.GET.get("kind", ""), "duration_minutes": 60}
        form = SessionForm(request.POST or None, sme=sme, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            participants = list(data.pop("participants"))
            session = services.session_schedule(sme=sme, by=request.user, participants=participants, **data)
            if session.status == SessionStatus.HELD:
                messages.success(request, gettext("Session recorded as held. Add what was said below."))
            else:
                messages.success(request, gettext("Session scheduled; the invitations are on their way."))
            return redirect("coaching:session", slug=slug, pk=session.pk)
    return _page(request, sme, "coaching/session_form.html", {"form": form, "session": None})


def _session(request, slug, pk):
    sme = _sme(request, slug)
    return sme, get_object_or_404(Session.objects.select_related("organiser"), sme=sme, pk=pk)


@login_required
def session_edit(request, slug, pk):
    sme, session = _session(request, slug, pk)
    if not scoping.can_change_sme(request.user, sme) or session.status == SessionStatus.CANCELLED:
        raise PermissionDenied
    with timezone.override(sme.launchpad.time_zone):
        form = SessionForm(request.POST or None, sme=sme, instance=Session.objects.get(pk=session.pk))
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            participants = list(data.pop("participants"))
            services.session_update(session=session, by=request.user, participants=participants, **data)
            messages.success(request, gettext("Session updated; participants get the change."))
            return redirect("coaching:session", slug=slug, pk=pk)
    return _page(request, sme, "coaching/session_form.html", {"form": form, "session": session})


@login_required
def session_detail(request, slug, pk):
    """A session: when and where, its status, and what was said (recorded by staff)."""
    sme, session = _session(request, slug, pk)
    can_change = scoping.can_change_sme(request.user, sme)
    form = None
    if can_change and session.status != SessionStatus.CANCELLED:
        form = SessionRecordForm(request.POST or None, instance=session)
        if request.method == "POST" and form.is_valid():
            services.session_record(session=session, by=request.user, **form.cleaned_data)
            messages.success(request, gettext("Session record saved."))
            return redirect("coaching:session", slug=slug, pk=pk)
    elif request.method == "POST":
        raise PermissionDenied
    answers = [(prompt, getattr(session, name)) for name, prompt in REVIEW_QUESTIONS]
    return _page(
        request,
        sme,
        "coaching/session_detail.html",
        {
            "session": session,
            "can_change": can_change,
            "form": form,
            "answers": answers if session.is_formal else [],
            "changes": session.changes.select_related("by"),
            "status_choices": _one_primary(
                [(s.value, s.label) for s in SessionStatus if s not in (SessionStatus.SCHEDULED, session.status)],
                negative=NEGATIVE_SESSION_STATUSES,
            ),
        },
    )


@login_required
@require_POST
def session_status(request, slug, pk):
    session = _session(request, slug, pk)[1]
    status = request.POST.get("status", "")
    if status not in SessionStatus.values:
        messages.error(request, gettext("Unknown session status."))
        return redirect("coaching:session", slug=slug, pk=pk)
    try:
        services.session_set_status(session=session, by=request.user, status=status)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, gettext("The session is now “%(status)s”.") % {"status": session.get_status_display()}
        )
    return redirect("coaching:session", slug=slug, pk=pk)


@login_required
def session_ics(request, slug, pk):
    session = _session(request, slug, pk)[1]
    response = HttpResponse(calendar_bytes([session]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


# --- The plan ----------------------------------------------------------------------------------


# Choices that turn something down: styled apart from the ones that move it forward (issue 18).
NEGATIVE_ACTION_STATUSES = {ActionStatus.REJECTED, ActionStatus.NO_ACTION}
NEGATIVE_SESSION_STATUSES = {SessionStatus.CANCELLED, SessionStatus.MISSED}


def _one_primary(choices, *, negative):
    """One primary choice per row, the first that moves forward; the others go in a menu.

    Returns ``(primary, others)`` where each is ``(value, label)`` and ``others`` carry whether
    they turn something down, so that a row never shows several identical solid buttons.
    """
    forward = [choice for choice in choices if choice[0] not in negative]
    primary = forward[0] if forward else None
    others = [(value, label, value in negative) for value, label in choices if (value, label) != primary]
    return primary, others


@login_required
def plan_detail(request, slug, version=None):
    """The shared plan (what the SME sees), or one version; drafts only for those who may change the SME."""
    sme = _sme(request, slug)
    can_change = scoping.can_change_sme(request.user, sme)
    plans = sme.plans.all() if can_change else sme.plans.exclude(status=PlanStatus.DRAFT)
    plan = get_object_or_404(plans, version=version) if version else services.plan_current(sme)
    if plan is None and can_change:
        plan = services.plan_draft(sme)
    may_decide = scoping.can_edit_company_data(request.user, sme)
    actions = []
    if plan:
        for action in plan.actions.all():
            choices = []
            if may_decide and plan.status == PlanStatus.SHARED:
                choices = [
                    (status, _("Reopen") if action.status == ActionStatus.DONE else ACTION_VERBS[status])
                    for status in ActionStatus.values
                    if status in ACTION_TRANSITIONS[action.status]
                ]
            actions.append((action, *_one_primary(choices, negative=NEGATIVE_ACTION_STATUSES)))
    return _page(
        request,
        sme,
        "coaching/plan_detail.html",
        {
            "plan": plan,
            "actions": actions,
            "can_change": can_change,
            "draft": services.plan_draft(sme) if can_change else None,
            "versions": plans.order_by("-version"),
        },
    )


@login_required
def plan_edit(request, slug):
    """Edit the draft (made from the shared version when there is none yet)."""
    sme = _changeable(request, slug)
    # Editing a shared plan starts the next version as a draft (at most one at a time).
    plan = services.plan_draft_ensure(sme=sme, by=request.user)
    form = PlanForm(request.POST or None, instance=plan)
    markets = MarketFormSet(request.POST or None, instance=plan, prefix="markets")
    actions = ActionFormSet(request.POST or None, instance=plan, prefix="actions")
    if request.method == "POST" and form.is_valid() and markets.is_valid() and actions.is_valid():
        try:
            with transaction.atomic():
                services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
                _save_rows(markets, plan, request.user, services.market_save, services.market_delete, "market")
                _save_rows(actions, plan, request.user, services.action_save, services.action_delete, "action")
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, gettext("Draft saved."))
            if "share" in request.POST:
                return plan_share(request, slug)
            return redirect("coaching:plan_edit", slug=slug)
    return _page(
        request, sme, "coaching/plan_form.html", {"plan": plan, "form": form, "markets": markets, "actions": actions}
    )


def _save_rows(formset, plan, user, save, delete, name):
    for row in formset.forms:
        if not row.has_changed() and not row.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(row):
            if row.instance.pk:
                delete(**{name: row.instance, "by": user})
            continue
        fields = {
            key: value
            for key, value in row.cleaned_data.items()
            if key in row._meta.fields and key not in ("plan", "id", "DELETE")
        }
        existing = row.instance if row.instance.pk else None
        save(plan=plan, by=user, **{name: existing}, **fields)


@login_required
@require_POST
def plan_share(request, slug):
    sme = _changeable(request, slug)
    plan = services.plan_draft(sme)
    if plan is None:
        messages.error(request, gettext("There is no draft to share."))
        return redirect("coaching:plan", slug=slug)
    try:
        services.plan_share(plan=plan, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("coaching:plan_edit", slug=slug)
    messages.success(
        request, gettext("Version %(version)s of the plan is shared with the SME.") % {"version": plan.version}
    )
    return redirect("coaching:plan", slug=slug)


@login_required
@require_POST
def action_status(request, slug, pk):
    """The SME accepts or rejects a proposed action; the SME or its staff follow it up."""
    sme = _sme(request, slug)
    action = get_object_or_404(PlanAction, plan__sme=sme, pk=pk)
    try:
        services.action_set_status(
            action=action, by=request.user, status=request.POST.get("status", ""), note=request.POST.get("note", "")
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            gettext("“%(action)s” is now “%(status)s”.")
            % {"action": action.title, "status": action.get_status_display()},
        )
    return redirect("coaching:plan", slug=slug)


@login_required
def plan_pdf(request, slug, version):
    """The plan as a PDF, in the reader's language."""
    from .pdf import plan_pdf_bytes

    sme = _sme(request, slug)
    plans = sme.plans.all() if scoping.can_change_sme(request.user, sme) else sme.plans.exclude(status=PlanStatus.DRAFT)
    plan = get_object_or_404(plans, version=version)
    data = plan_pdf_bytes(plan, language=translation.get_language())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(sme.name)}-plan-v{plan.version}.pdf"'
    return response


@login_required
@require_POST
def plan_add_finding(request, slug):
    """The toolkit's "add to plan": a proposed action on the draft plan, linked to the finding."""
    sme = _changeable(request, slug)
    kind, ref, title = (
        request.POST.get("kind", ""),
        request.POST.get("ref", "").strip(),
        request.POST.get("title", "").strip(),
    )
    if kind not in FINDING_KINDS or not ref or not title:
        messages.error(request, gettext("This finding cannot be added to the plan: it is incomplete."))
    else:
        action, created = services.action_from_finding(
            sme=sme, by=request.user, kind=kind, ref=ref, title=title, detail=request.POST.get("detail", "")
        )
        if created:
            messages.success(request, gettext("“%(title)s” is proposed in the draft plan.") % {"title": action.title})
        else:
            messages.info(request, gettext("“%(title)s” is already in the draft plan.") % {"title": action.title})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("coaching:plan_edit", slug=slug)


def plan_target(request, sme) -> str | None:
    """Registered with the toolkit: where "add to plan" posts for this SME, or None for those who may not."""
    if not scoping.can_change_sme(request.user, sme):
        return None
    return reverse("coaching:plan_add_finding", kwargs={"slug": sme.slug})


# --- Exports -----------------------------------------------------------------------------------


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def export_sme(request, slug):
    sme = _sme(request, slug)
    if not may_read_progress(request.user, sme):
        raise PermissionDenied
    smes = scoping.smes_visible_to(request.user).filter(pk=sme.pk)
    return _xlsx(exports.progress_workbook(smes, language=translation.get_language()), f"progress-{sme.slug}")


@login_required
def export_launchpad(request, code):
    launchpad = get_object_or_404(Launchpad, code=code)
    smes = scoping.smes_visible_to(request.user).filter(launchpad=launchpad)
    if not scoping.is_programme_staff(request.user):
        raise PermissionDenied
    if not smes.exists():
        raise Http404
    return _xlsx(exports.progress_workbook(smes, language=translation.get_language()), f"progress-{launchpad.code}")


# --- Calendar feed -----------------------------------------------------------------------------


@login_required
def calendar_settings(request):
    """The person's secret feed address, and a button to replace it."""
    if request.method == "POST":
        services.calendar_token_reset(user=request.user)
        messages.success(request, gettext("Your calendar address has changed: the old one no longer works."))
        return redirect("coaching:calendar")
    token = services.calendar_token(user=request.user)
    url = request.build_absolute_uri(reverse("coaching_public:feed", kwargs={"token": token}))
    return render(
        request,
        "coaching/calendar.html",
        {"feed_url": url, "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://")},
    )


def calendar_feed(request, token):
    """The subscribable feed: no sign-in, the secret token is the key."""
    user = services.calendar_user_for_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(feed_for_user(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- The panel on the SME pages ------------------------------------------------------------------


def sme_panel(request, sme) -> str:
    """Coaching at a glance on the SME pages (registered with journey.panels)."""
    summary = summaries(type(sme).objects.filter(pk=sme.pk))[0]
    with timezone.override(sme.launchpad.time_zone):
        return render_to_string(
            "coaching/sme_panel.html",
            {
                "sme": sme,
                "summary": summary,
                "plan": services.plan_current(sme),
                "alerts": [alert_text(a) for a in sme.drift_alerts.filter(resolved_at__isnull=True)],
                "can_change": scoping.can_change_sme(request.user, sme),
                "url": reverse("coaching:sme", kwargs={"slug": sme.slug}),
            },
            request=request,
        )
