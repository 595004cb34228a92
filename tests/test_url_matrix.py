"""Every route × every role: the URL resolver's routes, each with a scoping decision, requested as each role.

The routes come from ``django.urls.get_resolver()``, Wagtail's admin included. Each has an
entry in ``PROJECT_ROUTES`` (who gets through, and the concrete objects it is requested
with) or in ``WAGTAIL_ROUTES`` (Wagtail's own screens: staff only). A route without an
entry fails the test: every new route needs a scoping decision here.

The cast (one small programme): Alpha Crafts, a UK SME, followed by ``am_own``; ``am_other``
is an account manager of the French launchpad; ``collaborator`` is another French account
manager with whom Alpha is shared; ``lp_manager`` manages the UK launchpad; ``sme_user``
works at Alpha. Each request must be let through (200 or a redirect that is not a refusal)
or refused (a login redirect, the admin's "no permission" redirect, 403, 404 or 405) as
the table says, and never answer 500.
"""

import datetime
import operator
import re
import uuid
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from cms.models import ContactMessage
from coaching.models import Contact, Plan, Session
from connectors.models import DataSource, SyncRun
from journey.enquiries import enquiry_submit
from learning.models import BadgeAward, BadgeClass
from learning.openbadges import issuer_key
from reporting import programme as reporting
from tests.journey.factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    SMEFactory,
    SMEUserFactory,
    answers,
)
from toolkit.models import Target

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "sme_user", "am_own", "am_other", "collaborator", "lp_manager", "coordinator")

# Who gets through, by policy (journey.scoping decides it; this table says what it decided).
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"visitor"}
STAFF = frozenset({"am_own", "am_other", "collaborator", "lp_manager", "coordinator"})
SME_READERS = frozenset({"sme_user", "am_own", "collaborator", "lp_manager", "coordinator"})
SME_STAFF_READERS = SME_READERS - {"sme_user"}
SME_EDITORS = frozenset({"am_own", "collaborator", "lp_manager"})
COMPANY_DATA_EDITORS = SME_EDITORS | {"sme_user"}
REPORT_READERS = frozenset({"lp_manager", "coordinator"})
COORDINATORS = frozenset({"coordinator"})
UK_STAFF = frozenset({"am_own", "lp_manager", "coordinator"})
NOBODY = frozenset()  # POST-only, or reached only with a secret token: a GET gets nobody through

SME = {"slug": "sme.slug"}
PROJECT_ROUTES = {
    # --- the public site and accounts
    "i18n/setlang/": (NOBODY, {}),
    "en/accounts/login/": (EVERYONE, {}),
    "en/accounts/logout/": (NOBODY, {}),
    "en/accounts/password-reset/": (EVERYONE, {}),
    "en/accounts/password-reset/sent/": (EVERYONE, {}),
    "en/accounts/password-reset/<uidb64>/<token>/": (EVERYONE, {"uidb64": "'MQ'", "token": "'set-password'"}),
    "en/accounts/password-reset/done/": (EVERYONE, {}),
    "en/_util/login/": (EVERYONE, {}),
    "en/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        NOBODY, {"page_view_restriction_id": "999999", "page_id": "999999"},
    ),
    r"en/^((?:[\w\-]+/)*)$": (EVERYONE, {"path": "''"}),
    "calendar/<str:token>.ics": (NOBODY, {"token": "'not-a-feed-token'"}),
    "connectors/webhooks/<str:token>/": (NOBODY, {"token": "'not-a-webhook-token'"}),  # signed POSTs only
    "openbadges/assertions/<uuid:uid>": (EVERYONE, {"uid": "award.uid"}),
    "openbadges/assertions/<uuid:uid>/badge.png": (EVERYONE, {"uid": "award.uid"}),
    "openbadges/assertions/<uuid:uid>/credential.jwt": (EVERYONE, {"uid": "award.uid"}),
    "openbadges/assertions/<uuid:uid>/signed.jws": (EVERYONE, {"uid": "award.uid"}),
    "openbadges/assertions/<uuid:uid>/badge-signed.png": (EVERYONE, {"uid": "award.uid"}),
    "openbadges/assertions/<uuid:uid>/verify/": (EVERYONE, {"uid": "award.uid"}),
    "openbadges/<slug:launchpad>/issuer": (EVERYONE, {"launchpad": "uk.code"}),
    "openbadges/<slug:launchpad>/badges/<slug:slug>": (EVERYONE, {"launchpad": "uk.code", "slug": "badge.slug"}),
    "openbadges/<slug:launchpad>/badges/<slug:slug>/image.png": (
        EVERYONE, {"launchpad": "uk.code", "slug": "badge.slug"},
    ),
    # Open Badges 3.0: the issuer's keys, its revocation status list and the credential's QR code are public.
    "openbadges/<slug:launchpad>/jwks.json": (EVERYONE, {"launchpad": "uk.code"}),
    "openbadges/<slug:launchpad>/keys/<uuid:uid>": (EVERYONE, {"launchpad": "uk.code", "uid": "key.uid"}),
    "openbadges/<slug:launchpad>/status/revocation": (EVERYONE, {"launchpad": "uk.code"}),
    "openbadges/<slug:launchpad>/revocations": (EVERYONE, {"launchpad": "uk.code"}),
    "openbadges/assertions/<uuid:uid>/credential-qr.svg": (EVERYONE, {"uid": "award.uid"}),
    # --- the portal: one SME's pages
    "en/portal/": (SIGNED_IN, {}),
    "en/portal/smes/<slug:slug>/": (SME_READERS, SME),
    # The staff workspace: the SME's own people read its company page instead.
    "en/portal/smes/<slug:slug>/workspace/": (SME_STAFF_READERS, SME),
    "en/portal/smes/<slug:slug>/data/": (SME_READERS, SME),
    "en/portal/smes/<slug:slug>/data/shops/": (NOBODY, SME),
    "en/portal/smes/<slug:slug>/data/upload/": (NOBODY, SME),
    "en/portal/smes/<slug:slug>/data/template.<str:fmt>": (SME_READERS, {**SME, "fmt": "'csv'"}),
    "en/portal/smes/<slug:slug>/data/sources/<int:pk>/sync/": (NOBODY, {**SME, "pk": "source.pk"}),
    "en/portal/smes/<slug:slug>/data/sources/<int:pk>/currency/": (NOBODY, {**SME, "pk": "source.pk"}),
    "en/portal/smes/<slug:slug>/data/runs/<int:pk>/": (SME_READERS, {**SME, "pk": "run.pk"}),
    "en/portal/smes/<slug:slug>/toolkit/": (SME_READERS, SME),
    "en/portal/smes/<slug:slug>/toolkit/open/": (NOBODY, SME),
    "en/portal/smes/<slug:slug>/toolkit/targets/add/": (NOBODY, SME),
    "en/portal/smes/<slug:slug>/toolkit/targets/<int:pk>/delete/": (NOBODY, {**SME, "pk": "target.pk"}),
    "en/portal/smes/<slug:slug>/toolkit/export/<str:table>.<str:fmt>": (
        SME_READERS, {**SME, "table": "'inventory_fixes'", "fmt": "'csv'"},
    ),
    "en/portal/smes/<slug:slug>/toolkit/<str:tool>/": (SME_READERS, {**SME, "tool": "'inventory'"}),
    # --- personal data (privacy): the desk, and each person's own export
    "en/portal/privacy/": (REPORT_READERS, {}),
    "en/portal/privacy/export/": (NOBODY, {}),
    "en/portal/privacy/erase/": (NOBODY, {}),
    "en/portal/privacy/my-data/": (SIGNED_IN, {}),
    "en/portal/privacy/my-data/download/<str:token>/": (NOBODY, {"token": "'not-signed'"}),
    # --- coaching
    "en/portal/coaching/calendar/": (SIGNED_IN, {}),
    # The capture mailbox: each staff member's drafts and their launchpad's triage list.
    "en/portal/coaching/captured/": (STAFF, {}),
    "en/portal/coaching/captured/<int:pk>/edit/": (NOBODY, {"pk": "999999"}),  # no such draft: 404
    "en/portal/coaching/captured/<int:pk>/attach/": (NOBODY, {"pk": "999999"}),
    "en/portal/coaching/captured/<int:pk>/confirm/": (NOBODY, {"pk": "999999"}),
    "en/portal/coaching/captured/<int:pk>/discard/": (NOBODY, {"pk": "999999"}),
    "en/portal/coaching/smes/<slug:slug>/capture/": (NOBODY, SME),
    # The launchpad's sheet holds only the SMEs the reader sees: Alpha, for its French collaborator.
    "en/portal/coaching/launchpads/<slug:code>/progress.xlsx": (SME_STAFF_READERS, {"code": "uk.code"}),
    "en/portal/coaching/smes/<slug:slug>/": (SME_READERS, SME),
    "en/portal/coaching/smes/<slug:slug>/progress.xlsx": (SME_STAFF_READERS, SME),
    "en/portal/coaching/smes/<slug:slug>/contacts/new/": (SME_EDITORS, SME),
    "en/portal/coaching/smes/<slug:slug>/contacts/<int:pk>/": (frozenset({"am_own"}), {**SME, "pk": "contact.pk"}),
    "en/portal/coaching/smes/<slug:slug>/sessions/new/": (SME_EDITORS, SME),
    "en/portal/coaching/smes/<slug:slug>/sessions/<int:pk>/": (SME_READERS, {**SME, "pk": "session.pk"}),
    "en/portal/coaching/smes/<slug:slug>/sessions/<int:pk>/edit/": (SME_EDITORS, {**SME, "pk": "session.pk"}),
    "en/portal/coaching/smes/<slug:slug>/sessions/<int:pk>/status/": (NOBODY, {**SME, "pk": "session.pk"}),
    "en/portal/coaching/smes/<slug:slug>/sessions/<int:pk>/session.ics": (SME_READERS, {**SME, "pk": "session.pk"}),
    "en/portal/coaching/smes/<slug:slug>/plan/": (SME_READERS, SME),
    # Version 1 is a draft: its editors only, until it is shared.
    "en/portal/coaching/smes/<slug:slug>/plan/v<int:version>/": (SME_EDITORS, {**SME, "version": "plan.version"}),
    "en/portal/coaching/smes/<slug:slug>/plan/v<int:version>/plan.pdf": (
        SME_EDITORS, {**SME, "version": "plan.version"},
    ),
    "en/portal/coaching/smes/<slug:slug>/plan/edit/": (SME_EDITORS, SME),
    "en/portal/coaching/smes/<slug:slug>/plan/share/": (NOBODY, SME),
    "en/portal/coaching/smes/<slug:slug>/plan/add-finding/": (NOBODY, SME),
    "en/portal/coaching/smes/<slug:slug>/plan/actions/<int:pk>/status/": (NOBODY, {**SME, "pk": "999999"}),
    "en/portal/coaching/smes/<slug:slug>/outcomes/": (SME_READERS, SME),
    "en/portal/coaching/smes/<slug:slug>/outcomes/<int:pk>/answer/": (NOBODY, {**SME, "pk": "999999"}),
    # --- learning
    # A learner's own pages: the staff follow learning from the SME's pages.
    "en/portal/learning/": (frozenset({"sme_user"}), {}),
    "en/portal/learning/badges/": (frozenset({"sme_user"}), {}),
    "en/portal/learning/smes/<slug:slug>/": (SME_READERS, SME),
    "en/portal/learning/smes/<slug:slug>/award/": (NOBODY, SME),
    "en/portal/learning/awards/<uuid:uid>/revoke/": (NOBODY, {"uid": "award.uid"}),
    # --- the admin's SME screens (journey.admin)
    # Open Badges signing keys: each launchpad manager their own launchpad's, the coordinators every one.
    "admin/signing-keys/": (REPORT_READERS, {}),
    "admin/signing-keys/<slug:code>/rotate/": (NOBODY, {"code": "uk.code"}),
    "admin/smes/": (STAFF, {}),
    "admin/smes/results/": (STAFF, {}),
    "admin/smes/new/": (STAFF - COORDINATORS, {}),
    "admin/smes/copy/<int:pk>/": (SME_EDITORS, {"pk": "sme.pk"}),
    "admin/smes/delete/<int:pk>/": (NOBODY, {"pk": "sme.pk"}),
    "admin/smes/edit/<int:pk>/": (SME_EDITORS, {"pk": "sme.pk"}),
    # Wagtail asks for the change permission on these: coordinators read the SME page instead.
    "admin/smes/history/<int:pk>/": (SME_EDITORS, {"pk": "sme.pk"}),
    "admin/smes/history-results/<int:pk>/": (SME_EDITORS, {"pk": "sme.pk"}),
    "admin/smes/usage/<int:pk>/": (SME_EDITORS, {"pk": "sme.pk"}),
    "admin/smes/inspect/<int:pk>/": (SME_STAFF_READERS, {"pk": "sme.pk"}),
    "admin/smes/transition/<int:pk>/": (NOBODY, {"pk": "sme.pk"}),
    "admin/smes/screening/<int:pk>/": (SME_EDITORS, {"pk": "sme.pk"}),
    "admin/smes/enquiry/<int:pk>/resolve/": (NOBODY, {"pk": "duplicate.pk"}),
    # --- contact messages and programme reports
    "admin/contact_messages/": (STAFF, {}),
    "admin/contact_messages/results/": (STAFF, {}),
    "admin/contact_messages/inspect/<int:pk>/": (UK_STAFF, {"pk": "message.pk"}),
    # Read-only: the list and the message itself, nothing else.
    "admin/contact_messages/history/<int:pk>/": (NOBODY, {"pk": "message.pk"}),
    "admin/contact_messages/history-results/<int:pk>/": (NOBODY, {"pk": "message.pk"}),
    "admin/contact_messages/usage/<int:pk>/": (NOBODY, {"pk": "message.pk"}),
    "admin/contact_messages/new/": (NOBODY, {}),
    "admin/contact_messages/edit/<int:pk>/": (NOBODY, {"pk": "message.pk"}),
    "admin/contact_messages/copy/<int:pk>/": (NOBODY, {"pk": "message.pk"}),
    "admin/contact_messages/delete/<int:pk>/": (NOBODY, {"pk": "message.pk"}),
    "admin/programme/": (REPORT_READERS, {}),
    "admin/programme/new/": (NOBODY, {}),
    "admin/programme/dashboard/": (REPORT_READERS, {}),
    "admin/refresh/": (STAFF, {}),
    "admin/programme/<int:pk>/": (REPORT_READERS, {"pk": "review.pk"}),
    "admin/programme/<int:pk>/edit/": (COORDINATORS, {"pk": "review.pk"}),
    "admin/programme/<int:pk>/lessons/": (NOBODY, {"pk": "review.pk"}),
    "admin/programme/<int:pk>/publish/": (NOBODY, {"pk": "review.pk"}),
    "admin/programme/<int:pk>/correct/": (NOBODY, {"pk": "review.pk"}),
    "admin/programme/<int:pk>/pdf/": (REPORT_READERS, {"pk": "review.pk"}),
    "admin/programme/<int:pk>/xlsx/": (REPORT_READERS, {"pk": "review.pk"}),
}  # fmt: skip

# Wagtail's own screens and endpoints: visitors and SME users are refused; staff never get a 500. Pages,
# images, documents, snippets and users are the programme's content and accounts, not an SME's records
# (the SME snippets and reports that are, are in PROJECT_ROUTES).
WAGTAIL_ROUTES = set(
    r"""
admin/
admin/test404/
admin/api/main/^pages/
admin/api/main/^pages/<int:pk>/
admin/api/main/^pages/find/
admin/api/main/^pages/<int:pk>/action/<str:action_name>/
admin/api/main/^documents/
admin/api/main/^documents/<int:pk>/
admin/api/main/^documents/find/
admin/api/main/^images/
admin/api/main/^images/<int:pk>/
admin/api/main/^images/find/
admin/failwhale/
admin/pages/
admin/pages/<int:parent_page_id>/
admin/pages/<int:parent_page_id>/results/
admin/bulk/<str:app_label>/<str:model_name>/<str:action>/
admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/
admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/preview/
admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/
admin/pages/create/<slug:app_label>/<slug:model_name>
admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/
admin/pages/<int:page_id>/usage/
admin/pages/<int:page_id>/edit/
admin/pages/<int:page_id>/edit/preview/
admin/pages/<int:page_id>/view_draft/
admin/pages/<int:parent_page_id>/add_subpage/
admin/pages/<int:page_id>/delete/
admin/pages/<int:page_id>/unpublish/
admin/pages/<int:page_id>/convert_alias/
admin/pages/search/
admin/pages/search/results/
admin/pages/<int:page_to_move_id>/move/
admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/
admin/pages/<int:page_to_move_id>/set_position/
admin/pages/<int:page_id>/copy/
admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/
admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/
admin/pages/workflow/confirm_cancellation/<int:page_id>/
admin/pages/workflow/preview/<int:page_id>/<int:task_id>/
admin/pages/<int:page_id>/privacy/
admin/pages/<int:page_id>/lock/
admin/pages/<int:page_id>/unlock/
admin/pages/<int:page_id>/revisions/
admin/pages/<int:page_id>/revisions/<int:revision_id>/view/
admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/
admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/
admin/pages/^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$
admin/pages/<int:page_id>/workflow_history/
admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/
admin/pages/<int:page_id>/history/
admin/pages/<int:page_id>/history/results/
admin/choose-page/
admin/choose-page/<int:parent_page_id>/
admin/choose-page/search/
admin/choose-page/chosen-multiple/
admin/choose-external-link/
admin/choose-email-link/
admin/choose-phone-link/
admin/choose-anchor-link/
admin/tag-autocomplete/
admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/
admin/collections/
admin/collections/add/
admin/collections/<int:pk>/
admin/collections/<int:pk>/delete/
admin/collections/<int:collection_id>/privacy/
admin/workflows/list/
admin/workflows/list/results/
admin/workflows/add/
admin/workflows/enable/<int:pk>/
admin/workflows/disable/<int:pk>/
admin/workflows/edit/<int:pk>/
admin/workflows/usage/<int:pk>/
admin/workflows/usage/<int:pk>/results/
admin/workflows/remove/<int:page_pk>/
admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/
admin/workflows/tasks/add/<str:app_label>/<str:model_name>/
admin/workflows/tasks/select_type/
admin/workflows/tasks/index/
admin/workflows/tasks/index/results/
admin/workflows/tasks/edit/<int:pk>/
admin/workflows/tasks/disable/<int:pk>/
admin/workflows/tasks/enable/<int:pk>/
admin/workflows/task_chooser/
admin/workflows/task_chooser/results/
admin/workflows/task_chooser/create/
admin/workflows/task_chooser/<int:task_id>/
admin/reports/locked/
admin/reports/locked/results/
admin/reports/workflow/
admin/reports/workflow/results/
admin/reports/workflow_tasks/
admin/reports/workflow_tasks/results/
admin/reports/site-history/
admin/reports/site-history/results/
admin/reports/aging-pages/
admin/reports/aging-pages/results/
admin/reports/page-types-usage/
admin/reports/page-types-usage/results/
admin/account/
admin/logout/
admin/dismissibles/
admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/<int:session_id>/
admin/editing-sessions/release/<int:session_id>/
admin/block-preview/
admin/pages/(?P<page_id>\d+)/edit/copy_translation_content/$
admin/forms/
admin/forms/results/
admin/forms/submissions/<int:page_id>/
admin/forms/submissions/<int:page_id>/results/
admin/forms/submissions/<int:page_id>/delete/
admin/redirects/
admin/redirects/results/
admin/redirects/add/
admin/redirects/<int:redirect_id>/
admin/redirects/<int:redirect_id>/delete/
admin/redirects/import/
admin/redirects/import/process/
admin/settings/<slug:app_name>/<slug:model_name>/
admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/
admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/
admin/embeds/chooser/
admin/embeds/chooser/upload/
admin/snippets/
admin/documents/
admin/documents/results/
admin/documents/add/
admin/documents/edit/<int:document_id>/
admin/documents/delete/<int:document_id>/
admin/documents/multiple/add/
admin/documents/multiple/<int:doc_id>/
admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/
admin/documents/multiple/<int:doc_id>/delete/
admin/documents/multiple/delete_upload/<int:uploaded_file_id>/
admin/documents/usage/<int:document_id>/
admin/images/
admin/images/results/
admin/images/<int:image_id>/
admin/images/<int:image_id>/delete/
admin/images/<int:image_id>/generate_url/
admin/images/<int:image_id>/generate_url/output/
admin/images/<int:image_id>/preview/<str:filter_spec>/
admin/images/add/
admin/images/usage/<int:image_id>/
admin/images/multiple/add/
admin/images/multiple/<int:image_id>/
admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/
admin/images/multiple/<int:image_id>/delete/
admin/images/multiple/delete_upload/<int:uploaded_file_id>/
admin/snippets/learning/badgeclass/
admin/snippets/learning/badgeclass/results/
admin/snippets/learning/badgeclass/add/
admin/snippets/learning/badgeclass/edit/<int:pk>/
admin/snippets/learning/badgeclass/delete/<int:pk>/
admin/snippets/learning/badgeclass/usage/<int:pk>/
admin/snippets/learning/badgeclass/history/<int:pk>/
admin/snippets/learning/badgeclass/history-results/<int:pk>/
admin/snippets/learning/badgeclass/copy/<int:pk>/
admin/snippets/choose/learning/badgeclass/
admin/snippets/choose/learning/badgeclass/results/
admin/snippets/choose/learning/badgeclass/chosen/<str:pk>/
admin/snippets/choose/learning/badgeclass/chosen-multiple/
admin/snippets/choose/learning/badgeclass/create/
admin/snippets/connectors/exchangerate/
admin/snippets/connectors/exchangerate/results/
admin/snippets/connectors/exchangerate/add/
admin/snippets/connectors/exchangerate/edit/<int:pk>/
admin/snippets/connectors/exchangerate/delete/<int:pk>/
admin/snippets/connectors/exchangerate/usage/<int:pk>/
admin/snippets/connectors/exchangerate/history/<int:pk>/
admin/snippets/connectors/exchangerate/history-results/<int:pk>/
admin/snippets/connectors/exchangerate/copy/<int:pk>/
admin/snippets/choose/connectors/exchangerate/
admin/snippets/choose/connectors/exchangerate/results/
admin/snippets/choose/connectors/exchangerate/chosen/<str:pk>/
admin/snippets/choose/connectors/exchangerate/chosen-multiple/
admin/snippets/choose/connectors/exchangerate/create/
admin/snippets/cms/resource/
admin/snippets/cms/resource/results/
admin/snippets/cms/resource/add/
admin/snippets/cms/resource/edit/<int:pk>/
admin/snippets/cms/resource/delete/<int:pk>/
admin/snippets/cms/resource/usage/<int:pk>/
admin/snippets/cms/resource/history/<int:pk>/
admin/snippets/cms/resource/history-results/<int:pk>/
admin/snippets/cms/resource/copy/<int:pk>/
admin/snippets/choose/cms/resource/
admin/snippets/choose/cms/resource/results/
admin/snippets/choose/cms/resource/chosen/<str:pk>/
admin/snippets/choose/cms/resource/chosen-multiple/
admin/snippets/choose/cms/resource/create/
admin/sites/
admin/sites/results/
admin/sites/new/
admin/sites/edit/<int:pk>/
admin/sites/delete/<int:pk>/
admin/sites/history/<int:pk>/
admin/sites/history-results/<int:pk>/
admin/sites/usage/<int:pk>/
admin/sites/copy/<int:pk>/
admin/users/
admin/users/results/
admin/users/new/
admin/users/edit/<int:pk>/
admin/users/delete/<int:pk>/
admin/users/history/<int:pk>/
admin/users/history-results/<int:pk>/
admin/users/usage/<int:pk>/
admin/users/copy/<int:pk>/
admin/groups/
admin/groups/results/
admin/groups/new/
admin/groups/edit/<int:pk>/
admin/groups/delete/<int:pk>/
admin/groups/history/<int:pk>/
admin/groups/history-results/<int:pk>/
admin/groups/usage/<int:pk>/
admin/documents/chooser/
admin/documents/chooser/results/
admin/documents/chooser/chosen/<str:pk>/
admin/documents/chooser/chosen-multiple/
admin/documents/chooser/create/
admin/images/chooser/
admin/images/chooser/results/
admin/images/chooser/chosen/<str:pk>/
admin/images/chooser/chosen-multiple/
admin/images/chooser/create/
admin/images/chooser/<int:image_id>/select_format/
admin/sprite/
admin/login/
admin/password_reset/
admin/password_reset/done/
admin/password_reset/confirm/<uidb64>/<token>/
admin/password_reset/complete/
admin/jsi18n/
admin/^.*/$
documents/^(\d+)/(.*)$
documents/authenticate_with_password/<int:restriction_id>/
sitemap.xml
""".split()
)
# Wagtail's routes that the public reaches by design (True), or that answer a missing object (None: no 500 only).
WAGTAIL_PUBLIC = {
    "sitemap.xml": True,
    "admin/login/": True,
    "admin/password_reset/": True,
    "admin/password_reset/done/": True,
    "admin/password_reset/confirm/<uidb64>/<token>/": True,
    "admin/password_reset/complete/": True,
    "admin/jsi18n/": True,
    "admin/sprite/": True,
    r"documents/^(\d+)/(.*)$": None,
    "documents/authenticate_with_password/<int:restriction_id>/": None,
}
# Wagtail's page for trying out the admin's error page fails on purpose. Copying a translation's content
# from a page that does not exist answers 500 in Wagtail 8 itself (staff only; no data shown): left to Wagtail.
WAGTAIL_NOT_REQUESTED = {"admin/failwhale/", r"admin/pages/(?P<page_id>\d+)/edit/copy_translation_content/$"}
WAGTAIL_CONCRETE = {
    (
        r"admin/pages/^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)"
        r"\.\.\.(?P<revision_id_b>live|latest|\d+)/$"
    ): "/admin/pages/999999/revisions/compare/earliest...latest/",
    r"admin/pages/(?P<page_id>\d+)/edit/copy_translation_content/$": (
        "/admin/pages/999999/edit/copy_translation_content/"
    ),
    r"documents/^(\d+)/(.*)$": "/documents/999999/missing.pdf",
}  # fmt: skip
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
PLACEHOLDERS = {"int": "999999", "uuid": str(uuid.UUID(int=0)), "path": "x"}
# Ids of an object that does not exist, whatever their converter (Wagtail's choosers take them as text).
PLACEHOLDER_IDS = {"pk", "id", "page_id", "image_id", "document_id", "revision_id"}


def routes(patterns=None, prefix=""):
    """Every route of the resolver, as its full pattern text."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def concrete(route: str, values: dict) -> str:
    if route in WAGTAIL_CONCRETE:
        return WAGTAIL_CONCRETE[route]
    if route == r"en/^((?:[\w\-]+/)*)$":
        return "/en/"

    def value(match):
        if match["name"] in values:
            return str(values[match["name"]])
        if match["name"] in PLACEHOLDER_IDS:
            return "999999"
        return PLACEHOLDERS.get(match["kind"] or "str", "x")

    path = CONVERTER.sub(value, route)
    path = path.replace("^", "").replace("$", "")  # the anchors of Wagtail's API routes (re_path)
    assert "(" not in path, f"give {route!r} a concrete path in WAGTAIL_CONCRETE"
    return f"/{path}"


def _value(expr: str, objects):
    """A table's value: 'text' as written, digits as they are, or an attribute of the fixture's objects."""
    if expr.startswith("'") or expr.isdigit():
        return expr.strip("'")
    return operator.attrgetter(expr)(objects)


def outcome(response) -> str:
    """ "through", "refused" or "error" (a 5xx)."""
    if response.status_code >= 500:
        return "error"
    if response.status_code in (401, 403, 404, 405, 410):
        return "refused"
    if response.status_code in (301, 302, 303, 307):
        location = response["Location"]
        # The login page, or the admin's "you do not have permission" (a redirect to its home).
        path = response.wsgi_request.path
        if "login" in location or (path.startswith("/admin/") and path != "/admin/" and location == "/admin/"):
            return "refused"
        if location in (f"/en{path}", f"/fr{path}"):  # LocaleMiddleware's answer to a 404 outside i18n_patterns
            return "refused"
    return "through"


@pytest.fixture
def cast(home_page):
    uk = LaunchpadFactory()
    fr = LaunchpadFactory(france=True, programme=uk.programme)
    am_own = AccountManagerFactory(launchpad=uk)
    collaborator = AccountManagerFactory(launchpad=fr)
    sme = SMEFactory(name="Alpha Crafts", launchpad=uk, primary_account_manager=am_own)
    sme.collaborators.add(collaborator)
    people = {
        "visitor": None,
        "sme_user": SMEUserFactory(sme=sme),
        "am_own": am_own,
        "am_other": AccountManagerFactory(launchpad=fr),
        "collaborator": collaborator,
        "lp_manager": LaunchpadManagerFactory(launchpad=uk),
        "coordinator": CoordinatorFactory(),
    }
    first = enquiry_submit(answers=answers(), language="en")
    first.sme.primary_account_manager = am_own
    first.sme.save()
    source = DataSource.objects.create(sme=sme, kind="file")
    badge = BadgeClass.objects.create(
        slug="first-steps", name_en="First steps", description_en="d", criteria_text_en="c"
    )
    objects = SimpleNamespace(
        uk=uk,
        sme=sme,
        source=source,
        run=SyncRun.objects.create(source=source, trigger="upload"),
        target=Target.objects.create(sme=sme, metric="sales", value=100, due=datetime.date(2027, 1, 1)),
        contact=Contact.objects.create(sme=sme, channel="phone", summary="Called.", author=am_own),
        session=Session.objects.create(
            sme=sme, kind="first_consultation", starts_at=timezone.now() + datetime.timedelta(days=3), organiser=am_own
        ),
        plan=Plan.objects.create(sme=sme, version=1, title="Plan", created_by=am_own),
        badge=badge,
        award=BadgeAward.objects.create(badge_class=badge, sme=sme, recipient_email="a@alpha.test", salt="s"),
        message=ContactMessage.objects.create(launchpad=uk, name="Ann", email="a@b.test", message="Hi", language="en"),
        review=reporting.review_create(uk.programme, 2),
        duplicate=enquiry_submit(answers=answers(), language="en").enquiry,
        key=issuer_key(uk),
    )
    return people, objects


def test_every_route_has_a_scoping_decision():
    """A new route fails here until it is given its entry (who gets through) in this file."""
    missing = sorted(set(routes()) - set(PROJECT_ROUTES) - WAGTAIL_ROUTES)
    assert not missing, "Routes without a scoping decision in tests/test_url_matrix.py:\n" + "\n".join(missing)
    gone = sorted((set(PROJECT_ROUTES) | WAGTAIL_ROUTES) - set(routes()))
    assert not gone, "Entries for routes that no longer exist:\n" + "\n".join(gone)


def test_every_route_lets_through_exactly_the_roles_its_entry_names(cast):
    people, objects = cast
    clients = {}
    for role, user in people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[role] = client
    wrong = []
    for route in routes():
        if route in PROJECT_ROUTES:
            allowed, values = PROJECT_ROUTES[route]
            url = concrete(route, {name: _value(expr, objects) for name, expr in values.items()})
            checks = {role: role in allowed for role in ROLES}
        else:
            url = concrete(route, {})
            if route in WAGTAIL_NOT_REQUESTED:
                continue
            public = WAGTAIL_PUBLIC.get(route, False)
            # The boundary of Wagtail's admin: no visitor or SME user; staff are Wagtail's to scope (no 500).
            checks = {"visitor": public, "sme_user": public, "am_other": None}
        for role, through in checks.items():
            client = clients[role]
            if "logout" in route:  # signs the shared client out: a client of its own
                client = Client(raise_request_exception=False)
                if people[role] is not None:
                    client.force_login(people[role])
            response = client.get(url)
            got = outcome(response)
            if got == "error" or (through is not None and got != ("through" if through else "refused")):
                answer = f"{response.status_code} {response.get('Location', '')}".strip()
                wrong.append(f"{role:13} {url}: {got} ({answer}), expected {'through' if through else 'refused'}")
    assert not wrong, f"{len(wrong)} route × role answers differ from the table:\n" + "\n".join(wrong)
