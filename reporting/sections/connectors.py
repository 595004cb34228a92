"""The connectors' figures for the quarterly reviews: data sources connected, by platform, as of a date."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils.translation import gettext

from connectors.models import DataSource, SourceKind, SourceStatus
from reporting import programme as reporting


def data_tables(scope: reporting.Scope) -> list[reporting.Table]:
    """Sources added before the end of the period, per platform; and how many SMEs had at least one."""
    by_kind: dict[str, Counter] = defaultdict(Counter)
    smes: dict[str, set[int]] = defaultdict(set)
    for launchpad in scope.launchpads:
        sources = DataSource.objects.filter(sme__launchpad=launchpad, created_at__lt=scope.as_of(launchpad))
        sources = sources.exclude(status=SourceStatus.AWAITING)  # a shop not connected yet is no source
        for kind, sme_id in sources.values_list("kind", "sme_id"):
            by_kind[kind][launchpad.code] += 1
            smes[launchpad.code].add(sme_id)
    rows = [
        reporting.counts_row(scope, kind.value, kind.label, by_kind[kind.value])
        for kind in SourceKind
        if kind.value in by_kind
    ]
    rows.append(
        reporting.counts_row(
            scope, "smes", gettext("SMEs with at least one source"), {code: len(ids) for code, ids in smes.items()}
        )
    )
    return [reporting.Table(key="data_sources", title=gettext("Data sources connected, by platform"), rows=rows)]
