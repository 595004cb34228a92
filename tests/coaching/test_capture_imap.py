"""The capture mailbox against a real IMAP server: Debian's Dovecot, run by the test as a throwaway process.

Each run writes a Dovecot configuration into a temporary folder (a passwd-file user, a
maildir, a free loopback port, no TLS since nothing leaves the machine), starts
``dovecot -F`` as a child process and stops it at the end; the system's Dovecot service is
never touched. Messages are delivered by IMAP APPEND, as a mail server would file them.
Without /usr/sbin/dovecot (``apt-get install dovecot-imapd``) these tests skip and say so.
"""

import datetime
import grp
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient

from coaching.capture import mailbox, services
from coaching.models import CapturedMessage, Contact

from .factories import ADDRESSES, plain_message, read

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "imap-secret-4f9c"  # a throwaway mailbox's password, looked for in the logs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.access(DOVECOT, os.X_OK), reason="Dovecot is not installed (apt-get install dovecot-imapd)"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accounts():
    """Who Dovecot runs as: as root, its packaged unprivileged users; otherwise, ourselves."""
    if os.getuid() == 0:
        return "dovenull", "dovecot", pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
    me = pwd.getpwuid(os.getuid()).pw_name
    return me, me, os.getuid(), os.getgid()


@pytest.fixture(scope="module")
def imap_server():
    folder = Path(tempfile.mkdtemp(prefix="echannel-dovecot-"))
    login_user, internal_user, uid, gid = _accounts()
    for name in ("run", "state", "mail"):
        (folder / name).mkdir()
    os.chmod(folder, 0o755)
    os.chown(folder / "mail", uid, gid)
    port = _free_port()
    (folder / "users").write_text(f"capture:{{PLAIN}}{PASSWORD}\n")
    (folder / "dovecot.conf").write_text(
        f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
instance_name = echannel-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {grp.getgrgid(gid).gr_name}
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
    )
    process = subprocess.Popen(  # our own throwaway server
        [DOVECOT, "-F", "-c", str(folder / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    config = {"HOST": "127.0.0.1", "PORT": port, "SECURITY": "none", "USER": "capture",
              "PASSWORD": PASSWORD, "FOLDER": "INBOX"}  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            with mailbox.connect(config):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
                process.kill()
                pytest.fail(f"Dovecot did not start: {process.stderr.read().decode()} {log}")
            time.sleep(0.2)
    yield config
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def imap(imap_server, settings):
    """An empty INBOX, and the settings of the capture mailbox pointing at it."""
    settings.CAPTURE_ADDRESSES = ADDRESSES
    settings.CAPTURE_AUTHSERV_ID = ""
    settings.CAPTURE_IMAP = imap_server
    with mailbox.connect(imap_server) as client:
        client.select_folder("INBOX")
        messages = client.search(["ALL"])
        if messages:
            client.delete_messages(messages)
            client.expunge()
    return imap_server


def deliver(config, *messages: bytes) -> None:
    with mailbox.connect(config) as client:
        for message in messages:
            client.append("INBOX", message)


def unprocessed(config) -> int:
    with mailbox.connect(config) as client:
        client.select_folder("INBOX", readonly=True)
        return len(client.search(["UNKEYWORD", mailbox.PROCESSED]))


def test_bcc_forward_and_invitations_become_drafts_on_the_right_smes(imap, hebridean, biscuiterie, manager):
    deliver(
        imap,
        read("gmail_bcc_en.eml"),
        read("outlook_forward_fr.eml"),
        read("outlook_invite_request_en.eml"),
        read("google_invite_request_fr.eml"),
    )
    counts = mailbox.poll()
    assert counts == {"read": 4, "new": 4, "already": 0, "failed": 0}
    assert unprocessed(imap) == 0  # marked $Captured on the server
    drafts = {c.subject: c for c in CapturedMessage.objects.all()}
    assert {(c.sme.slug, c.channel, c.status) for c in drafts.values()} == {
        (hebridean.slug, "email", "draft"),
        (biscuiterie.slug, "email", "draft"),
        (hebridean.slug, "video", "draft"),
        (biscuiterie.slug, "video", "draft"),
    }
    assert drafts["Échantillons pour le salon de Cologne"].sme == biscuiterie  # the forwarded thread

    # A second poll adds nothing.
    assert mailbox.poll() == {"read": 0, "new": 0, "already": 0, "failed": 0}
    assert CapturedMessage.objects.count() == 4

    # The invitations' update and cancellation move and cancel the drafts.
    deliver(imap, read("outlook_invite_update_en.eml"), read("google_invite_cancel_fr.eml"))
    assert mailbox.poll()["new"] == 2
    outlook = CapturedMessage.objects.get(subject="Shipping to Germany", applied_to__isnull=True)
    assert outlook.happened_at == datetime.datetime(2026, 12, 15, 14, 0, tzinfo=datetime.UTC)
    google = CapturedMessage.objects.get(subject="Revue mensuelle Biscuiterie Roux", applied_to__isnull=True)
    assert google.status == "cancelled"

    # Confirmation puts them on the progress sheet with their channel.
    services.capture_confirm(capture=drafts["Etsy listings for the German market"], by=manager)
    services.capture_confirm(capture=outlook, by=manager)
    assert sorted(Contact.objects.filter(sme=hebridean).values_list("channel", flat=True)) == ["email", "video"]


def test_a_crash_mid_batch_captures_nothing_twice(imap, hebridean, monkeypatch):
    deliver(imap, read("gmail_bcc_en.eml"), read("applemail_domain_en.eml"), read("outlook_invite_request_en.eml"))

    def crash(self, *args, **kwargs):
        raise ConnectionResetError("the connection dropped after the first message was recorded")

    with monkeypatch.context() as patch:
        patch.setattr(IMAPClient, "add_flags", crash)
        with pytest.raises(ConnectionResetError):
            mailbox.poll()
    assert CapturedMessage.objects.count() == 1 and unprocessed(imap) == 3
    assert mailbox.poll() == {"read": 3, "new": 2, "already": 1, "failed": 0}
    assert CapturedMessage.objects.count() == 3 and unprocessed(imap) == 0


def test_bad_input_lands_in_triage_with_its_reason(imap, hebridean, settings):
    settings.CAPTURE_MAX_MESSAGE_BYTES = 30_000
    huge = plain_message(message_id="<huge@uk.test>")
    huge.add_attachment(b"x" * 60_000, maintype="application", subtype="zip", filename="photos.zip")
    html = plain_message(message_id="<html@uk.test>")
    html.set_content("<p>Hello <b>Iain</b></p>", subtype="html")
    forged = plain_message(
        message_id="<forged@uk.test>", Authentication_Results="mx.uk.e-channel.test; spf=fail; dmarc=fail"
    )
    stranger = plain_message(message_id="<stranger@uk.test>", sender="x@stranger.test", name="X")
    deliver(imap, bytes(huge), bytes(html), bytes(forged), bytes(stranger))
    assert mailbox.poll()["new"] == 4
    reasons = dict(CapturedMessage.objects.values_list("message_id", "reason"))
    assert reasons == {
        "<huge@uk.test>": "too_large",
        "<html@uk.test>": "html_only",
        "<forged@uk.test>": "forged_sender",
        "<stranger@uk.test>": "unknown_sender",
    }
    assert not CapturedMessage.objects.exclude(status="triage").exists()


def test_the_password_is_never_logged(imap, hebridean, caplog):
    deliver(imap, read("gmail_bcc_en.eml"))
    with caplog.at_level(logging.DEBUG):
        mailbox.poll()
        wrong = {**imap, "PASSWORD": PASSWORD + "-wrong"}
        with pytest.raises(Exception, match=r"(?i)auth|login"):
            mailbox.poll(wrong)
    assert "capture: polling capture at 127.0.0.1" in caplog.text
    assert PASSWORD not in caplog.text


def test_no_mailbox_configured_means_no_poll(settings):
    settings.CAPTURE_IMAP = {**settings.CAPTURE_IMAP, "HOST": ""}
    assert mailbox.poll() == {"read": 0, "new": 0, "already": 0, "failed": 0}
