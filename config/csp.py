"""The Content-Security-Policy middleware: django-csp's, with the one exception the Wagtail admin needs.

Our pages run scripts only from our origin or inline with the response's nonce. Wagtail 8's
admin still renders a few inline scripts from widget and panel templates (date pickers,
inline panels, multiple choosers) without the request, so they cannot carry a nonce: under
the admin's prefix, scripts may be inline (and no nonce is sent, since a nonce would make
browsers ignore 'unsafe-inline'). Everything else in the policy is the same everywhere.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not request.path.startswith(ADMIN_PREFIX):
            return parts
        replace = {**(parts.replace or {}), "script-src": [SELF, "'unsafe-inline'"]}
        return PolicyParts(parts.config, parts.update, replace, None)
