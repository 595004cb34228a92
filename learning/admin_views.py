"""The admin's "Signing keys" screen: a launchpad's Open Badges signing keys, and their rotation.

What ``manage.py rotate_issuer_key`` does, for the launchpad managers (their own launchpad) and
the coordinators (every launchpad), as ``journey.scoping`` decides: the active key is retired
and the next one created; retired keys stay published (their JWK at their ``kid`` address and
in the launchpad's JWKS), so credentials they signed keep verifying.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from journey import scoping

from . import openbadges


def _launchpads(request):
    launchpads = scoping.launchpads_whose_issuer_keys_rotate(request.user)
    if not launchpads.exists():
        raise PermissionDenied
    return launchpads


def issuer_keys(request):
    """Each launchpad the user may rotate: its keys (active first), their addresses, and the rotate button."""
    rows = []
    for launchpad in _launchpads(request):
        keys = sorted(openbadges.issuer_keys(launchpad), key=lambda key: (key.retired_at is not None, -key.pk))
        rows.append(
            {
                "launchpad": launchpad,
                "jwks_url": openbadges.jwks_url(launchpad),
                "keys": [{"key": key, "url": openbadges.key_url(key)} for key in keys],
            }
        )
    return TemplateResponse(
        request,
        "learning/admin/issuer_keys.html",
        {"page_title": gettext("Signing keys"), "header_icon": "key", "rows": rows},
    )


@require_POST
def issuer_key_rotate(request, code: str):
    """Retire the launchpad's active keys (Ed25519 and RSA) and create the next ones (the old ones stay published)."""
    launchpad = get_object_or_404(_launchpads(request), code=code)
    key = openbadges.issuer_key_rotate(launchpad)
    messages.success(
        request,
        gettext(
            "%(launchpad)s: the signing keys were rotated. New badges are signed with the new keys; what was "
            "signed before keeps verifying with the old ones, which stay published."
        )
        % {"launchpad": launchpad.name},
        extra_tags=str(key.uid),
    )
    return redirect("issuer_keys:list")
