"""Coaching for the demo programme: contacts, sessions, plans and actions that fit each SME's journey.

``load()`` reads each demo SME's stage history (``journey.demo`` writes it) and fills in
what its account manager would have recorded: regular contacts, the first consultation
and the six onboarding reviews for SMEs past assessment, a shared plan for those past
planning (a draft for those in it), the monthly reviews of the intensive as they fell
due, the growth review and periodic reviews of aftercare, and the next session booked.
Records are written straight to the database (no invitation e-mails) and only for SMEs
that have no coaching yet, so a reload duplicates nothing. The drift check runs at the
end so the dashboards show live alerts.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from babel.dates import format_date
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from journey import demo as journey_demo
from journey.models import SME, Role, Stage, User

from .countries import match_country
from .drift import drift_check_all
from .markets import classify_channel_text
from .models import (
    MONTHLY_KINDS,
    ONBOARDING_KINDS,
    ActionStatus,
    ActionStatusChange,
    Contact,
    Plan,
    PlanAction,
    PlanStatus,
    Session,
    SessionChange,
    SessionKind,
    SessionStatus,
    TargetMarket,
    seeded_uid,
)

# SMEs whose account manager has let contact lapse, so the drift alerts have something to show.
QUIET = {"pennine-outdoor-gear", "outillage-picard", "brighton-bean-roasters"}
# One SME whose latest monthly review was never booked, one with accepted actions left past due.
REVIEW_LATE = {"voilerie-bretonne"}
ACTIONS_LATE = {"cotswold-candle-works"}

TEXT = {
    "en": {
        # What a contact was about and what came out of it, drawn apart (seeded), so that no two fortnights read
        # the same; {month} is the month before the contact, written out.
        "contacts": [
            ("video", "Reviewed the orders of {month} and the product pages."),
            ("phone", "Checked progress on the actions agreed at the last session."),
            ("email", "Shared the marketplace fees comparison."),
            ("in_person", "Visit to the workshop: stock, packaging and shipping."),
            ("video", "Walked through the toolkit's market assessment together."),
            ("phone", "Talked through the returns of {month}: mostly sizes, two parcels damaged."),
            ("email", "Sent the checklist for product photos; the owner had questions on image sizes."),
            ("video", "Looked at which products sold at a loss in {month} and why."),
            ("phone", "Quick call: the new listings are live, the first orders came from abroad."),
            ("in_person", "Met at the chamber of commerce's export morning; talked about customs forms."),
            ("email", "Answered questions about VAT on sales to other countries."),
            ("video", "Went over the shop's costs so that profit is exact, not estimated."),
        ],
        "follow_ups": [
            "Send the product feed checklist.",
            "Book the next review.",
            "Owner to reply with questions.",
            "Draft the shipping options note.",
            "Pick two markets to test.",
            "Enter the missing product costs before the end of the month.",
            "Share two carriers' price lists.",
            "",
            "Check the figures again after the sale.",
            "Introduce the owner to the launchpad's customs adviser.",
        ],
        "place": "Video call",
        "plan_title": "Entering {market} through {channel}",
        "objectives": "Win the first 100 customers {in_market} within six months.\nKeep the return rate under 5%.",
        "criteria": "100 orders from {from_market}; gross margin above 35% after shipping; repeat rate above 15%.",
        "training": "Marketplace selling course; international shipping workshop by the chamber of commerce.",
        "evidence": "Orders already reaching {market} without promotion; the toolkit ranks it first for growth.",
        "segment": "Gift buyers aged 30-55",
        "actions": [
            ("Translate the ten best-selling product pages", "external", ActionStatus.DONE),
            ("Open a seller account on {channel}", "sme_staff", ActionStatus.IN_PROGRESS),
            ("Compare three carriers for deliveries to {for_market}", "account_manager", ActionStatus.ACCEPTED),
            ("Paid social campaign {in_market}", "external", ActionStatus.NO_ACTION),
            ("Add customs information to every product", "sme_staff", ActionStatus.PROPOSED),
        ],
        "notes": "Good momentum; the owner wants to keep the focus on one market for now.",
        "agreed": "Finish the listings before the next review; check the returns figures.",
        "answers": [
            "Mostly: the listings took longer than planned.",
            "Yes, with the second market moved to next year.",
            "Time: the team is small and the busy season is coming.",
            "A distributor asked about wholesale prices.",
            "Seven out of ten.",
            "The monthly reviews keep us on track; the data showed where orders come from.",
        ],
        "long_term": "Year two: add a second market, move to a local warehouse, hire a part-time marketer.",
    },
    "fr": {
        "contacts": [
            ("video", "Point sur les commandes de {month} et les fiches produits."),
            ("phone", "Suivi des actions décidées à la dernière séance."),
            ("email", "Envoi du comparatif des commissions des places de marché."),
            ("in_person", "Visite de l'atelier\u00a0: stock, emballage et expédition."),
            ("video", "Lecture commune de l'évaluation du marché du PCGD."),
            ("phone", "Les retours de {month}\u00a0: surtout des tailles, deux colis abîmés."),
            ("email", "Envoi de la liste de contrôle des photos\u00a0; questions de la gérante sur leur taille."),
            ("video", "Les produits vendus à perte en {month}, et pourquoi."),
            ("phone", "Appel rapide\u00a0: les nouvelles fiches sont en ligne, premières commandes de l'étranger."),
            ("in_person", "Rencontre à la matinée export de la CCI\u00a0; échange sur les formalités douanières."),
            ("email", "Réponse aux questions sur la TVA des ventes à l'étranger."),
            ("video", "Revue des coûts de la boutique pour un bénéfice exact, et non estimé."),
        ],
        "follow_ups": [
            "Envoyer la liste de contrôle.",
            "Fixer la prochaine séance.",
            "La gérante revient vers nous.",
            "Rédiger la note sur les envois.",
            "Choisir deux marchés à tester.",
            "Saisir les coûts manquants avant la fin du mois.",
            "Transmettre les tarifs de deux transporteurs.",
            "",
            "Revoir les chiffres après les soldes.",
            "Mettre la gérante en relation avec le conseiller en douane de la rampe de lancement.",
        ],
        "place": "Visioconférence",
        "plan_title": "Vendre {in_market} via {channel}",
        "objectives": "Gagner les 100 premiers clients {in_market} en six mois.\nGarder un taux de retour sous 5 %.",
        "criteria": "100 commandes {from_market}\u00a0; marge brute au-dessus de 35 % après transport\u00a0; "
        "15 % de réachat.",
        "training": "Formation à la vente sur les places de marché\u00a0; atelier export de la CCI.",
        "evidence": "Des commandes arrivent déjà de ce marché sans promotion\u00a0; le PCGD le classe premier.",
        "segment": "Acheteurs de cadeaux de 30 à 55 ans",
        "actions": [
            ("Traduire les dix fiches produits les plus vendues", "external", ActionStatus.DONE),
            ("Ouvrir un compte vendeur sur {channel}", "sme_staff", ActionStatus.IN_PROGRESS),
            ("Comparer trois transporteurs pour {for_market}", "account_manager", ActionStatus.ACCEPTED),
            ("Campagne payante sur les réseaux sociaux", "external", ActionStatus.NO_ACTION),
            ("Ajouter les informations douanières à chaque produit", "sme_staff", ActionStatus.PROPOSED),
        ],
        "notes": "Bonne dynamique\u00a0; la gérante préfère se concentrer sur un seul marché pour l'instant.",
        "agreed": "Terminer les fiches avant la prochaine séance\u00a0; vérifier les retours.",
        "answers": [
            "En grande partie\u00a0: les fiches ont pris plus de temps que prévu.",
            "Oui, le second marché est repoussé à l'an prochain.",
            "Le temps\u00a0: l'équipe est petite et la haute saison arrive.",
            "Un distributeur a demandé nos prix de gros.",
            "Sept sur dix.",
            "Les séances mensuelles nous tiennent\u00a0; les données ont montré d'où viennent les commandes.",
        ],
        "long_term": "Deuxième année\u00a0: un second marché, un entrepôt local, un temps partiel en marketing.",
    },
}
# A target market, its channel, and the market as the texts' sentences need it (French: with its article,
# "pour le Royaume-Uni", "en Allemagne"; a country's name is never slotted bare into a French sentence).
MARKETS = {
    "uk": [
        ("France", "Etsy", {"in_market": "in France", "for_market": "France", "from_market": "France"}),
        ("Germany", "Amazon", {"in_market": "in Germany", "for_market": "Germany", "from_market": "Germany"}),
    ],
    "fr": [
        ("Royaume-Uni", "Etsy",
         {"in_market": "au Royaume-Uni", "for_market": "le Royaume-Uni", "from_market": "du Royaume-Uni"}),
        ("Allemagne", "Amazon",
         {"in_market": "en Allemagne", "for_market": "l'Allemagne", "from_market": "d'Allemagne"}),
    ],
}  # fmt: skip
ANSWER_FIELDS = ["answer_on_track", "answer_agree_plan", "answer_worries", "answer_opportunities",
                 "answer_progress", "answer_support"]  # fmt: skip


def _at(day: datetime.datetime, zone: ZoneInfo, hour: int = 10) -> datetime.datetime:
    """The same calendar day at ``hour`` o'clock in the launchpad's time zone."""
    local = day.astimezone(zone)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


class _Writer:
    def __init__(self, sme: SME, now: datetime.datetime):
        self.sme = sme
        self.now = now
        self.zone = ZoneInfo(sme.launchpad.time_zone)
        self.manager = sme.primary_account_manager
        self.text = TEXT[sme.launchpad.language]
        self.owner = User.objects.filter(sme=sme, role=Role.SME_USER).first()
        self.random = random.Random(sme.slug)  # noqa: S311 (demo spacing, not security)

    def session(self, kind, when, *, held=None, **fields):
        """A session at ``when``: held if in the past (unless ``held`` says otherwise), else scheduled."""
        when = _at(when, self.zone, 10 if self.sme.launchpad.language == "en" else 14)
        held = when < self.now if held is None else held
        status = SessionStatus.HELD if held else SessionStatus.SCHEDULED
        booked = min(when - datetime.timedelta(days=14), self.now)
        session = Session.objects.create(
            sme=self.sme, organiser=self.manager, kind=kind, starts_at=when, duration_minutes=60,
            video_url="https://meet.example/echannel-" + self.sme.slug, location=self.text["place"],
            status=status, status_changed_at=when if held else booked, dtstamp=booked,
            uid=seeded_uid("demo", self.sme.slug, kind, int(when.timestamp())), **fields,
        )  # fmt: skip
        if self.owner:
            session.participants.set([self.owner])
        SessionChange.objects.create(
            session=session,
            event=SessionChange.Event.SCHEDULED,
            status=SessionStatus.SCHEDULED,
            starts_at=when,
            by=self.manager,
            at=booked,
        )
        if held:
            SessionChange.objects.create(
                session=session,
                event=SessionChange.Event.HELD,
                status=SessionStatus.HELD,
                starts_at=when,
                by=self.manager,
                at=when,
            )
        return session

    def formal(self, kind, when, **extra):
        fields = {"notes": self.text["notes"], "agreed_actions": self.text["agreed"], **extra}
        if _at(when, self.zone) < self.now:
            fields.update(dict(zip(ANSWER_FIELDS, self.text["answers"], strict=True)))
        return self.session(kind, when, **fields)

    def contacts(self, start: datetime.datetime, end: datetime.datetime):
        day = start + datetime.timedelta(days=3)
        index = 0
        # The words come from their own seeded draw: the dates (self.random) stay those the tests know.
        words = random.Random(f"{self.sme.slug}-contacts")  # noqa: S311 (demo text, not security)
        topics, last = self.text["contacts"], None
        while day < end:
            last = words.choice([topic for topic in topics if topic is not last])  # never twice in a row
            channel, summary = last
            month = format_date((day - relativedelta(months=1)).date(), "LLLL", locale=self.sme.launchpad.language)
            summary = summary.format(month=month)
            follow_up = words.choice(self.text["follow_ups"])
            happened = _at(day, self.zone, 9 + index % 7)
            Contact.objects.create(
                sme=self.sme, author=self.manager, channel=channel, summary=summary, follow_up=follow_up,
                happened_at=happened, participants=self.owner.get_full_name() if self.owner else "",
                next_contact_on=(happened + datetime.timedelta(days=14)).date(),
            )  # fmt: skip
            Contact.objects.filter(sme=self.sme, happened_at=happened).update(created_at=happened)
            day += datetime.timedelta(days=self.random.choice([9, 12, 14, 16]))
            index += 1

    def plan(self, when: datetime.datetime | None, *, shared: bool, done_months: float) -> Plan:
        market, channel, phrases = MARKETS[self.sme.launchpad.code][len(self.sme.slug) % 2]
        names = {"market": market, "channel": channel, **phrases}
        created = (when or self.now) - datetime.timedelta(days=10)
        plan = Plan.objects.create(
            sme=self.sme, version=1, created_by=self.manager, created_at=created,
            status=PlanStatus.SHARED if shared else PlanStatus.DRAFT,
            title=self.text["plan_title"].format(**names), objectives=self.text["objectives"].format(**names),
            success_criteria=self.text["criteria"].format(**names), training=self.text["training"],
            shared_at=when if shared else None, shared_by=self.manager if shared else None,
        )  # fmt: skip
        TargetMarket.objects.create(
            plan=plan, country=match_country(market) or "", segment=self.text["segment"], channel=channel,
            sales_channel=classify_channel_text(channel), orientation="b2c",
            evidence=self.text["evidence"].format(**names),
        )  # fmt: skip
        for position, (title, owner, final) in enumerate(self.text["actions"]):
            due = (when or self.now) + relativedelta(months=position + 1)
            if final in (ActionStatus.ACCEPTED, ActionStatus.IN_PROGRESS) and self.sme.slug not in ACTIONS_LATE:
                # Work still under way is, in the demo, due after today (a few weeks apart).
                due = max(due, self.now + datetime.timedelta(days=30 + 15 * position))
            action = PlanAction.objects.create(
                plan=plan, title=title.format(**names), owner_type=owner, due_on=due.date(), position=position,
                created_at=created, status_changed_at=created,
            )  # fmt: skip
            ActionStatusChange.objects.create(action=action, key=action.key, to_status="proposed", by=self.manager,
                                              at=created)  # fmt: skip
            if not shared:
                continue
            # How far the SME has got: decisions a week after sharing, work done as months pass.
            steps = {
                ActionStatus.PROPOSED: [],
                ActionStatus.ACCEPTED: [ActionStatus.ACCEPTED],
                ActionStatus.NO_ACTION: [ActionStatus.NO_ACTION],
                ActionStatus.IN_PROGRESS: [ActionStatus.ACCEPTED, ActionStatus.IN_PROGRESS],
                ActionStatus.DONE: [ActionStatus.ACCEPTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE],
            }[final]
            moment, previous = when, ActionStatus.PROPOSED
            for number, status in enumerate(steps):
                moment = when + datetime.timedelta(days=7 + number * 30 * max(done_months, 0.5) / 3)
                if moment > self.now:
                    break
                by = self.owner if status in (ActionStatus.ACCEPTED, ActionStatus.NO_ACTION) else self.manager
                ActionStatusChange.objects.create(action=action, key=action.key, from_status=previous,
                                                  to_status=status, by=by, at=moment)  # fmt: skip
                action.status, action.status_changed_at, previous = status, moment, status
            action.save(update_fields=["status", "status_changed_at"])
        return plan


def _sme_coaching(sme: SME, now: datetime.datetime) -> None:
    changes = list(sme.stage_changes.order_by("at", "pk"))
    entered = {}
    for change in changes:
        entered.setdefault(change.to_stage, change.at)
    stopped = next((c.at for c in reversed(changes) if c.to_stage in (Stage.PAUSED, Stage.WITHDRAWN)), None)
    end = stopped or now
    writer = _Writer(sme, end)
    assessment = entered.get(Stage.ASSESSMENT)
    if assessment is None or sme.primary_account_manager is None:
        return
    quiet_end = end - datetime.timedelta(days=30) if sme.slug in QUIET else end
    writer.contacts(assessment, quiet_end)

    onboarding = entered.get(Stage.ONBOARDING)
    if onboarding is None:
        if not stopped:
            writer.session(SessionKind.FIRST_CONSULTATION, end + datetime.timedelta(days=7))
        return
    writer.session(SessionKind.FIRST_CONSULTATION, onboarding - datetime.timedelta(days=10), held=True)
    data_collection = entered.get(Stage.DATA_COLLECTION)
    span = ((data_collection or onboarding + datetime.timedelta(days=105)) - onboarding) / 7
    for number, kind in enumerate(ONBOARDING_KINDS, start=1):
        when = onboarding + span * number
        if when > end and data_collection is None:
            if not stopped:
                writer.session(kind, max(when, end + datetime.timedelta(days=5)))
            break
        writer.session(kind, when)

    planning = entered.get(Stage.PLANNING)
    if planning is None:
        return
    intensive = entered.get(Stage.INTENSIVE)
    if intensive is None:
        writer.plan(None, shared=False, done_months=0)
        return
    shared = intensive - datetime.timedelta(days=1)
    growth = entered.get(Stage.GROWTH_REVIEW)
    months_on = (end - shared).days / 30
    writer.plan(shared, shared=True, done_months=months_on)
    for number, kind in enumerate(MONTHLY_KINDS, start=1):
        when = shared + relativedelta(months=number) - datetime.timedelta(days=2)
        if sme.slug in REVIEW_LATE and end - datetime.timedelta(days=40) < when < end - datetime.timedelta(days=3):
            break  # this review was missed: not booked, so it shows as overdue
        if growth and when >= growth:
            when = growth - datetime.timedelta(days=(len(MONTHLY_KINDS) - number + 1) * 5)
        if when > end:
            if not stopped:
                writer.formal(kind, when)
            break
        writer.formal(kind, when)
    if growth is None:
        return
    aftercare = entered.get(Stage.AFTERCARE)
    review_day = aftercare - datetime.timedelta(days=3) if aftercare else max(growth + relativedelta(weeks=3), end)
    writer.formal(SessionKind.GROWTH_REVIEW, review_day, long_term_plan=writer.text["long_term"] if aftercare else "")
    if aftercare is None:
        return
    when = aftercare + relativedelta(months=2)
    while when <= end or not stopped:
        writer.formal(SessionKind.PERIODIC_REVIEW, when)
        if when > end:
            break  # the next one, booked
        when += relativedelta(months=2)


@transaction.atomic
def load() -> int:
    """Give the demo SMEs their coaching history; returns how many SMEs got one this time."""
    now = timezone.now()
    done = 0
    slugs = [item.slug for item in journey_demo.SMES]
    for sme in SME.objects.filter(slug__in=slugs).select_related("launchpad", "primary_account_manager"):
        if sme.coaching_contacts.exists() or sme.coaching_sessions.exists() or sme.plans.exists():
            continue
        _sme_coaching(sme, now)
        done += 1
    drift_check_all(now=now)
    return done
