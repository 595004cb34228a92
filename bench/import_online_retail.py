"""Benchmark: import the whole UCI Online Retail file (541,909 lines) for a fresh demo SME.

    .venv/bin/python bench/import_online_retail.py [--file PATH] [--postgres URL] [--no-sqlite] [--no-reimport]

The file is ``$ECHANNEL_ONLINE_RETAIL``, else ``../shared/data/online_retail.csv.gz`` beside the
project; without it the benchmark says so and exits 0. It runs on SQLite (a scratch file in
a temporary folder, never ``db.sqlite3``) and, when ``DATABASE_URL`` points to PostgreSQL or
``--postgres URL`` is given, on PostgreSQL too: in a scratch database created on that server
and dropped afterwards. Each database is measured in a process of its own, migrated first
(not timed). For each it prints the import's seconds, lines per second and memory (the
process's peak resident size, and how much the import added to it), a re-import of the same
file (which must create nothing), and a reference measured in the same run: on PostgreSQL a
``COPY`` of the raw decompressed file into a scratch table, on SQLite Python's ``csv`` module
reading the file. Targets: at most 30 s on SQLite and 10 s on PostgreSQL, memory bounded.
The CPU time of the importing process and, for a local PostgreSQL, of its server backend are
printed too: steadier than wall-clock seconds when other work shares the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "online_retail.csv.gz"
TARGETS = {"sqlite": 30.0, "postgresql": 10.0}
FILE_LINES = 541_909


def data_file(explicit: str | None) -> Path:
    return Path(explicit or os.environ.get("ECHANNEL_ONLINE_RETAIL") or DEFAULT_FILE)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# -- one database, in its own process ------------------------------------------------------------


def child(database_url: str, path: Path, reimport: bool) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DEBUG"] = "false"  # no query log
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    migrate_seconds = time.perf_counter() - started

    from connectors.files.importer import orders_file_import
    from connectors.models import Order, OrderLine
    from journey.models import SME, Launchpad, Programme

    programme = Programme.objects.create(name="Benchmark programme", start_date="2010-10-01")
    launchpad = Launchpad.objects.create(
        programme=programme,
        code="uk",
        name="UK launchpad",
        country="GB",
        language="en",
        time_zone="Europe/London",
        currency="GBP",
    )
    sme = SME.objects.create(
        name="Online Retail (demo)",
        slug="online-retail-demo",
        launchpad=launchpad,
        country="GB",
        sector="other",
        market_orientation="b2b",
        size="small",
        shop_platform="other",
    )

    reference = reference_postgresql(connection, path) if connection.vendor == "postgresql" else reference_csv(path)

    rss_before = rss_mb()
    server_before = server_cpu(connection)
    started, cpu = time.perf_counter(), time.process_time()
    result = orders_file_import(sme=sme, path_or_file=path, trigger="command")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    server_after = server_cpu(connection)
    rss_after = rss_mb()
    if not result.ok:
        raise SystemExit(f"The import failed: {result.status} {result.message} {result.errors[:5]}")
    measured = {
        "backend": connection.vendor,
        "migrate_seconds": round(migrate_seconds, 1),
        "seconds": round(seconds, 2),
        "lines_per_second": round(FILE_LINES / seconds),
        "client_cpu_seconds": round(cpu, 2),
        "server_cpu_seconds": None if server_before is None else round(server_after - server_before, 2),
        "load": round(os.getloadavg()[0], 1),
        "orders": result.records,
        "order_lines": result.lines,
        "created": result.counts.created,
        "pages": result.pages,
        "rows_in_db": {"orders": Order.objects.count(), "lines": OrderLine.objects.count()},
        "peak_rss_mb": round(rss_after, 1),
        "import_added_rss_mb": round(rss_after - rss_before, 1),
        "reference": reference,
    }
    if reimport:
        started = time.perf_counter()
        again = orders_file_import(sme=sme, path_or_file=path, trigger="command")
        measured["reimport"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "created": again.counts.created,
            "updated": again.counts.updated,
            "skipped": again.counts.skipped,
        }
        measured["peak_rss_mb_after_reimport"] = round(rss_mb(), 1)
    return measured


def server_cpu(connection) -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # another machine, or not Linux
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def reference_csv(path: Path) -> dict:
    import csv

    started = time.perf_counter()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle))
    seconds = time.perf_counter() - started
    return {"what": "Python csv module reading the file", "seconds": round(seconds, 2), "rows": rows - 1}


def reference_postgresql(connection, path: Path) -> dict:
    columns = ", ".join(f"c{n} text" for n in range(8))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_raw ({columns})")
        started = time.perf_counter()
        with cursor.cursor.copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            with gzip.open(path, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    copy.write(chunk)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_raw")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_raw")
    return {"what": "PostgreSQL COPY of the raw decompressed file", "seconds": round(seconds, 2), "rows": rows}


# -- the driver --------------------------------------------------------------------------------


def run_child(database_url: str, path: Path, reimport: bool) -> dict:
    command = [sys.executable, __file__, "--child", database_url, "--file", str(path)]
    if not reimport:
        command.append("--no-reimport")
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"The benchmark on {urlsplit(database_url).scheme} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def scratch_postgresql(server_url: str):
    """A new, empty database on the server of ``server_url``; dropped on the way out."""
    import psycopg

    parts = urlsplit(server_url.replace("postgresql://", "postgres://", 1))
    name = f"echannel_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def show(measured: dict) -> None:
    backend = measured["backend"]
    target = TARGETS.get(backend)
    verdict = "meets" if measured["seconds"] <= target else "MISSES"
    reference = measured["reference"]
    orders, lines = measured["orders"], measured["order_lines"]
    print(f"\n{backend}: import of {FILE_LINES:,} lines → {orders:,} orders, {lines:,} lines")
    print(
        f"  import      {measured['seconds']:7.2f} s  {measured['lines_per_second']:>9,} lines/s  "
        f"({verdict} the {target:.0f} s target; {measured['pages']} pages)"
    )
    print(
        f"  reference   {reference['seconds']:7.2f} s  {round(FILE_LINES / reference['seconds']):>9,} lines/s  "
        f"({reference['what']})"
    )
    server = measured["server_cpu_seconds"]
    print(
        f"  CPU         {measured['client_cpu_seconds']:.2f} s in this process (all threads)"
        + (f", {server:.2f} s in the PostgreSQL backend" if server is not None else "")
        + f"; load average {measured['load']} on {os.cpu_count()} CPUs (a busy machine slows every figure)"
    )
    print(
        f"  memory      peak {measured['peak_rss_mb']:.0f} MB resident, the import added "
        f"{measured['import_added_rss_mb']:.0f} MB"
    )
    if "reimport" in measured:
        again = measured["reimport"]
        print(
            f"  re-import   {again['seconds']:7.2f} s  created {again['created']}, updated {again['updated']}, "
            f"unchanged {again['skipped']:,}; peak {measured['peak_rss_mb_after_reimport']:.0f} MB"
        )
    print(f"  (migrations, not timed: {measured['migrate_seconds']} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", help="the Online Retail file (default: $ECHANNEL_ONLINE_RETAIL or ../shared/data)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to benchmark on (a scratch database)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-reimport", action="store_true", help="skip the re-import")
    parser.add_argument("--child", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    options = parser.parse_args()
    path = data_file(options.file)
    reimport = not options.no_reimport
    if options.child:
        print(json.dumps(child(options.child, path, reimport)))
        return
    if not path.exists():
        print(f"Skipped: the Online Retail file is not at {path} (set ECHANNEL_ONLINE_RETAIL or pass --file).")
        return
    server = options.postgres or os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        server = ""
    print(f"File: {path} ({path.stat().st_size / 1e6:.1f} MB); Python {sys.version.split()[0]}")
    if not options.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            show(run_child(f"sqlite:///{folder}/bench.sqlite3", path, reimport))
    if server:
        with scratch_postgresql(server) as url:
            show(run_child(url, path, reimport))
    else:
        print("\nPostgreSQL: skipped (set DATABASE_URL to a PostgreSQL server or pass --postgres URL).")


if __name__ == "__main__":
    main()
