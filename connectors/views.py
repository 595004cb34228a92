"""The SME's data page: sources, syncs with their progress and errors, connecting a shop."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from journey import scoping
from journey.models import SME

from . import progress
from .base import ConnectorError
from .conditions import MIN_DAYS_OF_ORDERS, order_data_days
from .forms import ShopCurrencyForm, ShopSourceForm, chosen_kind, shop_kinds
from .models import DataSource, Order, ProductAnalytics, SourceKind, SourceStatus, SyncRun
from .registry import connector_for
from .restapi import Unreachable, unreachable_message
from .services import (
    analytics_source_add,
    file_upload_import,
    file_upload_queue,
    source_add,
    source_arrivals,
    source_currency_set,
    source_sync_request,
    upload_too_large_message,
)
from .uploads import UploadLimitHandler

logger = logging.getLogger(__name__)


def _sme(request, slug) -> SME:
    return get_object_or_404(scoping.smes_visible_to(request.user).select_related("launchpad"), slug=slug)


def _may_edit(request, sme) -> bool:
    return scoping.can_edit_company_data(request.user, sme)


UNMATCHED_SHOWN = 10


def _unmatched_items(source: DataSource) -> tuple[int, list[str]]:
    """How many item ids of an analytics source match none of the SME's products, and the first few."""
    keys = (
        ProductAnalytics.objects.filter(source=source, product__isnull=True)
        .exclude(product_key="")
        .values_list("product_key", flat=True)
        .distinct()
        .order_by("product_key")
    )
    return keys.count(), list(keys[:UNMATCHED_SHOWN])


def _shop_form(request, sme) -> ShopSourceForm:
    """The "Connect a shop" form for the platform chosen (``?platform=``), else the SME's own platform."""
    return ShopSourceForm(kind=chosen_kind(request.GET.get("platform"), getattr(sme, "shop_platform", None)))


def _page(request, sme, *, status=200, currency_error: tuple | None = None, **extra):
    sources = list(DataSource.objects.filter(sme=sme).order_by("kind", "base_url"))
    for source in sources:
        if source.kind == SourceKind.GA4:
            source.unmatched_count, source.unmatched = _unmatched_items(source)
            source.analytics_days = ProductAnalytics.objects.filter(source=source).values("date").distinct().count()
    extra.setdefault("shop_form", _shop_form(request, sme))
    for source, figures in zip(sources, source_arrivals(sources).values(), strict=True):
        source.arrivals = figures
    for source in sources:  # the shop currency, or what was just typed and refused (currency_error)
        source.shop_currency = (source.options or {}).get("currency", "")
        source.currency_error = ""
        if currency_error and currency_error[0] == source.pk:
            source.shop_currency, source.currency_error = currency_error[1], currency_error[2]
    runs = SyncRun.objects.filter(source__sme=sme).select_related("source").order_by("-started_at", "-pk")[:10]
    return render(
        request,
        "connectors/data_sources.html",
        {
            "sme": sme,
            "sources": sources,
            "runs": runs,
            "shop_kinds": shop_kinds(),
            "connectable": [kind for kind, _label in shop_kinds()],
            "may_edit": _may_edit(request, sme),
            "may_set_currency": scoping.can_set_shop_currency(request.user, sme),
            "orders": Order.objects.filter(sme=sme).count(),
            "days": order_data_days(sme),
            "days_needed": MIN_DAYS_OF_ORDERS,
            **extra,
        },
        status=status,
    )


@login_required
def data_sources(request, slug):
    """Sources with their status and last runs; connect a shop; upload a file."""
    return _page(request, _sme(request, slug))


@csrf_exempt  # checked by csrf_protect below, once the size limit's handler is in place
@login_required
@require_POST
def upload(request, slug):
    """Import an orders or products file: everything or nothing, with a report naming every bad row.

    A file above ``CONNECTORS_UPLOAD_MAX_BYTES`` is refused as it arrives (``UploadLimitHandler``);
    one above ``CONNECTORS_IMPORT_INLINE_MAX_BYTES`` is imported by a task whose progress the
    page shows, once its layout is recognised (a mapping is asked for at once, as for a small one).
    """
    sme = _sme(request, slug)
    if not _may_edit(request, sme):
        raise PermissionDenied
    request.upload_handlers.insert(0, UploadLimitHandler(request))
    return _upload(request, sme)


@csrf_protect
def _upload(request, sme):
    from .files.importer import ImportResult, Status, file_layout_problem

    slug = sme.slug
    uploaded = request.FILES.get("file")
    stream = "products" if request.POST.get("stream") == "products" else "orders"
    if getattr(request, "upload_too_large", False):
        result = ImportResult(Status.UNREADABLE, stream, message=upload_too_large_message())
        name = uploaded.name if uploaded else ""
        return _page(request, sme, upload_result=result, upload_name=name, upload_stream=stream, status=413)
    if uploaded is None:
        messages.error(request, gettext("Please choose a file to upload."))
        return redirect("connectors:data_sources", slug=slug)
    mapping = {key[4:]: value for key, value in request.POST.items() if key.startswith("map_") and value}
    language = translation.get_language()
    if uploaded.size > settings.CONNECTORS_IMPORT_INLINE_MAX_BYTES:
        problem = file_layout_problem(
            stream=stream, path_or_file=uploaded, mapping=mapping, filename=uploaded.name, language=language
        )
        if problem is None:
            run = file_upload_queue(sme=sme, uploaded=uploaded, stream=stream, mapping=mapping, language=language)
            messages.success(
                request, gettext("%(file)s is being imported: its progress is shown below.") % {"file": uploaded.name}
            )
            return redirect(reverse("connectors:data_sources", kwargs={"slug": slug}) + f"?run={run.pk}")
        return _page(request, sme, upload_result=problem, upload_name=uploaded.name, upload_stream=stream, status=422)
    result = file_upload_import(sme=sme, uploaded=uploaded, stream=stream, mapping=mapping, language=language)
    if result.status == Status.IMPORTED:
        counts = result.counts
        messages.success(
            request,
            gettext("%(file)s imported: %(created)s created, %(updated)s updated, %(skipped)s unchanged.")
            % {"file": uploaded.name, "created": counts.created, "updated": counts.updated, "skipped": counts.skipped},
        )
        return redirect("connectors:data_sources", slug=slug)
    return _page(request, sme, upload_result=result, upload_name=uploaded.name, upload_stream=stream, status=422)


@login_required
def template_download(request, slug, fmt):
    """Our own orders template, with headers in the reader's language."""
    from .files.template import template_bytes, template_filename

    _sme(request, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    language = translation.get_language()
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(template_bytes("orders", fmt, language), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{template_filename("orders", fmt, language)}"'
    return response


@login_required
@require_POST
def shop_add(request, slug):
    """Connect a shop: the connection is tested first, and the shop saved only if it works.

    "Test connection" (``action=test``) only tests. Every answer is in the reader's language;
    a failed test saves nothing and says what to fix (wrong key, a permission missing, no shop
    at that address, a store too old).
    """
    sme = _sme(request, slug)
    if not _may_edit(request, sme):
        raise PermissionDenied
    form = ShopSourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, sme, shop_form=form, status=422)
    kind, base_url = form.cleaned_data["kind"], form.address
    trial = DataSource(sme=sme, kind=kind, base_url=base_url, options=form.options())
    trial.credentials = form.credentials()
    connector = connector_for(trial, interactive=True)
    try:
        connector.check()
    except Unreachable as error:
        # One message for every address that cannot be connected to, whatever the reason
        # (refused, timed out, no such host, not public): the form is no port scanner.
        # The sync's own log keeps the reason (connectors.restapi). Google's own message names no address.
        form.add_error(None, unreachable_message(connector.address()) if connector.url_label != "" else str(error))
        return _page(request, sme, shop_form=form, status=422)
    except ConnectorError as error:
        form.add_error(None, str(error))
        return _page(request, sme, shop_form=form, status=422)
    base_url = trial.base_url.rstrip("/")  # the check may have learnt it (Squarespace: the key's site)
    if request.POST.get("action") == "test":
        return _page(
            request,
            sme,
            shop_form=ShopSourceForm(kind=kind, initial={"url": base_url, **form.options()}),
            shop_test_passed=True,
            status=200,
        )
    if kind == SourceKind.GA4:
        source = analytics_source_add(sme=sme, property_id=form.options()["property"], key=form.credentials()["key"])
    else:
        # What the check learnt (the shop's currency) completes the options of a shop connected before.
        existing = DataSource.objects.filter(sme=sme, kind=kind, base_url=base_url).first()
        options = {**(trial.options or {}), **(existing.options if existing else {})}
        source = source_add(sme=sme, kind=kind, base_url=base_url, credentials=form.credentials(), options=options)
    source_sync_request(source=source)
    if kind == SourceKind.GA4:  # not a shop: the French "boutique connectée" would be wrong
        message = gettext("Google Analytics property %(property)s connected. The first sync has started.") % {
            "property": source.options["property"]
        }
    else:
        message = gettext("%(platform)s connected. The first sync has started.") % {"platform": form.platform_name}
    messages.success(request, message)
    return redirect("connectors:data_sources", slug=slug)


@login_required
@require_POST
def sync_now(request, slug, pk):
    sme = _sme(request, slug)
    if not _may_edit(request, sme):
        raise PermissionDenied
    syncable = DataSource.objects.exclude(kind=SourceKind.FILE).exclude(status=SourceStatus.AWAITING)
    source = get_object_or_404(syncable, sme=sme, pk=pk)
    run = source_sync_request(source=source)
    messages.success(request, gettext("Sync started."))
    return redirect(reverse("connectors:data_sources", kwargs={"slug": slug}) + f"?run={run.pk}")


@login_required
@require_POST
def currency_set(request, slug, pk):
    """Set a source's shop currency (an ISO 4217 code in use); a bad code is said on the page, in place."""
    sme = _sme(request, slug)
    if not scoping.can_set_shop_currency(request.user, sme):
        raise PermissionDenied
    source = get_object_or_404(DataSource, sme=sme, pk=pk)
    form = ShopCurrencyForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for error in form.errors["currency"])
        typed = request.POST.get("currency", "")[:10]
        return _page(request, sme, currency_error=(source.pk, typed, errors), status=422)
    source_currency_set(source=source, currency=form.cleaned_data["currency"])
    messages.success(
        request,
        gettext("Shop currency set to %(code)s (%(name)s). It applies from the next sync or import.")
        % {"code": form.cleaned_data["currency"], "name": form.currency_name()},
    )
    return redirect("connectors:data_sources", slug=slug)


@login_required
def run_status(request, slug, pk):
    """A run's progress, for the progress bar (polled while the run is queued or running)."""
    sme = _sme(request, slug)
    run = get_object_or_404(SyncRun, source__sme=sme, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "pages": run.pages,
            "pages_expected": run.pages_expected,
            "progress": run.progress if run.progress is not None else progress.reported(run.pk),
            "created": run.created,
            "updated": run.updated,
            "skipped": run.skipped,
            "errors": [error["reason"] for error in run.errors],
        }
    )


def sme_panel(request, sme) -> str:
    """The data summary on the SME pages (registered with journey.panels)."""
    sources = list(DataSource.objects.filter(sme=sme))
    return render_to_string(
        "connectors/sme_panel.html",
        {
            "sme": sme,
            "sources": sources,
            "orders": Order.objects.filter(sme=sme).count(),
            "days": order_data_days(sme),
            "days_needed": MIN_DAYS_OF_ORDERS,
            "url": reverse("connectors:data_sources", kwargs={"slug": sme.slug}),
        },
        request=request,
    )


@csrf_exempt
@require_POST
def webhook(request, token):
    """A platform's webhook: signed by the source's secret or refused (401 unsigned, 403 wrong), never
    written here (a task writes it), bounded in size, and answered at once."""
    from . import webhooks

    source = webhooks.source_for_token(token)
    if source is None:
        # Not a 404: the language middleware would redirect it to a prefixed address. An unknown
        # address is refused like a wrong signature, which also tells nothing about which exist.
        return HttpResponse(status=403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = webhooks.max_bytes()
    if length > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    signature_header, topic_header, delivery_header = webhooks.HEADERS[source.kind]
    given = request.META.get(signature_header, "")
    topic = request.META.get(topic_header, "")
    if source.kind == SourceKind.WOOCOMMERCE and not given and not topic and body.startswith(b"webhook_id="):
        return HttpResponse(status=200)  # WooCommerce's ping when the webhook is created: nothing to write
    if not given:
        return HttpResponse(status=401)
    try:
        secret = source.credentials.get("webhook_secret", "")
    except ValueError:
        secret = ""
    if not webhooks.signature_valid(secret, body, given):
        logger.warning("Webhook for data source %s refused: signature does not match", source.pk)
        return HttpResponse(status=403)
    delivery_id = request.META.get(delivery_header, "") or hashlib.sha256(body).hexdigest()
    if topic in webhooks.TOPICS[source.kind]:
        webhooks.webhook_receive(source=source, topic=topic, delivery_id=delivery_id, body=body)
    return HttpResponse(status=200)
