"""The quarterly review's "Outcomes" section: what the SMEs' own orders show of their new markets.

The figures come from ``coaching.outcomes`` (baselines, events and the SMEs' answers); this module
only lays them out as the review's tables.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext

from coaching.models import OutcomeAnswer, OutcomeEvent, OutcomeKind, TrackedMarket
from coaching.outcomes import CENT, ZERO, _pct, answers_at, markets_new_customers, markets_window_totals
from journey.formatting import format_money
from toolkit.analyses.readiness import DAYS_PER_MONTH, GOOD

from .. import programme as reporting


def _pct_text(current: Decimal, previous: Decimal) -> str:
    from django.utils import formats

    change = _pct(current, previous)
    return "—" if change is None else f"{formats.number_format(change, 1, use_l10n=True, force_grouping=True)} %"


def outcome_tables(scope) -> list:
    """The review's outcome figures for ``scope`` (``reporting.programme.Scope``), as the logs give them at its end.

    Events count once they had happened in the orders (``occurred_at``) by the end of the period, with
    the SME's answer as it stood then; net sales are the orders placed and refunds made in the period
    in markets followed by then. Every figure is per launchpad (its own currency), and markets whose
    baseline was frozen on thin data are counted and flagged.
    """
    sme_rows = defaultdict(dict)
    market_rows = defaultdict(dict)
    sales_rows, baseline_rows = [], []
    for launchpad in scope.launchpads:
        code, start, end = launchpad.code, scope.period_start(launchpad), scope.as_of(launchpad)
        events = list(
            OutcomeEvent.objects.filter(sme__launchpad=launchpad, occurred_at__lt=end).select_related("market")
        )
        answers = answers_at(events, end - datetime.timedelta(microseconds=1))
        first = [e for e in events if e.kind == OutcomeKind.FIRST_SALE]
        established = [e for e in events if e.kind == OutcomeKind.ESTABLISHED]
        thin = {e.pk for e in events if e.market.readiness_level != GOOD}
        sme_rows["smes_first_sale"][code] = len({e.sme_id for e in first})
        sme_rows["smes_first_sale_quarter"][code] = len({e.sme_id for e in first if e.occurred_at >= start})
        sme_rows["smes_first_sale_thin"][code] = len({e.sme_id for e in first if e.pk in thin})
        for kind, chosen in (("first", first), ("established", established)):
            market_rows[f"{kind}_quarter"][code] = sum(1 for e in chosen if e.occurred_at >= start)
            for answer in OutcomeAnswer.values:
                market_rows[f"{kind}_{answer}"][code] = sum(1 for e in chosen if answers[e.pk] == answer)
            market_rows[f"{kind}_thin"][code] = sum(1 for e in chosen if e.pk in thin)

        # New-market net sales in the quarter, by the SME's answer at the end of it.
        money = defaultdict(lambda: ZERO)
        followed = TrackedMarket.objects.filter(sme__launchpad=launchpad, tracked_since__lt=end)
        totals = markets_window_totals(followed, start=start, end=end)
        sme_rows["new_customers_quarter"][code] = markets_new_customers(followed, start=start, end=end)
        for event in first:
            sales = totals.get(event.market_id, (ZERO, 0))[0]
            money[answers[event.pk]] += sales
            if event.pk in thin:
                money["thin"] += sales
        currency = launchpad.currency
        sales_rows.append(
            reporting.Row(
                key=code, label=str(launchpad.name), launchpad=code,
                cells=[str(launchpad.name), format_money(money[OutcomeAnswer.CONFIRMED], currency),
                       format_money(money[OutcomeAnswer.UNCONFIRMED], currency),
                       format_money(money[OutcomeAnswer.ANYWAY], currency), format_money(money["thin"], currency)],
            )
        )  # fmt: skip

        # Every followed market against its baseline, for the part of the quarter it was followed.
        for label, good_only in (
            (gettext("All followed markets"), False),
            (gettext("Only markets with good data"), True),
        ):
            current = expected = ZERO
            counted = flagged = 0
            for market in followed:
                if good_only and market.readiness_level != GOOD:
                    continue
                since = max(start, market.tracked_since)
                current += totals.get(market.pk, (ZERO, 0))[0]
                if market.baseline_months > 0:
                    months = Decimal(str((end - since).total_seconds() / 86400 / DAYS_PER_MONTH))
                    expected += market.baseline_sales / market.baseline_months * months
                counted += 1
                flagged += market.readiness_level != GOOD
            baseline_rows.append(
                reporting.Row(
                    key=f"{code}-{'good' if good_only else 'all'}", label=str(launchpad.name), launchpad=code,
                    cells=[str(launchpad.name), label, str(counted), str(flagged), format_money(current, currency),
                           format_money(expected.quantize(CENT), currency), _pct_text(current, expected)],
                )
            )  # fmt: skip

    def counts(rows, key, label):
        return reporting.counts_row(scope, key, label, rows[key])

    answers_labels = {
        OutcomeAnswer.CONFIRMED: gettext("… confirmed by the SME: the programme helped"),
        OutcomeAnswer.UNCONFIRMED: gettext("… not confirmed yet (not counted as wins)"),
        OutcomeAnswer.ANYWAY: gettext("… would have happened anyway"),
        OutcomeAnswer.NOT_NEW: gettext("… not a new market, says the SME"),
    }
    first_rows = [
        counts(
            sme_rows,
            "smes_first_sale",
            gettext("SMEs with a first sale in a new target market, by the end of the quarter"),
        ),
        counts(sme_rows, "smes_first_sale_quarter", gettext("… of which in the quarter")),
        counts(sme_rows, "smes_first_sale_thin", gettext("… of which with thin data when the baseline was frozen")),
        counts(market_rows, "first_quarter", gettext("New markets with a first sale in the quarter")),
        *[counts(market_rows, f"first_{answer}", label) for answer, label in answers_labels.items()],
        counts(
            sme_rows,
            "new_customers_quarter",
            gettext("New customers in the target markets in the quarter (where the orders say who ordered)"),
        ),
    ]
    established_rows = [
        counts(market_rows, "established_quarter", gettext("Markets established in the quarter")),
        *[counts(market_rows, f"established_{answer}", label) for answer, label in answers_labels.items()],
        counts(market_rows, "established_thin", gettext("… of which with thin data when the baseline was frozen")),
    ]
    return [
        reporting.Table(
            key="outcomes_first_sales",
            title=gettext("First sales in new target markets"),
            rows=first_rows,
            note=gettext(
                "A new market is a target market of a shared plan with no order in its baseline (the 12 months "
                "before sharing). Only the SME's own confirmation makes an outcome a win."
            ),
        ),
        reporting.Table(
            key="outcomes_established",
            title=gettext("Markets established (three consecutive months with sales)"),
            rows=established_rows,
        ),
        reporting.Table(
            key="outcomes_sales",
            title=gettext("Net sales in new markets in the quarter"),
            kind="list",
            columns=[
                gettext("Launchpad"),
                gettext("Confirmed"),
                gettext("Not confirmed yet"),
                gettext("Would have happened anyway"),
                gettext("Of which with thin data"),
            ],
            rows=sales_rows,
            note=gettext(
                "Net sales exclude tax and are net of discounts and refunds, in each launchpad's currency. "
                "Markets the SME says are not new are left out."
            ),
        ),
        reporting.Table(
            key="outcomes_baselines",
            title=gettext("Target markets against their baselines"),
            kind="list",
            columns=[
                gettext("Launchpad"),
                gettext("Markets"),
                gettext("Followed"),
                gettext("With thin data"),
                gettext("Net sales in the quarter"),
                gettext("Baseline for the same time"),
                gettext("Change"),
            ],
            rows=baseline_rows,
            note=gettext(
                "The baseline for the same time is the baseline's monthly average over the part of the quarter "
                "each market was followed. With thin data (under three months of orders when the plan was "
                "shared) a baseline is an estimate: the second line leaves those markets out."
            ),
        ),
    ]
