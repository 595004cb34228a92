"""French pages speak French and English pages English: the demo walked in each language.

Every interface string comes from the catalogue, so an English source string (two words or more,
placeholders cut out) found on a French page is a string that escaped translation, and a French
translation found on an English page is one shown to the wrong reader. Text marked with another
``lang`` (the language switcher) is the page saying so on purpose. Content is not interface: the
walk reads each launchpad's SMEs in its own language (a UK SME's notes are written in English).
"""

from __future__ import annotations

import html
import re
from collections import deque
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import Client

from journey.models import SME

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PASSWORD = "echannel-demo"
PAGES_PER_WALK = 50
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}")
SKIP = re.compile(r"logout|setlang|/(pdf|xlsx|csv|ics|export|download)/|\.(pdf|xlsx|csv|ics|png|svg|json|jwt)$|delete")
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.S)


def _fragments():
    """English and French pieces of the catalogue that belong to one language only."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    pairs = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        pairs.append((ids, strings))
    all_english = " ".join(" ".join(ids) for ids, _ in pairs)
    all_french = " ".join(" ".join(strings) for _, strings in pairs)

    def pieces(texts, other):
        for text in texts:
            for piece in PLACEHOLDER.split(text):
                piece = piece.strip(" .:;,!?()–—-…«»\n\u00a0\u202f")
                if len(piece.split()) >= 2 and re.search(r"[a-zé]", piece) and piece not in other:
                    yield piece

    english = {piece for ids, _ in pairs for piece in pieces(ids, all_french)}
    french = {piece for _, strings in pairs for piece in pieces(strings, all_english)}
    return english, french


def _visible_text(page: str) -> str:
    page = HIDDEN.sub(" ", page)
    # Parts in another language say so with their own lang attribute (WCAG 3.1.2): left out.
    page = re.sub(r"<(\w+)[^>]*\blang=\"(?!{})[a-z-]+\"[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    # Only ASCII white space is collapsed: a non-breaking space stays what it is.
    return re.sub(r"[ \t\r\n\f\v]+", " ", html.unescape(page))


# French typography: an ordinary space before : ; ? ! is one a line may break at, leaving the sign alone at the
# start of the next line. Tags are cut out without a space here, so that "<b>Nom</b> :" reads as written.
LOOSE_PUNCTUATION = re.compile(r"\S.{0,30}? [:;?!](?=[\s»)]|$)")


# Text for screen readers only (Wagtail's breadcrumb writes "<span class="w-sr-only">: </span>"): never laid out.
SCREEN_READER_ONLY = re.compile(r'<span class="(?:w-sr-only|visually-hidden)">[^<]*</span>')


def _loose_punctuation(page: str) -> list[str]:
    text = re.sub(r"<[^>]+>", "", SCREEN_READER_ONLY.sub("", HIDDEN.sub(" ", page)))
    return sorted(set(LOOSE_PUNCTUATION.findall(re.sub(r"[ \t\r\n\f\v]+", " ", html.unescape(text)))))


def _walk(client: Client, language: str, avoid: set[str], limit: int = PAGES_PER_WALK):
    """Pages reached from the landing pages, breadth first, in one language, never the other's SMEs."""
    queue, seen = deque([f"/{language}/", f"/{language}/portal/", "/admin/"]), set()
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        yield response.request["PATH_INFO"], page
        for href in re.findall(r'href="([^"#?]+)', page):
            href = html.unescape(href)
            if (
                href.startswith(("/admin/", f"/{language}/"))
                and not SKIP.search(href)
                and not any(slug in href for slug in avoid)
                and href not in seen
            ):
                queue.append(href)


def _found(text: str, pieces: set[str]) -> list[str]:
    return sorted(p for p in pieces if re.search(r"(?<![\w’'])" + re.escape(p) + r"(?![\w’'])", text))


def test_demo_pages_show_no_interface_string_of_the_other_language():
    call_command("load_demo", stdout=StringIO())
    english, french = _fragments()
    slugs = {
        code: set(SME.objects.filter(launchpad__code=code).values_list("slug", flat=True)) for code in ("uk", "fr")
    }
    walks = [
        ("-", "fr"),
        ("-", "en"),
        ("anne@biscuiterie-de-la-baie.example", "fr"),
        ("morag@hebridean-knitwear.example", "en"),
        ("camille.laurent@fr.e-channel.example", "fr"),
        ("sarah.mitchell@uk.e-channel.example", "en"),
        ("coordinator@e-channel.example", "fr"),
    ]
    problems = {}
    pages = 0
    for email, language in walks:
        client = Client()
        if email != "-":
            assert client.login(username=email, password=PASSWORD), email
            # The admin speaks the user's saved language: the switch saves it.
            client.post("/i18n/setlang/", {"language": language, "next": f"/{language}/"})
        avoid = slugs["uk" if language == "fr" else "fr"]
        wrong = english if language == "fr" else french
        for path, page in _walk(client, language, avoid):
            pages += 1
            if leaks := _found(_visible_text(page), wrong):
                problems[f"{email} {language} {path}"] = leaks
            if language == "fr" and (loose := _loose_punctuation(page)):
                problems[f"{email} {language} {path}: ordinary space before punctuation"] = loose
    assert pages > 200
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())


def test_the_scan_finds_a_string_left_in_english_and_ignores_parts_marked_in_another_language():
    english, french = _fragments()
    page = (
        '<main><h1>Schedule a session</h1><form><button lang="en">Save and send the invitations</button></form></main>'
    )
    assert _found(_visible_text(page), english) == ["Schedule a session"]
    assert _found(_visible_text("<p>Planifier une séance</p>"), french) == ["Planifier une séance"]


def test_the_scan_finds_an_ordinary_space_before_french_punctuation_and_nothing_else():
    page = (
        "<h2>Dernier mois complet : novembre</h2><p><b>Nom</b>\u00a0: Anne</p><p>Quoi\u00a0?</p>"
        '<p><a href="https://example.org/?a=1">https://example.org/?a=1</a> à 10:30</p><script>if (a ? b : c);</script>'
    )
    assert _loose_punctuation(page + '<p>PME <span class="w-sr-only">: </span>Anne</p>') == ["Dernier mois complet :"]
