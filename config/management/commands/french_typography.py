"""French typography in the French catalogue: a non-breaking space (U+00A0) before ``:`` ``;`` ``?`` ``!``
and inside « guillemets » (docs/decisions/0017-french-typography.md).

    manage.py french_typography           # fixes locale/fr/LC_MESSAGES/django.po in place
    manage.py french_typography --check   # lists what it would fix and fails, changes nothing

Re-runnable: it only touches translations (``msgstr``), never the English source or the header, and leaves
alone what is not punctuation: ``https://``, ``10:30``, ``?next=``, ``&amp;``, ``%(name)s``. Run it after
filling new translations, before compiling them.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

NBSP = "\u00a0"
# Any space a writer may have put before the sign (ordinary, non-breaking, narrow non-breaking, thin).
SPACES = " \u00a0\u202f\u2009"
# A sign is punctuation when it ends the text or a word is followed by a space, a line break (``\n`` as written
# in the .po), a closing guillemet or bracket, or another sign ("?!"). Otherwise it is part of something else:
# a URL ("https://", "?next="), a time ("10:30"), an HTML entity ("&amp;").
PUNCTUATION = re.compile(r"(?P<before>[" + SPACES + r"]*)(?P<sign>[:;?!])" + r'(?=$|[ \u00a0\u202f»)]|\\n|\\"|[:;?!])')
ENTITY = re.compile(r"&#?\w+$")
OPEN_QUOTE = re.compile(r"«[" + SPACES + r"]*")
CLOSE_QUOTE = re.compile(r"[" + SPACES + r"]*»")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
FIELD = re.compile(r'^(?P<key>msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(?P<text>.*)"$')
CONTINUATION = re.compile(r'^"(?P<text>.*)"$')


def french_text(text: str) -> str:
    """The text with a non-breaking space before each ``:;?!`` and inside « »."""

    def space(match: re.Match) -> str:
        start = match.start()
        if ENTITY.search(text[:start]) and match["sign"] == ";" and not match["before"]:
            return match[0]  # "&amp;"
        if start == 0 and not match["before"]:
            return match[0]  # nothing before it to keep it with
        if not match["before"] and text[start - 1] in ":;?!" + NBSP:
            return match[0]  # "?!": the second sign follows the first
        return NBSP + match["sign"]

    text = PUNCTUATION.sub(space, text)
    text = OPEN_QUOTE.sub("«" + NBSP, text)
    return CLOSE_QUOTE.sub(NBSP + "»", text)


def _entries(lines: list[str]):
    """Each field of each entry as ``(key, first line, last line, text)``, text as written (escaped) in the file."""
    field = None
    for number, line in enumerate(lines):
        if line.startswith("#"):
            field = None
            continue
        if match := FIELD.match(line):
            field = [match["key"], number, number, match["text"]]
            yield field
        elif (match := CONTINUATION.match(line)) and field is not None:
            field[2] = number
            field[3] += match["text"]
        else:
            field = None


def fix_catalogue(content: str) -> tuple[str, list[tuple[str, str]]]:
    """The catalogue with French typography, and each translation changed as ``(before, after)``."""
    lines = content.split("\n")
    changes, edits = [], []
    msgid = None
    for key, first, last, text in list(_entries(lines)):
        if key == "msgid":
            msgid = text
        if not key.startswith("msgstr") or msgid == "":  # the header's msgstr is metadata, not French
            continue
        fixed = french_text(text)
        if fixed == text:
            continue
        changes.append((text, fixed))
        pieces = [FIELD.match(lines[first])["text"]] + [
            CONTINUATION.match(line)["text"] for line in lines[first + 1 : last + 1]
        ]
        if len(fixed) == len(text):
            # Spaces replaced one for one: the lines keep their wrapping (a small diff, fewer merge conflicts).
            cut, rewrapped = 0, []
            for piece in pieces:
                rewrapped.append(fixed[cut : cut + len(piece)])
                cut += len(piece)
            edits.append((first, last, [f'{key} "{rewrapped[0]}"'] + [f'"{piece}"' for piece in rewrapped[1:]]))
        else:
            edits.append((first, last, [f'{key} "{fixed}"']))  # makemessages wraps it again
    for first, last, replacement in reversed(edits):
        lines[first : last + 1] = replacement
    return "\n".join(lines), changes


class Command(BaseCommand):
    help = "Puts a non-breaking space before : ; ? ! and inside « » in the French catalogue's translations."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="List what would change and fail; change nothing.")
        parser.add_argument("--path", default=str(CATALOGUE), help="The .po file (default: the French catalogue).")

    def handle(self, *args, check: bool, path: str, **options):
        catalogue = Path(path)
        content, changes = fix_catalogue(catalogue.read_text(encoding="utf-8"))
        for before, after in changes:
            self.stdout.write(f"- {before}\n+ {after.replace(NBSP, '⍽')}")
        if check:
            if changes:
                raise CommandError(f"{len(changes)} French translation(s) need non-breaking spaces: "
                                   "run `manage.py french_typography`.")  # fmt: skip
            self.stdout.write("French typography: nothing to fix.")
            return
        if changes:
            catalogue.write_text(content, encoding="utf-8")
        self.stdout.write(f"French typography: {len(changes)} translation(s) fixed in {catalogue}.")
