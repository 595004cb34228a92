"""A quarterly review's computed figures: each section's time, the query count, and a JSON dump (issue 22).

    DATABASE_URL=postgres://…/ec_scale .venv/bin/python bench/review_figures.py --dump /tmp/after.json

The dump holds ``reporting.programme.figures()`` for every review period of every programme, in
English and French, for all launchpads and for the first one alone: run it before and after a
change to how the figures are computed, and ``cmp`` the two files (they must be identical).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", metavar="PATH", help="write every review period's figures here, as JSON")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the next review's figures")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from journey.models import SME, Programme
    from reporting import programme as reporting
    from reporting.sections import sections

    if args.dump:
        dump = {}
        for programme in Programme.objects.order_by("pk"):
            launchpads = tuple(programme.launchpads.order_by("code"))
            number = reporting.next_review(programme)[0]
            for n in range(1, number + 1):
                _month, start, end = reporting.review_period(programme, n)
                for chosen in (launchpads, launchpads[:1]):
                    scope = reporting.Scope(programme, start, end, chosen)
                    for language in ("en", "fr"):
                        with translation.override(language):
                            key = f"{programme.pk}/{n}/{'+'.join(lp.code for lp in chosen)}/{language}"
                            dump[key] = reporting.figures(scope)
        Path(args.dump).write_text(json.dumps(dump, indent=1, sort_keys=True, default=str))
        print(f"{len(dump)} sets of figures written to {args.dump}")

    programme = Programme.objects.order_by("start_date").first()
    _month, start, end = reporting.review_period(programme, reporting.next_review(programme)[0])
    scope = reporting.Scope(programme, start, end, tuple(programme.launchpads.order_by("code")))
    print(f"{SME.objects.count()} SMEs; the review of {start} to {end}, load average {os.getloadavg()[0]:.2f}")
    for section in sections():
        started = time.perf_counter()
        section.compute(scope)
        print(f"  {section.key:10} {(time.perf_counter() - started) * 1000:7.0f} ms")
    times = []
    for _run in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            reporting.figures(scope)
            times.append((time.perf_counter() - started) * 1000)
    print(f"  figures()  {statistics.median(times):7.0f} ms median of {args.repeat}, {len(queries)} queries")


if __name__ == "__main__":
    main()
