"""The sync engine, the shared writer, the journey condition and the data page, with a scripted connector."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from connectors.conditions import enough_order_data
from connectors.models import DataSource, Order, OrderLine, Product, SourceStatus, SyncRun, SyncStatus
from connectors.services import source_add, source_sync_request
from connectors.sync import source_sync
from connectors.tasks import sync_all_sources
from journey.models import SME, Stage
from journey.transitions import sme_transition
from tests.connectors.factories import DataSourceFactory
from tests.connectors.scripted import scripted_order
from tests.journey.factories import AccountManagerFactory, CoordinatorFactory, SMEFactory, SMEUserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def source(scripted):
    return DataSourceFactory(kind="scripted")


def test_a_sync_writes_every_page_and_leaves_a_run(source):
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED
    assert (run.pages, run.created, run.updated, run.skipped) == (4, 5, 0, 0)
    assert run.pages_expected == 4 and run.progress == 100
    assert Order.objects.filter(sme=source.sme).count() == 4
    line = OrderLine.objects.get(order__external_id="#1")
    assert line.product == Product.objects.get(sku="MUG-1")  # matched by SKU
    source.refresh_from_db()
    assert source.status == SourceStatus.OK and source.last_success_at == run.finished_at
    assert source.cursor == {"products": {"next": 1}, "orders": {"next": 3}}


def test_syncing_the_same_data_again_creates_nothing(source, scripted):
    source_sync(source=source, trigger="manual")
    DataSource.objects.filter(pk=source.pk).update(cursor={})  # a full re-read
    source.refresh_from_db()
    run = source_sync(source=source, trigger="manual")
    assert (run.created, run.updated, run.skipped) == (0, 0, 5)
    assert Order.objects.count() == 4 and OrderLine.objects.count() == 4


def test_a_changed_order_is_updated_and_its_lines_replaced(source, scripted):
    source_sync(source=source, trigger="manual")
    scripted.SCRIPT["orders"] = [[scripted_order(1, day=1, quantity=-1)]]
    DataSource.objects.filter(pk=source.pk).update(cursor={})
    source.refresh_from_db()
    run = source_sync(source=source, trigger="manual")
    assert (run.created, run.updated, run.skipped) == (0, 1, 1)
    assert list(OrderLine.objects.filter(order__external_id="#1").values_list("quantity", flat=True)) == [-1]


def test_a_sync_that_dies_keeps_what_it_wrote_and_resumes_there(source, scripted):
    scripted.FAIL_AT = ("orders", 2)
    first = source_sync(source=source, trigger="manual")
    assert first.status == SyncStatus.FAILED
    assert "unexpected error (ConnectionError)" in first.errors[0]["reason"]
    assert first.errors[0]["stream"] == "orders"
    assert Order.objects.count() == 3  # pages 1 and 2 of the orders are kept
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILING
    assert source.cursor["orders"] == {"next": 2}

    second = source_sync(source=source, trigger="manual")
    assert second.status == SyncStatus.SUCCEEDED
    assert ("orders", {"next": 2}) in scripted.seen_cursors
    assert (second.created, second.pages) == (1, 1)
    assert Order.objects.count() == 4


def test_a_connector_error_is_the_runs_reason(source, scripted):
    scripted.CHECK_ERROR = "The shop refused the access token."
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED
    assert run.errors == [{"stream": "", "reason": "The shop refused the access token."}]
    assert not Order.objects.exists()


def test_credentials_are_encrypted_at_rest(source):
    source.credentials = {"token": "shpat_very_secret"}
    source.save()
    stored = DataSource.objects.values_list("credentials_token", flat=True).get(pk=source.pk)
    assert "shpat_very_secret" not in stored
    assert DataSource.objects.get(pk=source.pk).credentials == {"token": "shpat_very_secret"}


def test_a_sync_request_is_queued_once(source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = source_sync_request(source=source)
    run.refresh_from_db()
    assert run.status == SyncStatus.SUCCEEDED  # eager Celery ran it after the commit
    SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.RUNNING)
    assert source_sync_request(source=source).pk == run.pk


def test_the_nightly_schedule_queues_every_connected_source(source, django_capture_on_commit_callbacks):
    DataSource.objects.create(sme=source.sme, kind="file")
    DataSource.objects.create(sme=source.sme, kind="scripted", base_url="https://off.example", status="disabled")
    assert sync_all_sources() == 1
    assert SyncRun.objects.filter(source=source, trigger="schedule", status=SyncStatus.SUCCEEDED).count() == 1


# --- the journey condition: data collection → planning -------------------------------------------------


def _with_orders(source, days):
    records = [scripted_order(1, day=1)] + ([scripted_order(2, day=1 + days)] if days else [])
    from connectors.writer import write_orders

    write_orders(source, records)


def test_planning_needs_thirty_days_of_orders(source):
    sme = source.sme
    assert enough_order_data(sme) == "No order data yet: connect the shop or upload an orders file."
    _with_orders(source, 12)
    assert enough_order_data(sme) == "Only 12 days of order data — at least 30 are needed."
    with translation.override("fr"):
        assert "12" in enough_order_data(sme)


def test_with_thirty_days_of_orders_the_account_manager_can_start_planning(source):
    manager = AccountManagerFactory(launchpad=source.sme.launchpad)
    SME.objects.filter(pk=source.sme.pk).update(stage=Stage.DATA_COLLECTION, primary_account_manager=manager)
    _with_orders(source, 30)
    sme = SME.objects.get(pk=source.sme.pk)
    assert enough_order_data(sme) is None
    change = sme_transition(sme=sme, name="start_planning", by=manager)
    assert change.to_stage == Stage.PLANNING and change.overridden == []


# --- the data page -------------------------------------------------------------------------------------


def test_sme_user_sees_and_syncs_their_own_sources(client, source, django_capture_on_commit_callbacks):
    user = SMEUserFactory(sme=source.sme)
    client.force_login(user)
    page = client.get(f"/en/portal/smes/{source.sme.slug}/data/").content.decode()
    assert "https://shop.example" in page and 'data-testid="sync-now"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/portal/smes/{source.sme.slug}/data/sources/{source.pk}/sync/")
    run = SyncRun.objects.get()
    assert response["Location"].endswith(f"?run={run.pk}")
    status = client.get(f"/en/portal/smes/{source.sme.slug}/data/runs/{run.pk}/").json()
    assert status["status"] == "succeeded" and status["created"] == 5 and status["progress"] == 100


def test_other_companies_data_pages_are_not_found(client, source):
    client.force_login(SMEUserFactory())
    assert client.get(f"/en/portal/smes/{source.sme.slug}/data/").status_code == 404


def test_coordinators_read_but_may_not_sync(client, source):
    client.force_login(CoordinatorFactory())
    page = client.get(f"/en/portal/smes/{source.sme.slug}/data/").content.decode()
    assert 'data-testid="sync-now"' not in page
    assert client.post(f"/en/portal/smes/{source.sme.slug}/data/sources/{source.pk}/sync/").status_code == 403


def test_credentials_are_never_shown_back(client, source):
    source.credentials = {"token": "shpat_very_secret"}
    source.save()
    client.force_login(SMEUserFactory(sme=source.sme))
    assert "shpat_very_secret" not in client.get(f"/en/portal/smes/{source.sme.slug}/data/").content.decode()


def test_the_sme_pages_show_the_data_panel(client, source):
    client.force_login(SMEUserFactory(sme=source.sme))
    page = client.get(f"/en/portal/smes/{source.sme.slug}/").content.decode()
    assert 'data-testid="data-panel"' in page
    assert f"/en/portal/smes/{source.sme.slug}/data/" in page


# --- commands ------------------------------------------------------------------------------------------


def test_sync_source_command_prints_the_run(source):
    out = StringIO()
    call_command("sync_source", sme=source.sme.slug, stdout=out)
    assert "Succeeded" in out.getvalue() and "4 pages, 5 created, 0 updated, 0 unchanged" in out.getvalue()


def test_sync_source_command_fails_with_one_clear_line(source, scripted):
    scripted.CHECK_ERROR = "The shop refused the access token."
    with pytest.raises(CommandError, match="1 of 1 syncs failed"):
        call_command("sync_source", sme=source.sme.slug, stdout=StringIO())
    with pytest.raises(CommandError, match="No SME with the slug 'nope'"):
        call_command("sync_source", sme="nope", stdout=StringIO())


def test_add_source_stores_encrypted_credentials_and_prints_no_secret():
    sme = SMEFactory()
    out = StringIO()
    call_command("add_source", sme=sme.slug, kind="shopify", url="https://mugs.example/", token="shpat_x1", stdout=out)
    source = DataSource.objects.get(sme=sme)
    assert source.base_url == "https://mugs.example" and source.credentials == {"token": "shpat_x1"}
    assert "shpat_x1" not in out.getvalue()
    with pytest.raises(CommandError, match="needs --key and --secret"):
        call_command("add_source", sme=sme.slug, kind="woocommerce", url="https://w.example", stdout=StringIO())


def test_source_add_updates_the_same_source():
    sme = SMEFactory()
    first = source_add(sme=sme, kind="shopify", base_url="https://a.example", credentials={"token": "1"})
    again = source_add(sme=sme, kind="shopify", base_url="https://a.example/", credentials={"token": "2"})
    assert first.pk == again.pk and again.credentials == {"token": "2"}


# --- a killed sync (issue 14, item 8) ------------------------------------------------------------------


def test_a_killed_sync_is_interrupted_when_its_heartbeat_expires_and_the_next_one_resumes(
    client, source, scripted, monkeypatch, django_capture_on_commit_callbacks
):
    from connectors import sync

    real_write_page, calls = sync.write_page, []

    def killed_on_the_third_page(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise SystemExit("worker killed")  # not an Exception: nothing in the sync catches it
        return real_write_page(*args, **kwargs)

    monkeypatch.setattr(sync, "write_page", killed_on_the_third_page)
    with pytest.raises(SystemExit):
        source_sync(source=source, trigger="manual")
    monkeypatch.setattr(sync, "write_page", real_write_page)
    killed = SyncRun.objects.get()
    assert killed.status == SyncStatus.RUNNING and Order.objects.count() == 2

    client.force_login(SMEUserFactory(sme=source.sme))
    url = f"/en/portal/smes/{source.sme.slug}/data/sources/{source.pk}/sync/"
    response = client.post(url)  # still within its heartbeat: the same run
    assert response["Location"].endswith(f"?run={killed.pk}") and SyncRun.objects.count() == 1

    SyncRun.objects.filter(pk=killed.pk).update(heartbeat_at=killed.heartbeat_at - datetime.timedelta(minutes=31))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    killed.refresh_from_db()
    new = SyncRun.objects.exclude(pk=killed.pk).get()
    assert response["Location"].endswith(f"?run={new.pk}")
    assert killed.status == SyncStatus.INTERRUPTED and killed.finished_at is not None
    assert "stopped giving signs of life" in killed.errors[-1]["reason"]
    assert new.status == SyncStatus.SUCCEEDED and (new.created, new.pages) == (2, 2)  # resumed at orders page 2
    assert scripted.seen_cursors[-1] == ("orders", {"next": 1})
    assert Order.objects.count() == 4
    page = client.get(f"/en/portal/smes/{source.sme.slug}/data/").content.decode()
    assert "Interrupted" in page

    # Should the killed worker wake up, its next page finds its lease gone and it writes nothing.
    with pytest.raises(sync.Superseded):
        sync._beat(killed)


def test_a_queued_run_interrupted_before_a_worker_took_it_is_not_revived(source):
    from connectors.tasks import sync_all_sources, sync_source_task

    stale = SyncRun.objects.create(source=source, trigger="manual", status=SyncStatus.QUEUED)
    SyncRun.objects.filter(pk=stale.pk).update(heartbeat_at=stale.heartbeat_at - datetime.timedelta(hours=1))
    sync_all_sources()  # the nightly run tidies stale runs first, then syncs
    stale.refresh_from_db()
    assert stale.status == SyncStatus.INTERRUPTED
    assert sync_source_task(source.pk, "manual", stale.pk) == stale.pk
    stale.refresh_from_db()
    assert stale.status == SyncStatus.INTERRUPTED and stale.pages == 0
