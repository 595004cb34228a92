"""Twenty people using the programme at once: Locust against gunicorn on the scale demo (issue 22).

Serves the app with gunicorn (the production server; ``config.settings.bench``: production
settings over plain HTTP on the loopback), then runs Locust in this process for a bounded
time with a mix of users: SME users on their SME page and toolkit, account managers on the
SME list and their SMEs' workspaces, a coordinator on the dashboard, the programme
dashboard and the SME list. Prints, per page type, the requests, errors, median and p95
against the 300 ms goal.

    DATABASE_URL=postgres://…/h22scale_scale .venv/bin/python bench/load_programme.py
    .venv/bin/python bench/load_programme.py --users 20 --duration 20   # CI's reduced run

Needs a database with the scale demo (``load_demo --scale N``). Only ever talks to
127.0.0.1; users and duration are capped. Exits 1 if the server cannot start or no
request was made; a missed goal is printed, not failed (figures are read by people).
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import gevent

# Locust patches the standard library for gevent on import: first.
from locust import HttpUser, between, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 300
MAX_USERS, MAX_SECONDS = 100, 600
PASSWORD = "echannel-demo"


def accounts(limit: int) -> dict[str, list[dict]]:
    """Who logs in: scale-demo SME users (with a stored report first), account managers with an SME, a coordinator."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Exists, OuterRef

    from journey.demo_scale import MANAGER_DOMAIN, SLUG_PREFIX
    from journey.models import SME, Role, User
    from toolkit.models import ToolkitReport

    has_report = Exists(ToolkitReport.objects.filter(sme=OuterRef("sme")))
    sme_users = (
        User.objects.filter(role=Role.SME_USER, sme__slug__startswith=SLUG_PREFIX, sme__orders__isnull=False)
        .annotate(report=has_report)
        .order_by("-report", "sme__slug")
        .distinct()
        .values("email", "sme__slug")[:limit]
    )
    managers = []
    for manager in User.objects.filter(email__endswith=MANAGER_DOMAIN, role=Role.ACCOUNT_MANAGER).order_by("email"):
        slugs = list(
            SME.objects.filter(primary_account_manager=manager).order_by("slug").values_list("slug", flat=True)[:5]
        )
        if slugs:
            managers.append({"email": manager.email, "slugs": slugs})
        if len(managers) == limit:
            break
    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    return {
        "sme": [{"email": row["email"], "slug": row["sme__slug"]} for row in sme_users],
        "manager": managers,
        "coordinator": [{"email": coordinator.email}] if coordinator else [],
    }


ACCOUNTS: dict[str, itertools.cycle] = {}
SIGNED_IN: list[str] = []  # who has signed in: the clock starts once everyone has


class _SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # a person reads a page before the next
    kind = ""

    def on_start(self):
        self.account = next(ACCOUNTS[self.kind])
        self.client.get("/en/accounts/login/", name="sign-in")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/en/accounts/login/",
            {"username": self.account["email"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/en/accounts/login/"},
            name="sign-in",
        )
        SIGNED_IN.append(self.account["email"])


class SMEUser(_SignedIn):
    weight = 10
    kind = "sme"

    @task(2)
    def sme_page(self):
        self.client.get(f"/en/portal/smes/{self.account['slug']}/", name="SME page")

    @task(3)
    def toolkit(self):
        self.client.get(f"/en/portal/smes/{self.account['slug']}/toolkit/", name="toolkit")


class AccountManager(_SignedIn):
    weight = 9
    kind = "manager"

    @task(2)
    def sme_list(self):
        self.client.get("/admin/smes/", name="SME list")

    @task(1)
    def sme_list_filtered(self):
        self.client.get("/admin/smes/?stage=intensive", name="SME list, filtered")

    @task(3)
    def workspace(self):
        slug = self.account["slugs"][int(time.time()) % len(self.account["slugs"])]
        self.client.get(f"/en/portal/smes/{slug}/workspace/", name="SME workspace")


class Coordinator(_SignedIn):
    weight = 1
    kind = "coordinator"

    @task
    def dashboard(self):
        self.client.get("/admin/", name="dashboard")

    @task
    def programme_dashboard(self):
        self.client.get("/admin/programme/dashboard/", name="programme dashboard")

    @task
    def sme_list(self):
        self.client.get("/admin/smes/?p=3", name="SME list")


def _serve(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # --preload: Django is imported once, before the workers fork, as in production.
    command = [str(gunicorn), "config.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--timeout", "60", "--log-level", "warning", "--preload"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603 (our own command)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            break
    _stop(server)
    sys.exit("bench: gunicorn did not start")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load after the ramp-up")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8622)
    parser.add_argument("--warm-up", type=float, default=5, help="seconds of pages after the last sign-in, not counted")
    args = parser.parse_args()
    users, duration = min(args.users, MAX_USERS), min(args.duration, MAX_SECONDS)

    found = accounts(limit=max(users, 1))
    missing = [kind for kind, rows in found.items() if not rows]
    if missing:
        sys.exit(f"bench: no {', '.join(missing)} account in this database: load the scale demo first.")
    for kind, rows in found.items():
        ACCOUNTS[kind] = itertools.cycle(rows)

    from django.db import connections

    connections.close_all()  # the server's workers open their own
    server = _serve(args.port, args.workers)
    try:
        env = Environment(user_classes=[SMEUser, AccountManager, Coordinator], host=f"http://127.0.0.1:{args.port}")
        runner = env.create_local_runner()
        runner.start(users, spawn_rate=args.spawn_rate)
        # Signing in is one password check (PBKDF2, about half a second of CPU) per person, once a
        # session: twenty of them at once would fill two cores for seconds. The clock starts when
        # everyone has signed in and each page type has been served once by the warm workers.
        began = time.monotonic()
        while len(SIGNED_IN) < users and time.monotonic() - began < 180:
            gevent.sleep(0.2)
        gevent.sleep(args.warm_up)
        ramp = time.monotonic() - began
        env.stats.reset_all()
        started = time.monotonic()
        gevent.spawn_later(duration, runner.quit)
        runner.greenlet.join()
        elapsed = time.monotonic() - started
    finally:
        _stop(server)

    print(
        f"\nLoad: {users} users for {elapsed:.0f} s against gunicorn ({args.workers} workers); not counted: the"
        f" {ramp:.0f} s before, while {len(SIGNED_IN)} of {users} signed in, and {args.warm_up:.0f} s of warm-up"
    )
    header = f"{'page':<22} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>8} {'goal ms':>8}  verdict"
    print(header)
    print("-" * len(header))
    errors = 0
    for (name, method), entry in sorted(env.stats.entries.items()):
        if not entry.num_requests:
            continue
        if name == "sign-in":
            name = f"sign-in ({method})"
        p95 = entry.get_response_time_percentile(0.95)
        median = entry.get_response_time_percentile(0.5)
        errors += entry.num_failures
        page = not name.startswith("sign-in")
        goal = str(GOAL_MS) if page else ""
        verdict = ("met" if p95 <= GOAL_MS and not entry.num_failures else "MISSED") if page else ""
        counts = f"{entry.num_requests:>9} {entry.num_failures:>7}"
        print(f"{name:<22} {counts} {median:>10.0f} {p95:>8.0f} {goal:>8}  {verdict}")
    total = env.stats.total
    median, p95 = total.get_response_time_percentile(0.5), total.get_response_time_percentile(0.95)
    print(f"{'all pages':<22} {total.num_requests:>9} {total.num_failures:>7} {median:>10.0f} {p95:>8.0f}")
    print(f"errors: {errors} (goal 0); sign-in, counted only before the clock, is not a page goal")
    for error in env.stats.errors.values():
        print(f"  {error.occurrences} × {error.method} {error.name}: {error.error}")
    if not total.num_requests:
        sys.exit(1)


if __name__ == "__main__":
    main()
