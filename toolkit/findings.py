"""Where a toolkit finding (an opportunity, a fix-list item, a market) can be sent: the plan.

The toolkit sits below coaching, so it cannot import the plan. Coaching registers the
target under the ``PLAN_TARGET`` hook (``journey.hooks``) in its ``wagtail_hooks.py``;
until something is registered, the toolkit's pages show no "add to
plan" button at all — never a dead one.

A target is a callable ``(request, sme) -> str | None``: the URL the toolkit's "add to
plan" form posts to for this SME, or ``None`` when this user may not add to the SME's
plan. The form posts these fields (see ``finding_fields``): ``kind`` (one of
``FINDING_KINDS``), ``ref`` (a stable key of the finding within its kind, e.g. the SKU or
the country code), ``title`` and ``detail`` (plain text in the reader's language) and
``next`` (the page to return to).
"""

from __future__ import annotations

from django.http import HttpRequest

from journey import hooks
from journey.models import SME

FINDING_KINDS = ("opportunity", "fix", "market")


def plan_url(request: HttpRequest, sme: SME) -> str | None:
    """The URL "add to plan" posts to for this SME and user, or None: then show no button."""
    for target in hooks.get(hooks.PLAN_TARGET):
        url = target(request, sme)
        if url:
            return url
    return None


def finding_fields(*, kind: str, ref: str, title: str, detail: str = "") -> dict[str, str]:
    """The hidden fields of one "add to plan" form."""
    if kind not in FINDING_KINDS:
        raise ValueError(f"Unknown finding kind {kind!r}")
    return {"kind": kind, "ref": str(ref), "title": title, "detail": detail}
