"""The demo programme: two launchpads, their staff and 24 SMEs, each with an SME user.

``load()`` is idempotent: records are found by their natural keys (codes, e-mail
addresses, slugs) and updated, never duplicated. Passwords are set when an account is
created, so a password changed during a demo survives a reload.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import (
    SME,
    Assessment,
    ContactPerson,
    Launchpad,
    Programme,
    Role,
    ScreeningChecklist,
    Stage,
    StageChange,
    User,
)
from .services import user_set_preferred_language

DEMO_PASSWORD = "echannel-demo"

LAUNCHPADS = [
    {
        "code": "uk",
        "name_en": "UK launchpad",
        "name_fr": "Rampe de lancement Royaume-Uni",
        "country": "GB",
        "language": "en",
        "time_zone": "Europe/London",
        "currency": "GBP",
    },
    {
        "code": "fr",
        "name_en": "France launchpad",
        "name_fr": "Rampe de lancement France",
        "country": "FR",
        "language": "fr",
        "time_zone": "Europe/Paris",
        "currency": "EUR",
    },
]

# (e-mail, first name, last name, role, launchpad code)
STAFF = [
    ("coordinator@e-channel.example", "Margaret", "Ellis", Role.COORDINATOR, None),
    ("helen.carter@uk.e-channel.example", "Helen", "Carter", Role.LAUNCHPAD_MANAGER, "uk"),
    ("julien.moreau@fr.e-channel.example", "Julien", "Moreau", Role.LAUNCHPAD_MANAGER, "fr"),
    ("sarah.mitchell@uk.e-channel.example", "Sarah", "Mitchell", Role.ACCOUNT_MANAGER, "uk"),
    ("david.okafor@uk.e-channel.example", "David", "Okafor", Role.ACCOUNT_MANAGER, "uk"),
    ("camille.laurent@fr.e-channel.example", "Camille", "Laurent", Role.ACCOUNT_MANAGER, "fr"),
    ("thomas.girard@fr.e-channel.example", "Thomas", "Girard", Role.ACCOUNT_MANAGER, "fr"),
]


@dataclass(frozen=True)
class DemoSME:
    slug: str
    name: str
    launchpad: str
    sector: str
    orientation: str
    size: str
    platform: str
    account_manager: str
    owner: tuple[str, str, str]  # first name, last name, job title
    collaborator: str | None = None


SMES = [
    DemoSME(
        "hebridean-knitwear",
        "Hebridean Knitwear Co",
        "uk",
        "fashion",
        "b2c",
        "micro",
        "shopify",
        "sarah.mitchell",
        ("Morag", "MacLeod", "Founder"),
    ),
    DemoSME(
        "cotswold-candle-works",
        "Cotswold Candle Works",
        "uk",
        "home_gifts",
        "b2c",
        "micro",
        "woocommerce",
        "sarah.mitchell",
        ("Amelia", "Hughes", "Owner"),
    ),
    DemoSME(
        "brighton-bean-roasters",
        "Brighton Bean Roasters",
        "uk",
        "food_drink",
        "both",
        "small",
        "shopify",
        "sarah.mitchell",
        ("Tom", "Fletcher", "Managing director"),
        "camille.laurent",
    ),
    DemoSME(
        "pennine-outdoor-gear",
        "Pennine Outdoor Gear",
        "uk",
        "sports_outdoor",
        "b2c",
        "small",
        "magento",
        "sarah.mitchell",
        ("Rachel", "Booth", "E-commerce manager"),
    ),
    DemoSME(
        "clyde-marine-supplies",
        "Clyde Marine Supplies",
        "uk",
        "marine",
        "b2b",
        "small",
        "woocommerce",
        "sarah.mitchell",
        ("Iain", "Campbell", "Sales director"),
        "thomas.girard",
    ),
    DemoSME(
        "norfolk-natural-skincare",
        "Norfolk Natural Skincare",
        "uk",
        "health_beauty",
        "b2c",
        "micro",
        "shopify",
        "sarah.mitchell",
        ("Priya", "Shah", "Founder"),
    ),
    DemoSME(
        "sheffield-steel-tools",
        "Sheffield Steel Tools",
        "uk",
        "industrial",
        "b2b",
        "medium",
        "magento",
        "david.okafor",
        ("Graham", "Walker", "Commercial director"),
    ),
    DemoSME(
        "welsh-slate-gifts",
        "Welsh Slate Gifts",
        "uk",
        "home_gifts",
        "both",
        "small",
        "squarespace",
        "david.okafor",
        ("Sian", "Griffiths", "Owner"),
    ),
    DemoSME(
        "bristol-board-games",
        "Bristol Board Games",
        "uk",
        "books_media",
        "b2c",
        "micro",
        "woocommerce",
        "david.okafor",
        ("Ollie", "Bennett", "Co-founder"),
    ),
    DemoSME(
        "dales-tea-blenders",
        "Dales Tea Blenders",
        "uk",
        "food_drink",
        "b2c",
        "small",
        "shopify",
        "david.okafor",
        ("Hannah", "Lister", "Managing director"),
    ),
    DemoSME(
        "cornish-ceramics-studio",
        "Cornish Ceramics Studio",
        "uk",
        "crafts",
        "b2c",
        "micro",
        "squarespace",
        "david.okafor",
        ("Kerensa", "Pascoe", "Potter and owner"),
    ),
    DemoSME(
        "midlands-circuit-kits",
        "Midlands Circuit Kits",
        "uk",
        "electronics",
        "b2b",
        "small",
        "prestashop",
        "david.okafor",
        ("Raj", "Patel", "Technical director"),
    ),
    DemoSME(
        "biscuiterie-de-la-baie",
        "Biscuiterie de la Baie",
        "fr",
        "food_drink",
        "b2c",
        "small",
        "prestashop",
        "camille.laurent",
        ("Anne", "Le Gall", "Gérante"),
    ),
    DemoSME(
        "atelier-lin-normand",
        "Atelier Lin Normand",
        "fr",
        "fashion",
        "b2c",
        "micro",
        "prestashop",
        "camille.laurent",
        ("Sophie", "Lefèvre", "Fondatrice"),
    ),
    DemoSME(
        "savonnerie-du-morbihan",
        "Savonnerie du Morbihan",
        "fr",
        "health_beauty",
        "b2c",
        "micro",
        "woocommerce",
        "camille.laurent",
        ("Maëlle", "Guillou", "Artisane savonnière"),
    ),
    DemoSME(
        "cidrerie-du-pays-d-auge",
        "Cidrerie du Pays d'Auge",
        "fr",
        "food_drink",
        "both",
        "small",
        "prestashop",
        "camille.laurent",
        ("Pierre", "Lecoq", "Directeur"),
        "david.okafor",
    ),
    DemoSME(
        "voilerie-bretonne",
        "Voilerie Bretonne",
        "fr",
        "marine",
        "b2b",
        "small",
        "magento",
        "camille.laurent",
        ("Yann", "Kerhervé", "Directeur commercial"),
    ),
    DemoSME(
        "faiencerie-de-l-odet",
        "Faïencerie de l'Odet",
        "fr",
        "crafts",
        "b2c",
        "micro",
        "shopify",
        "camille.laurent",
        ("Gwenaëlle", "Tanguy", "Céramiste"),
    ),
    DemoSME(
        "outillage-picard",
        "Outillage Picard",
        "fr",
        "industrial",
        "b2b",
        "medium",
        "prestashop",
        "thomas.girard",
        ("Bernard", "Dupuis", "Directeur général"),
    ),
    DemoSME(
        "jouets-en-bois-du-jura",
        "Jouets en Bois du Jura",
        "fr",
        "home_gifts",
        "b2c",
        "micro",
        "woocommerce",
        "thomas.girard",
        ("Claire", "Vuillemin", "Gérante"),
    ),
    DemoSME(
        "librairie-maritime-cherbourg",
        "Librairie Maritime de Cherbourg",
        "fr",
        "books_media",
        "both",
        "micro",
        "prestashop",
        "thomas.girard",
        ("Hervé", "Lemonnier", "Libraire"),
    ),
    DemoSME(
        "cosmetiques-bio-lillois",
        "Cosmétiques Bio Lillois",
        "fr",
        "health_beauty",
        "b2c",
        "small",
        "shopify",
        "thomas.girard",
        ("Inès", "Benali", "Cofondatrice"),
    ),
    DemoSME(
        "vosges-randonnee-equipement",
        "Vosges Randonnée Équipement",
        "fr",
        "sports_outdoor",
        "b2c",
        "small",
        "magento",
        "thomas.girard",
        ("Lucas", "Schmitt", "Responsable e-commerce"),
    ),
    DemoSME(
        "domotique-rouennaise",
        "Domotique Rouennaise",
        "fr",
        "electronics",
        "b2b",
        "small",
        "woocommerce",
        "thomas.girard",
        ("Nicolas", "Fournier", "Directeur technique"),
    ),
]


# The programme starts 21 months before the demo is first loaded, so that quarterly reviews
# 1-4 (months 9, 12, 15, 18) lie in the past and review 5 (month 21) is due now.
PROGRAMME_MONTHS_AGO = 21


# When each enrolled SME reached onboarding, in programme months (9.5 = half-way through month
# 10). Cumulative enrolments at the reviews come out as in the original programme's table:
# review 1 (month 9) UK 0 / FR 0, review 2 (12) 6 / 4, review 3 (15) 9 / 8, review 4 (18) 12 / 12.
# ``slow`` adds months to a stage (overdue SMEs); ``fate`` pauses or withdraws an SME at a month.
@dataclass(frozen=True)
class DemoPath:
    enrolled_month: float
    slow: dict[str, float] | None = None
    fate: tuple[str, float, str] | None = None


PATHS = {
    "hebridean-knitwear": DemoPath(9.3),
    "cotswold-candle-works": DemoPath(9.8),
    "brighton-bean-roasters": DemoPath(10.2, slow={"data_collection": 5.0}),  # stuck: overdue
    "pennine-outdoor-gear": DemoPath(
        10.7, fate=("withdraw", 14.2, "The owner is selling the business and stops the programme.")
    ),
    "clyde-marine-supplies": DemoPath(11.2),
    "norfolk-natural-skincare": DemoPath(11.7),
    "sheffield-steel-tools": DemoPath(12.4, slow={"onboarding": 1.5}),
    "welsh-slate-gifts": DemoPath(13.5),
    "bristol-board-games": DemoPath(14.6),
    "dales-tea-blenders": DemoPath(15.5, slow={"data_collection": 1.6}),
    "cornish-ceramics-studio": DemoPath(16.4),
    "midlands-circuit-kits": DemoPath(17.5),
    "biscuiterie-de-la-baie": DemoPath(9.5, slow={"onboarding": -1.5}),  # quick: in aftercare
    "atelier-lin-normand": DemoPath(10.4),
    "savonnerie-du-morbihan": DemoPath(11.0),
    "cidrerie-du-pays-d-auge": DemoPath(11.8),
    "voilerie-bretonne": DemoPath(12.3),
    "faiencerie-de-l-odet": DemoPath(
        13.1, fate=("pause", 19.0, "Workshop closed for two months after a flood; the owner will resume.")
    ),
    "outillage-picard": DemoPath(13.9, slow={"onboarding": 4.0}),  # stuck: overdue
    "jouets-en-bois-du-jura": DemoPath(14.7),
    "librairie-maritime-cherbourg": DemoPath(15.2),
    "cosmetiques-bio-lillois": DemoPath(16.0),
    "vosges-randonnee-equipement": DemoPath(16.8),
    "domotique-rouennaise": DemoPath(17.6),
}

# After enrolment: the step that ends each stage, and the stage's length in months.
_AFTER_ENROLMENT = [
    ("onboarding", "finish_onboarding", 3.5),
    ("data_collection", "start_planning", 3.0),
    ("planning", "start_intensive", 1.0),
    ("intensive", "start_growth_review", 4.0),
    ("growth_review", "start_aftercare", 1.0),
]


@dataclass(frozen=True)
class DemoApplicant:
    """A newer applicant (no user account yet), so every stage of the journey shows up."""

    slug: str
    name: str
    launchpad: str
    sector: str
    orientation: str
    size: str
    platform: str
    contact: tuple[str, str, str]  # name, job title, e-mail
    days_ago: int
    steps: tuple[tuple[str, str], ...] = ()  # (transition, reason)
    checklist: dict[str, str] | None = None


_MEETS_ALL = {name: Assessment.MEETS for name in ScreeningChecklist.CRITERIA}

APPLICANTS = [
    DemoApplicant(
        "lakeland-honey-farm",
        "Lakeland Honey Farm",
        "uk",
        "food_drink",
        "b2c",
        "micro",
        "shopify",
        ("Ruth Armstrong", "Owner", "ruth@lakeland-honey-farm.example"),
        4,
    ),
    DemoApplicant(
        "kentish-cider-press",
        "Kentish Cider Press",
        "uk",
        "food_drink",
        "both",
        "small",
        "woocommerce",
        ("Ben Kemp", "Director", "ben@kentish-cider-press.example"),
        12,
        (("start_screening", ""),),
        {"sme_status": Assessment.MEETS, "location": Assessment.MEETS, "motivation": Assessment.MEETS},
    ),
    DemoApplicant(
        "aberdeen-oatcakes",
        "Aberdeen Oatcakes",
        "uk",
        "food_drink",
        "b2c",
        "small",
        "shopify",
        ("Fiona Reid", "Managing director", "fiona@aberdeen-oatcakes.example"),
        30,
        (("start_screening", ""), ("pass_screening", "")),
        _MEETS_ALL,
    ),
    DemoApplicant(
        "chocolaterie-nantaise",
        "Chocolaterie Nantaise",
        "fr",
        "food_drink",
        "b2c",
        "micro",
        "prestashop",
        ("Élise Morin", "Gérante", "elise@chocolaterie-nantaise.example"),
        2,
    ),
    DemoApplicant(
        "vannerie-d-auvergne",
        "Vannerie d'Auvergne",
        "fr",
        "crafts",
        "b2c",
        "micro",
        "none",
        ("Paul Chassaing", "Artisan vannier", "paul@vannerie-d-auvergne.example"),
        45,
        (
            ("start_screening", ""),
            ("pass_screening", ""),
            ("decline", "Le gérant préfère attendre l'ouverture de sa boutique en ligne, prévue l'an prochain."),
        ),
        _MEETS_ALL,
    ),
    DemoApplicant(
        "grossiste-textile-lyonnais",
        "Grossiste Textile Lyonnais",
        "fr",
        "fashion",
        "b2b",
        "medium",
        "magento",
        ("Marc Bertin", "Directeur commercial", "marc@grossiste-textile-lyonnais.example"),
        60,
        (("start_screening", ""), ("fail_screening", "")),
        {**_MEETS_ALL, "sme_status": Assessment.DOES_NOT_MEET},
    ),
]


def _at_month(start: datetime.date, month: float) -> datetime.datetime:
    """The moment ``month`` programme months after the start (month 9.5: half-way through the tenth month)."""
    whole = int(month)
    day = datetime.datetime.combine(start, datetime.time(10, 0), tzinfo=datetime.UTC) + relativedelta(months=whole)
    return day + datetime.timedelta(days=round((month - whole) * 30))


def _step(sme: SME, name: str, *, by: User, at: datetime.datetime, reason: str = "") -> None:
    """Record one step of the demo's past: the stage moves and the log row is written as it was then."""
    from_stage = sme.stage
    getattr(sme, name)()
    sme.stage_entered_at = at
    sme.save()
    StageChange.objects.create(
        sme=sme, transition=name, from_stage=from_stage, to_stage=sme.stage, by=by, at=at, reason=reason
    )


def _build_history(sme: SME, path: DemoPath, start: datetime.date, now: datetime.datetime) -> None:
    by = sme.primary_account_manager
    enrolled = _at_month(start, path.enrolled_month)
    # Set on the instance too: _step saves it whole, which would write back today's creation time.
    sme.created_at = enrolled - relativedelta(months=2)
    SME.objects.filter(pk=sme.pk).update(created_at=sme.created_at)
    ScreeningChecklist.objects.update_or_create(sme=sme, defaults={**_MEETS_ALL, "updated_by": by})
    moments = [
        ("start_screening", enrolled - datetime.timedelta(days=50)),
        ("pass_screening", enrolled - datetime.timedelta(days=30)),
        ("enrol", enrolled),
    ]
    at = enrolled
    for stage, step, months in _AFTER_ENROLMENT:
        at = at + datetime.timedelta(days=round((months + (path.slow or {}).get(stage, 0)) * 30))
        moments.append((step, at))
    fate_at = _at_month(start, path.fate[1]) if path.fate else None
    for step, moment in moments:
        if moment > now or (fate_at and moment > fate_at):
            break
        _step(sme, step, by=by, at=moment)
    if fate_at and fate_at <= now:
        _step(sme, path.fate[0], by=by, at=fate_at, reason=path.fate[2])


def _load_applicants(launchpads, by_email, now) -> None:
    for item in APPLICANTS:
        launchpad = launchpads[item.launchpad]
        manager = User.objects.filter(role=Role.ACCOUNT_MANAGER, launchpad=launchpad).order_by("email").first()
        sme, created = SME.objects.get_or_create(
            slug=item.slug,
            defaults={
                "name": item.name,
                "launchpad": launchpad,
                "country": launchpad.country,
                "sector": item.sector,
                "market_orientation": item.orientation,
                "size": item.size,
                "shop_platform": item.platform,
                "website": f"https://www.{item.slug}.example",
                "stage_entered_at": now - datetime.timedelta(days=item.days_ago),
            },
        )
        name, title, email = item.contact
        ContactPerson.objects.update_or_create(
            sme=sme, email=email, defaults={"name": name, "job_title": title, "is_primary": True}
        )
        if not created or sme.stage_changes.exists():
            continue
        sme.created_at = now - datetime.timedelta(days=item.days_ago)
        SME.objects.filter(pk=sme.pk).update(created_at=sme.created_at)
        if item.checklist:
            ScreeningChecklist.objects.update_or_create(sme=sme, defaults={**item.checklist, "updated_by": manager})
        for index, (step, reason) in enumerate(item.steps, start=1):
            at = now - datetime.timedelta(days=item.days_ago) + datetime.timedelta(days=index * item.days_ago // 4)
            _step(sme, step, by=manager, at=at, reason=reason)


def _staff_email(handle: str) -> str:
    return next(email for email, *_ in STAFF if email.startswith(handle + "@"))


def _ensure_user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
        user.set_password(DEMO_PASSWORD)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def load() -> dict[str, list[User]]:
    """Create or update the demo programme; returns the demo accounts by kind."""
    now = timezone.now()
    programme = Programme.objects.first()
    if programme is None:
        start = timezone.localdate() - relativedelta(months=PROGRAMME_MONTHS_AGO)
        programme = Programme.objects.create(name_en="E-Channel", name_fr="E-Channel", start_date=start)
    launchpads = {}
    for data in LAUNCHPADS:
        launchpads[data["code"]], _ = Launchpad.objects.update_or_create(
            code=data["code"], defaults={**data, "programme": programme}
        )

    staff = []
    for email, first, last, role, launchpad_code in STAFF:
        launchpad = launchpads.get(launchpad_code)
        user = _ensure_user(
            email, first_name=first, last_name=last, role=role, launchpad=launchpad, sme=None, is_staff=False
        )
        user_set_preferred_language(user=user, language=launchpad.language if launchpad else "en")
        staff.append(user)
    by_email = {user.email: user for user in staff}

    sme_users = []
    for item in SMES:
        launchpad = launchpads[item.launchpad]
        sme, _ = SME.objects.update_or_create(
            slug=item.slug,
            defaults={
                "name": item.name,
                "launchpad": launchpad,
                "country": launchpad.country,
                "sector": item.sector,
                "market_orientation": item.orientation,
                "size": item.size,
                "website": f"https://www.{item.slug}.example",
                "shop_platform": item.platform,
                "primary_account_manager": by_email[_staff_email(item.account_manager)],
            },
        )
        if item.collaborator:
            sme.collaborators.set([by_email[_staff_email(item.collaborator)]])
        first, last, title = item.owner
        email = f"{slugify(first)}@{item.slug}.example"
        ContactPerson.objects.update_or_create(
            sme=sme,
            email=email,
            defaults={"name": f"{first} {last}", "job_title": title, "is_primary": True},
        )
        user = _ensure_user(email, first_name=first, last_name=last, role=Role.SME_USER, sme=sme, launchpad=None)
        user_set_preferred_language(user=user, language=launchpad.language)
        sme_users.append(user)
        # The journey so far, written once: a reload leaves the history (and any demo moves) alone.
        if not sme.stage_changes.exists() and sme.stage == Stage.ENQUIRY:
            _build_history(sme, PATHS[item.slug], programme.start_date, now)
    _load_applicants(launchpads, by_email, now)
    return {"staff": staff, "sme_users": sme_users}
