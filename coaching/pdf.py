"""The new-market entry plan as a PDF (WeasyPrint), in the reader's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Plan


def plan_pdf_bytes(plan: Plan, *, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language), timezone.override(plan.sme.launchpad.time_zone):
        html = render_to_string(
            "coaching/plan_pdf.html",
            {"plan": plan, "sme": plan.sme, "markets": plan.markets.all(), "actions": plan.actions.all(),
             "language": language},
        )  # fmt: skip
    return HTML(string=html).write_pdf()
