"""Who sent a captured message, for which launchpad, about which SME (reads only).

The SME is found by its people's e-mail addresses (contact people, then its users) among
everyone the message names, then by its website's domain; only among the SMEs the sender
may change, so a message is never attached to an SME its sender does not look after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q

from journey import scoping
from journey.models import SME, ContactPerson, Launchpad, Role, User

STAFF_ROLES = [Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER, Role.COORDINATOR]


def capture_addresses() -> dict[str, str]:
    """Capture address (lowercased) → launchpad code."""
    return {address.strip().lower(): code for code, address in settings.CAPTURE_ADDRESSES.items() if address}


def capture_address(launchpad: Launchpad) -> str:
    return settings.CAPTURE_ADDRESSES.get(launchpad.code, "")


def staff_sender(address: str) -> User | None:
    """The active staff user with this address, if any."""
    if not address:
        return None
    user = User.objects.filter(email__iexact=address, is_active=True).select_related("launchpad").first()
    if user is None or not (user.role in STAFF_ROLES or user.is_superuser):
        return None
    return user


def launchpad_for(addresses: list[str], code: str | None, sender: User | None) -> Launchpad | None:
    """The launchpad whose capture address the message went to, else the one named, else the sender's."""
    known = capture_addresses()
    for address in addresses:
        if address in known:
            launchpad = Launchpad.objects.filter(code=known[address]).first()
            if launchpad:
                return launchpad
    if code:
        return Launchpad.objects.filter(code=code).first()
    return sender.launchpad if sender is not None and sender.launchpad_id else None


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower()


def _website_host(url: str) -> str:
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    return host.removeprefix("www.")


@dataclass
class Match:
    smes: list[SME] = field(default_factory=list)  # the candidates, best first
    outside: bool = False  # a match exists, but only among SMEs the sender may not change
    names: list[str] = field(default_factory=list)  # the SME people named, for "who took part"


def _by_address(smes, addresses: list[str]) -> tuple[list[int], list[str]]:
    lowered = {a.lower() for a in addresses}
    query = Q()
    for address in lowered:
        query |= Q(email__iexact=address)
    if not lowered:
        return [], []
    people = list(ContactPerson.objects.filter(query, sme__in=smes).values_list("sme_id", "email", "name"))
    users = User.objects.filter(query, role=Role.SME_USER, sme__in=smes).values_list("sme_id", "email", "first_name")
    named = {email.lower() for _sme, email, _name in people}
    people += [(sme_id, email, name) for sme_id, email, name in users if email.lower() not in named]
    ids = list(dict.fromkeys(sme_id for sme_id, _email, _name in people))
    return ids, [name for _sme, _email, name in people if name]


def _by_domain(smes, addresses: list[str]) -> list[int]:
    domains = {_domain(a) for a in addresses}
    ids = []
    for sme_id, website in smes.exclude(website="").values_list("pk", "website"):
        host = _website_host(website)
        if host and any(d == host or d.endswith("." + host) for d in domains):
            ids.append(sme_id)
    return ids


def match_sme(people: list[str], sender: User) -> Match:
    """The SMEs the message is about, among those the sender may change."""
    ignored = set(capture_addresses()) | set(
        User.objects.filter(Q(role__in=STAFF_ROLES) | Q(is_superuser=True)).values_list("email", flat=True)
    )
    ignored = {a.lower() for a in ignored} | {sender.email.lower()}
    addresses = [a for a in people if a not in ignored]
    own_domains = {_domain(a) for a in ignored}
    outside_domains = [a for a in addresses if _domain(a) not in own_domains]
    editable = scoping.smes_editable_by(sender)
    ids, names = _by_address(editable, addresses)
    if not ids:
        ids = _by_domain(editable, outside_domains)
    if ids:
        by_pk = SME.objects.in_bulk(ids)
        return Match(smes=[by_pk[i] for i in ids if i in by_pk], names=names)
    everyone = SME.objects.all()
    outside = bool(_by_address(everyone, addresses)[0] or _by_domain(everyone, outside_domains))
    return Match(outside=outside)
