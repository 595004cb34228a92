"""The demo programme: two launchpads, their staff and 24 SMEs, each with an SME user.

``load()`` is idempotent: records are found by their natural keys (codes, e-mail
addresses, slugs) and updated, never duplicated. Passwords are set when an account is
created, so a password changed during a demo survives a reload.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from .models import SME, ContactPerson, Launchpad, Programme, Role, User
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
        "micro",
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
    programme, _ = Programme.objects.update_or_create(
        pk=Programme.objects.values_list("pk", flat=True).first(),
        defaults={"name_en": "E-Channel", "name_fr": "E-Channel", "start_date": datetime.date(2025, 10, 1)},
    )
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
    return {"staff": staff, "sme_users": sme_users}
