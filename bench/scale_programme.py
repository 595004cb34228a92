"""The programme at scale: the scale demo's load time, staff pages' query counts at two sizes,
and the nightly refresh's throughput with 1 and 2 Celery workers (issue 22).

    DATABASE_URL=postgres://…/h22scale_scale .venv/bin/python bench/scale_programme.py --sizes 1000
    .venv/bin/python bench/scale_programme.py --sizes 10,40 --history 0.02 --refresh-smes 12   # CI

For each size, the scale demo is loaded up to N SMEs (as ``load_demo --scale N`` does after
the normal demo, which is loaded first if missing; only what is missing is added, so sizes go
up) and timed; then every staff page of ``tests/test_scale_queries.py`` is requested
in-process as an account manager, a launchpad manager and the coordinator, its queries
counted. With ``--refresh-smes K`` (and Redis answering), the first K SMEs with data
are refreshed by 1 worker process, then by 2, each run started fresh, and the SMEs refreshed
a minute are printed beside the ideal (2 workers: twice 1 worker's).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROKER = "redis://127.0.0.1:6379/8"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # The badges a thousand SMEs earn send e-mails: kept in memory, not printed into the bench's log.
    os.environ.setdefault("EMAIL_URL", "memorymail://")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per forced sign-in otherwise


def load(size: int, history: float) -> float:
    """Add the scale demo up to ``size`` SMEs, as ``load_demo --scale`` does after the normal demo; seconds taken."""
    from coaching import demo_scale as coaching_scale
    from connectors import demo_scale as connectors_scale
    from journey import demo_scale as journey_scale

    started = time.perf_counter()
    journey = journey_scale.load(size)
    histories = connectors_scale.load(factor=history)
    coaching = coaching_scale.load()
    seconds = time.perf_counter() - started
    print(
        f"  created {journey['smes']} SMEs, {journey['stage_changes']} stage changes, "
        f"{histories['orders']:,} orders with {histories['lines']:,} lines for {histories['smes']} SMEs, "
        f"{coaching['sessions']} sessions, {coaching['contacts']} contacts"
    )
    if histories["lines"]:
        print(f"  order lines written: {histories['lines'] / seconds:,.0f} a second")
    return seconds


def query_counts() -> dict[tuple[str, str], int]:
    """Every staff page of the scale test, as each role: its query count (and status 200 checked)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from journey import demo_scale
    from journey.models import Programme, Role, User
    from reporting import programme as reporting
    from reporting.models import QuarterlyReview, ReviewStatus

    programme = Programme.objects.order_by("start_date").first()
    review = QuarterlyReview.objects.filter(status=ReviewStatus.DRAFT).first()
    if review is None:
        number = reporting.next_review(programme)[0]
        review = reporting.review_create(programme, number)
    people = {
        "coordinator": User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first(),
        "launchpad manager": User.objects.filter(role=Role.LAUNCHPAD_MANAGER, launchpad__code="uk").first(),
        "account manager": User.objects.get(email=f"am02@uk.{demo_scale.MANAGER_DOMAIN}"),
    }
    managers_only = {"coordinator", "launchpad manager"}
    pages = {
        "SME list": ("/admin/smes/", set(people)),
        "SME list, filtered": ("/admin/smes/?stage=intensive&overdue=true", set(people)),
        "SME list, page 2": ("/admin/smes/?p=2", set(people)),
        "dashboard": ("/admin/", set(people)),
        "programme dashboard": (reverse("reviews:dashboard"), managers_only),
        "draft review": (reverse("reviews:detail", args=[review.pk]), managers_only),
        "SME workspace": (reverse("journey:sme_workspace", args=[demo_scale.slug_for(3)]), set(people)),
        "progress sheet export": (reverse("coaching:export_launchpad", args=["uk"]), managers_only),
    }
    counts = {}
    client = Client()
    for name, (address, roles) in pages.items():
        for role in roles:
            client.force_login(people[role])
            client.get(address)  # warm the per-process caches
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(address)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"bench: {name} as {role} answered {response.status_code}")
            counts[name, role] = (len(queries), elapsed)
    return counts


def _workers(count: int, settings: str) -> list[subprocess.Popen]:
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "DJANGO_SETTINGS_MODULE": settings}
    celery = Path(sys.executable).with_name("celery")
    return [
        subprocess.Popen(  # noqa: S603 (our own command)
            [
                str(celery),
                "-A",
                "config",
                "worker",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--hostname",
                f"bench{index}@%h",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        for index in range(1, count + 1)
    ]


def _stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def refresh_throughput(count: int, sme_ids: list[int], timeout: float) -> tuple[float, int, int, float]:
    """Refresh ``sme_ids`` with ``count`` worker processes; SMEs a minute, done, failed, seconds."""
    from celery import group

    from toolkit import refresh
    from toolkit.models import RefreshStatus, SMERefresh
    from toolkit.tasks import refresh_chunk_task

    workers = _workers(count, os.environ["DJANGO_SETTINGS_MODULE"])
    try:
        time.sleep(8)  # the workers connect to the broker
        run, chunks = refresh.programme_refresh_start(smes=sme_ids)
        started = time.perf_counter()
        group(refresh_chunk_task.s(run.pk, chunk) for chunk in chunks).apply_async()
        items = SMERefresh.objects.filter(run=run)
        while time.perf_counter() - started < timeout:
            if not items.filter(status__in=[RefreshStatus.WAITING, RefreshStatus.RUNNING]).exists():
                break
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        done = items.filter(status=RefreshStatus.DONE).count()
        failed = items.filter(status=RefreshStatus.FAILED).count()
    finally:
        _stop(workers)
    return done / (elapsed / 60), done, failed, elapsed


def _print_counts(by_size: dict, sizes: list[int]) -> None:
    print("\nQueries per page (goal: the same at every size; server time in-process, one request, ms)")
    names = sorted({key for counts in by_size.values() for key in counts})
    columns = " ".join(f"{f'{size} SMEs':>10}" for size in sizes)
    header = f"{'page':<24} {'as':<18} {columns}  ms at largest  verdict"
    print(header)
    print("-" * len(header))
    for page, role in names:
        counts = [by_size[size][page, role][0] for size in sizes]
        ms = by_size[sizes[-1]][page, role][1]
        verdict = "constant" if len(set(counts)) == 1 else "GROWS"
        cells = " ".join(f"{count:>10}" for count in counts)
        print(f"{page:<24} {role:<18} {cells}  {ms:>13.0f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,40", help="scale demo sizes, ascending (e.g. 10,40 or 1000)")
    parser.add_argument("--history", type=float, default=1.0, help="order histories' factor (0.02 in CI)")
    parser.add_argument("--refresh-smes", type=int, default=0, help="SMEs refreshed per worker count (0: skip)")
    parser.add_argument("--refresh-timeout", type=float, default=600)
    parser.add_argument("--chunk", type=int, default=5, help="SMEs per chunk for the refresh")
    parser.add_argument("--no-counts", action="store_true", help="skip the query counts (refresh only)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if sizes != sorted(sizes) or not all(0 < size <= 9999 for size in sizes):
        sys.exit("bench: --sizes must go up, each from 1 to 9999")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("EMAIL_URL", "memorymail://")  # the workers' badge e-mails, not printed
    os.environ["TOOLKIT_REFRESH_CHUNK"] = str(args.chunk)
    if args.refresh_smes:
        # Before Django starts: the chunks this process queues must go to the workers, not run here.
        os.environ["CELERY_BROKER_URL"] = BROKER
    _setup()
    from connectors.models import OrderLine
    from journey.models import SME, Launchpad

    if not Launchpad.objects.exists():  # the scale demo goes on top of the normal demo
        print("Loading the normal demo first (load_demo)")
        subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, check=True, capture_output=True)

    by_size = {}
    for size in sizes:
        print(f"Scale demo at {size} SMEs (goal: minutes, not hours)")
        seconds = load(size, args.history)

        lines = OrderLine.objects.count()
        print(f"  scale part: {seconds:.1f} s; {SME.objects.count()} SMEs, {lines:,} order lines in the database")
        by_size[size] = {} if args.no_counts else query_counts()

    if not args.no_counts:
        _print_counts(by_size, sizes)

    if args.refresh_smes:
        import redis

        try:
            redis.Redis.from_url(BROKER, socket_connect_timeout=2).flushdb()
        except redis.RedisError:
            print("\nRefresh throughput: skipped, no Redis at 127.0.0.1:6379")
            return
        from toolkit.refresh import smes_to_refresh

        sample = list(smes_to_refresh().values_list("pk", flat=True)[: args.refresh_smes])
        print(f"\nNightly refresh of {len(sample)} SMEs (sync + toolkit report), chunks of {args.chunk}, Redis broker")
        results = {}
        for count in (1, 2):
            rate, done, failed, elapsed = refresh_throughput(count, sample, args.refresh_timeout)
            results[count] = rate
            print(f"  {count} worker(s): {rate:6.1f} SMEs a minute ({done} done, {failed} failed, {elapsed:.1f} s)")
        print(
            f"  scaling 1 → 2 workers: ×{results[2] / results[1]:.2f} (ideal ×2.00; this machine has "
            f"{os.cpu_count()} cores shared with everything else running)"
        )


if __name__ == "__main__":
    main()
