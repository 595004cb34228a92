"""Outcomes on the SME's pages: the question to the SME, its answer, and the month-by-month figures."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from journey import scoping
from journey.formatting import format_money

from .models import OutcomeAnswer, OutcomeEvent, OutcomeKind, SalesChannel, TargetMarket, TrackedMarket
from .outcomes import RESTOCKED, MarketOutcome, market_outcomes, outcome_answer

ANSWERS = [OutcomeAnswer.CONFIRMED, OutcomeAnswer.ANYWAY, OutcomeAnswer.NOT_NEW]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Did the programme help?"),
        choices=[
            (OutcomeAnswer.CONFIRMED, _("Yes, the programme helped")),
            (OutcomeAnswer.ANYWAY, _("This would have happened anyway")),
            (OutcomeAnswer.NOT_NEW, _("This is not a new market for us")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A note (optional): what made the difference?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def question(event: OutcomeEvent) -> str:
    """ "We noticed your first orders from Germany — did the programme help?" in the active language."""
    market = event.market
    country = market.country_label
    channel = "" if market.sales_channel == SalesChannel.ANY else market.get_sales_channel_display()
    if event.kind == OutcomeKind.FIRST_SALE:
        text = (
            gettext("We noticed your first orders from %(country)s (%(channel)s) — did the programme help?")
            if channel
            else gettext("We noticed your first orders from %(country)s — did the programme help?")
        )
    else:
        text = (
            gettext("You have sold in %(country)s (%(channel)s) three months running — did the programme help?")
            if channel
            else gettext("You have sold in %(country)s three months running — did the programme help?")
        )
    return text % {"country": country, "channel": channel}


def figures_text(event: OutcomeEvent) -> str:
    """The figures the orders give, offered with the question (so nobody types them)."""
    if event.kind == OutcomeKind.FIRST_SALE:
        return gettext("First order on %(date)s; in %(month)s: %(orders)s, %(sales)s net sales.") % {
            "date": _day(timezone.localtime(event.occurred_at).date()),
            "month": _month(event.month),
            "orders": _orders(event.orders),
            "sales": format_money(event.net_sales, event.currency),
        }
    return gettext("Over the three months to %(month)s: %(orders)s, %(sales)s net sales.") % {
        "month": _month(event.month),
        "orders": _orders(event.orders),
        "sales": format_money(event.net_sales, event.currency),
    }


def new_customers_text(count: int | None) -> str:
    """ "2 new customers", or "new customers not known" when the SME's orders never say who ordered."""
    if count is None:
        return gettext("new customers not known")
    return ngettext("%(count)s new customer", "%(count)s new customers", count) % {"count": count}


def since_text(outcome: MarketOutcome | None) -> str:
    """The market's figures since the plan was shared: orders, net sales and new customers."""
    if outcome is None:
        return ""
    market = outcome.market
    return gettext("Since the plan was shared on %(date)s: %(orders)s, %(sales)s net sales, %(customers)s.") % {
        "date": _day(timezone.localtime(market.tracked_since).date()),
        "orders": _orders(outcome.orders),
        "sales": format_money(outcome.net_sales, market.currency),
        "customers": new_customers_text(outcome.new_customers),
    }


def outcomes_by_market(smes) -> dict[int, MarketOutcome]:
    """Tracked market id → its outcome since sharing, for ``smes`` (one set of aggregates)."""
    return {outcome.market.pk: outcome for rows in market_outcomes(smes).values() for outcome in rows}


def _orders(count: int) -> str:
    return ngettext("%(count)s order", "%(count)s orders", count) % {"count": count}


def _day(day) -> str:
    from django.utils import formats

    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _month(day) -> str:
    from django.utils import formats

    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def _event_rows(events, *, with_form: bool, outcomes: dict | None = None):
    outcomes = outcomes or {}
    return [
        {
            "event": event,
            "question": question(event),
            "figures": figures_text(event),
            "since": since_text(outcomes.get(event.market_id)),
            "form": AnswerForm(prefix=f"o{event.pk}") if with_form else None,
            "url": reverse("coaching:outcome_answer", kwargs={"slug": event.sme.slug, "pk": event.pk}),
        }
        for event in events
    ]


def outcomes_panel(request, sme) -> str:
    """On the SME's page (journey.panels): the outcomes waiting for the SME's answer, the answers given,
    and for staff the markets whose country still needs choosing."""
    events = list(OutcomeEvent.objects.filter(sme=sme).select_related("market", "sme").order_by("-occurred_at"))
    own = scoping.can_confirm_outcomes(request.user, sme)
    review = []
    if scoping.can_change_sme(request.user, sme):
        review = list(
            TargetMarket.objects.filter(plan__sme=sme, plan__status__in=["draft", "shared"], country="").exclude(
                country_text=""
            )
        )
    if not events and not review and not TrackedMarket.objects.filter(sme=sme).exists():
        return ""
    waiting = [e for e in events if e.answer == OutcomeAnswer.UNCONFIRMED]
    answered = [e for e in events if e.answer != OutcomeAnswer.UNCONFIRMED]
    figures = outcomes_by_market(type(sme).objects.filter(pk=sme.pk)) if events else {}
    with timezone.override(sme.launchpad.time_zone):
        return render_to_string(
            "coaching/outcomes_panel.html",
            {
                "sme": sme,
                "own": own,
                "waiting": _event_rows(waiting, with_form=own, outcomes=figures),
                "answered": _event_rows(answered, with_form=False, outcomes=figures),
                "review": review,
                "url": reverse("coaching:outcomes", kwargs={"slug": sme.slug}),
                "edit_url": reverse("coaching:plan_edit", kwargs={"slug": sme.slug}),
            },
            request=request,
        )


def _sme(request, slug):
    return get_object_or_404(scoping.smes_visible_to(request.user).select_related("launchpad"), slug=slug)


@login_required
def outcomes(request, slug):
    """The SME's target markets month by month since the plan was shared, against their baselines."""
    sme = _sme(request, slug)
    rows = market_outcomes(type(sme).objects.filter(pk=sme.pk)).get(sme.pk, [])
    events = {}
    for event in OutcomeEvent.objects.filter(sme=sme).select_related("market", "sme"):
        events.setdefault(event.market_id, []).append(event)
    with timezone.override(sme.launchpad.time_zone):
        return render(
            request,
            "coaching/outcomes.html",
            {
                "sme": sme,
                "markets": [
                    {"outcome": outcome, "events": events.get(outcome.market.pk, []), "months": outcome.months[::-1]}
                    for outcome in rows
                ],
                "currency": sme.launchpad.currency,
            },
        )


@login_required
@require_POST
def answer(request, slug, pk):
    """The SME's answer to "did the programme help?"."""
    sme = _sme(request, slug)
    event = get_object_or_404(OutcomeEvent.objects.select_related("market"), sme=sme, pk=pk)
    if not scoping.can_confirm_outcomes(request.user, sme):
        raise PermissionDenied
    form = AnswerForm(request.POST, prefix=f"o{event.pk}")
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the answers."))
    else:
        try:
            outcome_answer(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("Thank you: your answer is recorded."))
    return redirect("journey:sme_detail", slug=sme.slug)


# --- The SME workspace's timeline (journey.workspace) -----------------------------------------------


def _outcome_events(sme, limit: int):
    from journey import workspace

    from .models import ActionStatusChange

    url = reverse("coaching:outcomes", kwargs={"slug": sme.slug})
    events = [
        workspace.Event(
            at=event.occurred_at,
            kind="outcome",
            title=gettext("%(outcome)s: %(market)s")
            % {"outcome": event.get_kind_display(), "market": event.market.country_label},
            detail=f"{figures_text(event)} {event.get_answer_display()}",
            url=url,
        )
        for event in OutcomeEvent.objects.filter(sme=sme)
        .select_related("market")
        .order_by("-occurred_at", "-pk")[:limit]
    ]
    closed = (
        ActionStatusChange.objects.filter(action__plan__sme=sme, automatic=True)
        .select_related("action")
        .order_by("-at", "-pk")[:limit]
    )
    events += [
        workspace.Event(
            at=change.at,
            kind="outcome",
            title=gettext("Action closed automatically: %(title)s") % {"title": change.action.title},
            detail=gettext("The latest sync shows this strong product back in stock.")
            if change.note == RESTOCKED
            else gettext("The latest sync shows the toolkit finding fixed."),
            url=reverse("coaching:plan", kwargs={"slug": sme.slug}),
        )
        for change in closed
    ]
    return sorted(events, key=lambda e: e.at, reverse=True)[:limit]


def _outcome_count(sme) -> int:
    from .models import ActionStatusChange

    return (
        OutcomeEvent.objects.filter(sme=sme).count()
        + ActionStatusChange.objects.filter(action__plan__sme=sme, automatic=True).count()
    )


def timeline_kinds() -> list:
    """The workspace timeline's outcome events and the actions a sync closed (the ``TIMELINE_KINDS`` hook)."""
    from journey import workspace

    return [
        workspace.TimelineKind(
            "outcome", _("Outcomes and actions closed by a sync"), _outcome_events, _outcome_count, order=45
        )
    ]
