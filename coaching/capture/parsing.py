"""Reading one captured message: headers, the text of its latest reply, an invitation, its attachments.

Pure functions over the raw bytes (no database): the standard ``email`` package with
``policy.default``, mail-parser-reply for quoted replies and signatures (English and
French), BeautifulSoup to turn an HTML-only body into text (never rendered), and
``icalendar`` for invitations. Whatever is wrong with a message is returned as a problem
(a ``CaptureReason`` value) for the triage list; nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import email
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from bs4 import BeautifulSoup
from icalendar import Calendar
from mailparser_reply import EmailReplyParser

# A message nested deeper than this, or with more parts, is not read further.
MAX_DEPTH = 12
MAX_PARTS = 200
# The first lines of the body kept as the draft's excerpt.
EXCERPT_LINES = 8
EXCERPT_CHARS = 800

_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|tr|réf|ref|aw|wg)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# Where a forwarded message starts, as Gmail, Outlook and Apple Mail write it in English and French.
_FORWARD_MARKERS = re.compile(
    r"^\s*(-{2,}\s*(forwarded message|message transféré|original message|message d'origine)\s*-{2,}"
    r"|begin forwarded message\s*:|début du message réexpédié\s*:"
    r"|_{10,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Header lines inside a forwarded block: From / To / Cc in English and French.
_FORWARD_HEADER = re.compile(r"^\s*[*>]*\s*(from|to|cc|de|à|a|envoyé par)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_MEETING_HOSTS = re.compile(
    r"https://[\w.-]*(teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|zoom\.us|whereby\.com|webex\.com)"
    r"/[^\s<>\"')]*",
    re.IGNORECASE,
)
_MEETING_LABEL = re.compile(r"teams|google meet|zoom|webex|whereby|réunion en ligne|online meeting", re.IGNORECASE)
# Where the boilerplate of a video call starts in an invitation's text (Outlook, Google, EN and FR).
_MEETING_BOILERPLATE = re.compile(
    r"^\s*(_{10,}|-::~.*|microsoft teams (meeting|need help\?)|réunion microsoft teams|"
    r"(join|participer) (with|avec) google meet.*|invitation (from|de) google (calendar|agenda))\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Properties where calendar clients put the meeting's video link.
_VIDEO_PROPERTIES = [
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-ONLINEMEETINGCONFURL",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "CONFERENCE",
    "URL",
]


@dataclass
class Invitation:
    method: str  # REQUEST, CANCEL, …
    uid: str
    sequence: int
    starts_at: datetime.datetime | None
    duration_minutes: int | None
    summary: str
    location: str
    video_url: str
    attendees: list[str] = field(default_factory=list)


@dataclass
class ParsedMessage:
    key: str
    message_id: str = ""
    from_address: str = ""
    from_name: str = ""
    recipients: list[str] = field(default_factory=list)  # To, Cc, Bcc and the delivery headers
    forwarded: list[str] = field(default_factory=list)  # addresses in a forwarded message's headers
    subject: str = ""
    date: datetime.datetime | None = None
    excerpt: str = ""
    invitation: Invitation | None = None
    attachments: list[dict] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (CaptureReason value, detail)
    auth_failed: bool = False

    @property
    def people(self) -> list[str]:
        """Every address the message names besides its sender, lowercased, in order, once each."""
        found = [*self.recipients, *self.forwarded, *(self.invitation.attendees if self.invitation else [])]
        return list(dict.fromkeys(a.lower() for a in found if a and a.lower() != self.from_address))


def message_key(message_id: str, raw: bytes) -> str:
    """The digest that makes a message unique: its Message-ID's, or its bytes' when it has none."""
    if message_id:
        return hashlib.sha256(message_id.strip().strip("<>").lower().encode()).hexdigest()
    return hashlib.sha256(raw).hexdigest()


def _header(msg, name: str) -> str:
    try:
        value = msg.get(name)
        return str(value).strip() if value is not None else ""
    except Exception:  # a header policy.default cannot parse: read as absent
        return ""


def _addresses(msg, *names: str) -> list[str]:
    values = []
    for name in names:
        with contextlib.suppress(Exception):  # a header policy.default cannot parse: read as absent
            values += [str(v) for v in msg.get_all(name, [])]
    return [address.lower() for _name, address in getaddresses(values) if "@" in address]


def _depth_and_count(msg) -> tuple[int, int]:
    """The deepest nesting and the number of parts, walked without recursion."""
    deepest, count, stack = 0, 0, [(msg, 1)]
    while stack:
        part, depth = stack.pop()
        count += 1
        deepest = max(deepest, depth)
        if count > MAX_PARTS or deepest > MAX_DEPTH:
            break
        payload = part.get_payload() if part.is_multipart() or part.get_content_type() == "message/rfc822" else None
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload)
    return deepest, count


def _decode_text(part) -> tuple[str, bool]:
    """A text part's content, and whether its encoding was broken or unknown."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        codecs.lookup(charset)
    except LookupError:
        return payload.decode("utf-8", errors="replace"), True
    try:
        return payload.decode(charset), False
    except UnicodeDecodeError:
        return payload.decode(charset, errors="replace"), True


def html_to_text(html: str) -> str:
    """The text of an HTML body: scripts, styles and markup dropped, never rendered."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "li", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr"]):
        block.insert_before("\n")
        block.append("\n")
    text = soup.get_text()
    return "\n".join(line.strip() for line in text.splitlines())


def _latest_reply(text: str) -> str:
    """The newest part of a thread: quoted replies and the signature removed (English and French)."""
    try:
        replies = EmailReplyParser(languages=["en", "fr"]).read(text=text).replies
    except Exception:
        return text
    return replies[0].body if replies and replies[0].body.strip() else text


def _excerpt(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    kept = []
    for line in lines:
        if not line.strip() and (not kept or not kept[-1].strip()):
            continue
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
        if sum(1 for k in kept if k.strip()) >= EXCERPT_LINES:
            break
    return "\n".join(kept).strip()[:EXCERPT_CHARS]


def clean_subject(subject: str) -> str:
    return _SUBJECT_PREFIX.sub("", " ".join(subject.split()))[:300]


def _body_text(text: str) -> tuple[str, list[str]]:
    """The excerpt of a body, and the addresses of a forwarded message's headers in it."""
    forwarded: list[str] = []
    marker = _FORWARD_MARKERS.search(text)
    if marker:
        note, rest = text[: marker.start()], text[marker.end() :]
        header_block = rest.lstrip()[:2000].split("\n\n", 1)
        for match in _FORWARD_HEADER.finditer(header_block[0]):
            forwarded += [a.lower() for a in _ADDRESS.findall(match.group(2))]
        forwarded_body = header_block[1] if len(header_block) > 1 else ""
        parts = [_latest_reply(note).strip(), _latest_reply(forwarded_body).strip()]
        return _excerpt("\n\n".join(p for p in parts if p)), forwarded
    return _excerpt(_latest_reply(text)), forwarded


def _as_datetime(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(9, 0))
    return None


def _video_url(event) -> str:
    for name in _VIDEO_PROPERTIES:
        value = event.get(name)
        if value and str(value).startswith("https://"):
            return str(value)[:500]
    for name in ("LOCATION", "DESCRIPTION"):
        match = _MEETING_HOSTS.search(str(event.get(name, "")))
        if match:
            return match.group(0)[:500]
    return ""


def parse_invitation(data: bytes, method_hint: str = "") -> Invitation | None:
    """The first event of an iCalendar object, or None when it is not one."""
    try:
        calendar = Calendar.from_ical(data)
        event = next(iter(calendar.walk("VEVENT")), None)
        if event is None:
            return None
        method = str(calendar.get("METHOD", "") or method_hint or "REQUEST").upper()
        start = _as_datetime(event.decoded("DTSTART")) if event.get("DTSTART") else None
        duration = None
        if event.get("DTEND") and start is not None:
            end = _as_datetime(event.decoded("DTEND"))
            if end is not None and (start.tzinfo is None) == (end.tzinfo is None):
                duration = max(0, int((end - start).total_seconds() // 60))
        elif event.get("DURATION"):
            duration = int(event.decoded("DURATION").total_seconds() // 60)
        attendees = event.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        location = " ".join(str(event.get("LOCATION", "")).split())
        video = _video_url(event)
        if location.startswith("https://"):
            video, location = video or location, ""
        if video and _MEETING_LABEL.search(location):  # "Microsoft Teams Meeting": a service, not a place
            location = ""
        status = str(event.get("STATUS", "")).upper()
        return Invitation(
            method="CANCEL" if status == "CANCELLED" else method,
            uid=str(event.get("UID", ""))[:255],
            sequence=int(event.get("SEQUENCE", 0) or 0),
            starts_at=start,
            duration_minutes=duration,
            summary=" ".join(str(event.get("SUMMARY", "")).split())[:300],
            location=location[:200],
            video_url=video,
            attendees=[str(a).split(":", 1)[-1].lower() for a in attendees if "@" in str(a)],
        )
    except Exception:  # any malformed calendar: not an invitation
        return None


def _authentication_failed(msg, authserv_id: str) -> bool:
    """Did the receiving server's checks fail the From address?

    With ``authserv_id`` set, only that server's Authentication-Results are read (a sender can
    write its own header), and a message it did not pass by DMARC, DKIM or SPF fails. Without it,
    only an explicit failure counts.
    """
    try:
        headers = [str(h) for h in msg.get_all("Authentication-Results", [])]
    except Exception:
        headers = []
    if authserv_id:
        headers = [h for h in headers if h.split(";", 1)[0].strip().split()[:1] == [authserv_id]]
        if not headers:
            return True
    for header in headers:
        results = dict(re.findall(r"\b(dmarc|dkim|spf)\s*=\s*(\w+)", header.lower()))
        if results.get("dmarc") == "fail":
            return True
        if results.get("spf") in ("fail", "softfail") and results.get("dkim") != "pass":
            return True
        if authserv_id and "pass" not in (results.get("dmarc"), results.get("dkim"), results.get("spf")):
            return True
    return False


def _display_name_trick(name: str, address: str) -> bool:
    """A From whose display name holds another address ("boss@launchpad" <someone@elsewhere>)."""
    return any(found.lower() != address for found in _ADDRESS.findall(name or ""))


def parse(
    raw: bytes, *, max_bytes: int, max_attachment_bytes: int, authserv_id: str = "", size: int | None = None
) -> ParsedMessage:
    """Read one message. Oversized input is read only for its headers; problems are listed, never raised.

    ``size`` is the message's full size when only its headers were fetched.
    """
    size = max(size or 0, len(raw))
    too_large = size > max_bytes
    source = raw
    if too_large:  # the headers only
        end = raw.find(b"\r\n\r\n", 0, 65536)
        end = raw.find(b"\n\n", 0, 65536) if end < 0 else end
        source = raw[: end if end >= 0 else 65536]
    try:
        msg: EmailMessage = email.message_from_bytes(source, policy=policy.default)
    except Exception:
        return ParsedMessage(key=message_key("", raw), problems=[("unreadable", "")])
    message_id = _header(msg, "Message-ID")[:500]
    parsed = ParsedMessage(key=message_key(message_id, raw), message_id=message_id)
    senders = _addresses(msg, "From")
    try:
        names = [a.display_name for a in msg["From"].addresses] if msg["From"] is not None else []
    except Exception:
        names = []
    if len(senders) == 1:
        parsed.from_address = senders[0]
        parsed.from_name = (names[0] if names else "")[:200]
    elif len(senders) > 1:
        parsed.problems.append(("forged_sender", ""))
    parsed.recipients = _addresses(msg, "To", "Cc", "Bcc", "Delivered-To", "X-Original-To", "Envelope-To")
    parsed.subject = clean_subject(_header(msg, "Subject"))
    try:
        date = parsedate_to_datetime(_header(msg, "Date"))
        parsed.date = date if date.tzinfo else None
    except (TypeError, ValueError, IndexError):
        parsed.date = None
    # The From as written: "boss@launchpad <someone@elsewhere>" unquoted is read by the parser as the first
    # address alone, so any second address in the raw header is a trick too.
    raw_from = " ".join(str(value) for name, value in msg.raw_items() if name.lower() == "from")
    if parsed.from_address and (
        _display_name_trick(parsed.from_name, parsed.from_address)
        or len({a.lower() for a in _ADDRESS.findall(raw_from)}) > 1
        or _authentication_failed(msg, authserv_id)
    ):
        parsed.auth_failed = True
        parsed.problems.append(("forged_sender", ""))
    if too_large:
        parsed.problems.append(("too_large", f"{size // 1024} KB"))
        return parsed
    if not msg.keys():
        parsed.problems.append(("unreadable", ""))
        return parsed
    depth, count = _depth_and_count(msg)
    if depth > MAX_DEPTH or count > MAX_PARTS:
        parsed.problems.append(("too_nested", f"{count}+ parts" if count > MAX_PARTS else f"depth {depth}+"))
        return parsed
    _read_parts(msg, parsed, max_attachment_bytes)
    return parsed


def _read_parts(msg: EmailMessage, parsed: ParsedMessage, max_attachment_bytes: int) -> None:
    plain = html = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = part.get_filename() or ""
        disposition = part.get_content_disposition()
        if content_type in ("text/calendar", "application/ics") or filename.lower().endswith(".ics"):
            if parsed.invitation is None:
                parsed.invitation = parse_invitation(
                    part.get_payload(decode=True) or b"", str(part.get_param("method", "") or "")
                )
            continue
        if content_type == "message/rfc822":
            continue
        if disposition != "attachment" and content_type == "text/plain" and plain is None:
            plain = part
            continue
        if disposition != "attachment" and content_type == "text/html" and html is None:
            html = part
            continue
        if disposition in ("attachment", "inline") or filename:
            size = len(part.get_payload(decode=True) or b"")
            parsed.attachments.append({"name": filename[:200], "type": content_type, "size": size})
            if size > max_attachment_bytes:
                parsed.problems.append(("attachment_too_large", f"{filename[:100]} ({size // 1024} KB)"))
    # A forwarded message attached whole (Apple Mail, Outlook "forward as attachment"): its people count.
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, email.message.Message):
                parsed.forwarded += _addresses(inner, "From", "To", "Cc")
    text, broken = "", False
    if plain is not None:
        text, broken = _decode_text(plain)
    elif html is not None:
        markup, broken = _decode_text(html)
        text = html_to_text(markup)
        parsed.problems.append(("html_only", ""))
    if broken:
        parsed.problems.append(("bad_encoding", ""))
    if parsed.invitation is not None:
        boilerplate = _MEETING_BOILERPLATE.search(text)
        text = text[: boilerplate.start()] if boilerplate else text
    parsed.excerpt, forwarded = _body_text(text)
    parsed.forwarded += forwarded
