"""Coaching records for the scale demo's SMEs (``load_demo --scale N``, issue 22).

Each generated SME that enrolled gets its first consultation and a session a month since
(held in the past, one scheduled ahead for the SMEs still in the journey) and a logged
contact about every three weeks, by its account manager. Seeded by the SME's number;
SMEs that already have coaching records are left alone, so loading twice adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from journey.demo_scale import SLUG_PREFIX
from journey.models import ACTIVE_STAGES, SME, StageChange

from .models import Channel, Contact, Session, SessionKind, SessionStatus, seeded_uid

SUMMARIES = [
    "Reviewed last month's sales by market and agreed the next listing fixes.",
    "Call about shipping costs to the new market; quotes from two carriers to compare.",
    "Went through the product feed errors; the SME will fix titles and images this week.",
    "Checked progress on the plan's actions; marketplace account approved.",
]
MONTHLY = [SessionKind.MONTHLY_1, SessionKind.MONTHLY_2, SessionKind.MONTHLY_3, SessionKind.MONTHLY_4]


@transaction.atomic
def load(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Add the missing coaching history of every enrolled generated SME; returns what was created."""
    now = now or timezone.now()
    enrolled = dict(
        StageChange.objects.filter(sme__slug__startswith=SLUG_PREFIX, transition="enrol").values_list("sme_id", "at")
    )
    done = set(Session.objects.filter(sme_id__in=list(enrolled)).values_list("sme_id", flat=True).distinct())
    smes = SME.objects.filter(pk__in=[pk for pk in enrolled if pk not in done]).order_by("slug")
    sessions, contacts = [], []
    for sme in smes:
        rng = random.Random(f"scale-coaching-{sme.slug}")  # noqa: S311 — demo data, seeded
        manager_id = sme.primary_account_manager_id
        at = enrolled[sme.pk]
        sessions.append(
            Session(sme=sme, kind=SessionKind.FIRST_CONSULTATION, starts_at=at, organiser_id=manager_id,
                    status=SessionStatus.HELD, status_changed_at=at)
        )  # fmt: skip
        moment, index = at + datetime.timedelta(days=30), 0
        while moment < now:
            sessions.append(
                Session(sme=sme, kind=MONTHLY[index % 4] if index < 4 else SessionKind.PERIODIC_REVIEW,
                        starts_at=moment, organiser_id=manager_id,
                        status=SessionStatus.HELD if rng.random() < 0.9 else SessionStatus.MISSED,
                        status_changed_at=moment)
            )  # fmt: skip
            moment, index = moment + datetime.timedelta(days=30), index + 1
        if sme.stage in ACTIVE_STAGES:
            sessions.append(
                Session(sme=sme, kind=SessionKind.PERIODIC_REVIEW, starts_at=moment, organiser_id=manager_id,
                        status=SessionStatus.SCHEDULED, status_changed_at=now)
            )  # fmt: skip
        moment = at + datetime.timedelta(days=10)
        while moment < now:
            contacts.append(
                Contact(sme=sme, happened_at=moment, channel=rng.choice(Channel.values), author_id=manager_id,
                        summary=rng.choice(SUMMARIES), next_contact_on=(moment + datetime.timedelta(days=21)).date())
            )  # fmt: skip
            moment += datetime.timedelta(days=rng.randrange(14, 35))
    for session in sessions:  # the same UIDs each time the scale demo is built
        session.uid = seeded_uid("scale", session.sme.slug, session.kind, int(session.starts_at.timestamp()))
    Session.objects.bulk_create(sessions, batch_size=2000)
    Contact.objects.bulk_create(contacts, batch_size=2000)
    return {"sessions": len(sessions), "contacts": len(contacts)}
