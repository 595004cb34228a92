"""The capture mailbox without a server: .eml fixtures (EN, FR; Gmail, Outlook, Apple Mail) and bad input.

The fixtures in ``mail/`` are written in the shapes those clients send: the addresses are the
test launchpads' (log@uk.e-channel.test, log@fr.e-channel.test) and the SMEs' people below.
"""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from coaching.capture import services
from coaching.capture.parsing import parse
from coaching.models import CapturedMessage, Contact
from tests.journey.factories import AccountManagerFactory, ContactPersonFactory, SMEFactory

from .conftest import login
from .factories import ADDRESSES, plain_message, read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def capture_settings(settings):
    settings.CAPTURE_ADDRESSES = ADDRESSES
    settings.CAPTURE_AUTHSERV_ID = ""
    return settings


def capture(name_or_bytes, **kwargs):
    raw = read(name_or_bytes) if isinstance(name_or_bytes, str) else name_or_bytes
    kwargs.setdefault("source", CapturedMessage.Source.FILE)
    return services.capture_message(raw, **kwargs).capture


# --- Parsing ------------------------------------------------------------------------------------


def test_a_gmail_reply_keeps_only_the_new_text_without_quote_or_signature():
    parsed = parse(read("gmail_bcc_en.eml"), max_bytes=10**7, max_attachment_bytes=10**6)
    assert parsed.subject == "Etsy listings for the German market"  # "Re:" dropped
    assert parsed.excerpt.startswith("Hi Iain,")
    assert "centimetres" in parsed.excerpt
    assert "Here are the photos" not in parsed.excerpt  # the quoted reply
    assert "+44 20 7946 0000" not in parsed.excerpt  # the signature
    assert parsed.date == datetime.datetime(2026, 12, 7, 10, 14, 20, tzinfo=datetime.UTC)


def test_a_french_gmail_reply_loses_its_le_a_ecrit_quote_and_signature():
    parsed = parse(read("gmail_bcc_fr.eml"), max_bytes=10**7, max_attachment_bytes=10**6)
    assert parsed.subject == "Tarifs d'expédition vers l'Allemagne"
    assert "Colissimo" in parsed.excerpt
    assert "Quels tarifs" not in parsed.excerpt and "a écrit" not in parsed.excerpt
    assert "Chargée d'affaires" not in parsed.excerpt


def test_an_outlook_forward_in_french_names_the_forwarded_sender():
    parsed = parse(read("outlook_forward_fr.eml"), max_bytes=10**7, max_attachment_bytes=10**6)
    assert parsed.subject == "Échantillons pour le salon de Cologne"  # "TR :" dropped, ISO-8859-1 decoded
    assert "jeanne@biscuiterie-roux.fr" in parsed.forwarded
    assert "Pour le suivi" in parsed.excerpt and "40 boîtes de sablés" in parsed.excerpt


def test_invitations_read_time_link_and_sequence():
    outlook = parse(read("outlook_invite_request_en.eml"), max_bytes=10**7, max_attachment_bytes=10**6).invitation
    assert outlook.method == "REQUEST" and outlook.sequence == 0
    # "GMT Standard Time" (Outlook's Windows zone, defined by its VTIMEZONE): 10:00 in December is 10:00 UTC.
    assert outlook.starts_at.astimezone(datetime.UTC) == datetime.datetime(2026, 12, 14, 10, 0, tzinfo=datetime.UTC)
    assert outlook.duration_minutes == 60
    assert outlook.video_url.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert outlook.location == ""  # "Microsoft Teams Meeting" is a service, not a place
    google = parse(read("google_invite_update_fr.eml"), max_bytes=10**7, max_attachment_bytes=10**6).invitation
    assert google.sequence == 1 and google.video_url == "https://meet.google.com/abc-defg-hij"
    assert google.starts_at.astimezone(datetime.UTC) == datetime.datetime(2026, 12, 16, 14, 0, tzinfo=datetime.UTC)
    cancel = parse(read("google_invite_cancel_fr.eml"), max_bytes=10**7, max_attachment_bytes=10**6).invitation
    assert cancel.method == "CANCEL"


# --- Matching and drafts ----------------------------------------------------------------------------


def test_a_bccd_email_becomes_a_draft_email_contact_on_the_right_sme(hebridean, manager, other_sme):
    captured = capture("gmail_bcc_en.eml")
    assert captured.status == "draft" and captured.sme == hebridean
    assert captured.channel == "email" and captured.sender == manager and captured.launchpad.code == "uk"
    assert captured.subject == "Etsy listings for the German market"
    assert captured.participants == "Iain MacLeod"
    assert not Contact.objects.exists()  # nothing on the progress sheet before confirmation


def test_an_sme_is_found_by_its_website_domain_when_the_person_is_unknown(hebridean):
    captured = capture("applemail_domain_en.eml")  # orders@hebridean-knitwear.co.uk is no contact person
    assert captured.status == "draft" and captured.sme == hebridean


def test_a_forwarded_french_thread_goes_to_the_sme_of_the_forwarded_sender(biscuiterie, french_manager):
    captured = capture("outlook_forward_fr.eml")
    assert captured.status == "draft" and captured.sme == biscuiterie and captured.launchpad.code == "fr"
    assert captured.sender == french_manager


def test_the_same_message_is_captured_once(hebridean):
    first = services.capture_message(read("gmail_bcc_en.eml"), source="file")
    second = services.capture_message(read("gmail_bcc_en.eml"), source="mailbox")
    assert first.created and not second.created and first.capture == second.capture
    assert CapturedMessage.objects.count() == 1


def test_confirmation_puts_the_draft_on_the_progress_sheet_with_its_channel(hebridean, manager):
    captured = capture("gmail_bcc_en.eml")
    contact = services.capture_confirm(capture=captured, by=manager)
    assert contact.sme == hebridean and contact.channel == "email" and contact.author == manager
    assert contact.happened_at == captured.happened_at
    assert contact.summary.startswith("Etsy listings for the German market\n\nHi Iain,")
    captured.refresh_from_db()
    assert captured.status == "confirmed" and captured.contact == contact
    with pytest.raises(Exception, match="already"):
        services.capture_confirm(capture=captured, by=manager)
    assert Contact.objects.count() == 1


def test_someone_who_may_not_change_the_sme_cannot_confirm(hebridean, colleague):
    captured = capture("gmail_bcc_en.eml")
    with pytest.raises(PermissionDenied):
        services.capture_confirm(capture=captured, by=colleague)


def test_an_outlook_invitation_is_moved_by_its_update_and_cancelled_by_its_cancel(hebridean):
    draft = capture("outlook_invite_request_en.eml")
    assert draft.status == "draft" and draft.sme == hebridean and draft.kind == "invitation"
    assert draft.channel == "video" and draft.video_url.startswith("https://teams.microsoft.com/")
    assert draft.happened_at == datetime.datetime(2026, 12, 14, 10, 0, tzinfo=datetime.UTC)
    update = capture("outlook_invite_update_en.eml")
    assert update.status == "applied" and update.applied_to == draft
    draft.refresh_from_db()
    assert draft.happened_at == datetime.datetime(2026, 12, 15, 14, 0, tzinfo=datetime.UTC)
    assert draft.duration_minutes == 90 and draft.ical_sequence == 1
    capture("outlook_invite_cancel_en.eml")
    draft.refresh_from_db()
    assert draft.status == "cancelled"


def test_an_update_moves_a_confirmed_invitation_on_the_progress_sheet(biscuiterie, french_manager):
    draft = capture("google_invite_request_fr.eml")
    assert draft.sme == biscuiterie and draft.video_url == "https://meet.google.com/abc-defg-hij"
    contact = services.capture_confirm(capture=draft, by=french_manager)
    assert "https://meet.google.com/abc-defg-hij" in contact.summary
    capture("google_invite_update_fr.eml")
    contact.refresh_from_db()
    assert contact.happened_at == datetime.datetime(2026, 12, 16, 14, 0, tzinfo=datetime.UTC)
    assert contact.revisions.count() == 1  # the earlier time is kept in the contact's history


def test_a_cancellation_after_confirmation_asks_the_account_manager(hebridean, manager):
    draft = capture("outlook_invite_request_en.eml")
    contact = services.capture_confirm(capture=draft, by=manager)
    cancel = capture("outlook_invite_cancel_en.eml")
    assert cancel.status == "triage" and cancel.reason == "cancelled_confirmed" and cancel.sme == hebridean
    assert Contact.objects.get() == contact  # left for the account manager to correct, never deleted silently


def test_an_older_update_arriving_late_does_not_move_the_draft(hebridean):
    capture("outlook_invite_update_en.eml")  # SEQUENCE 1 first
    stale = read("outlook_invite_request_en.eml")  # SEQUENCE 0 after it
    capture(stale)
    draft = CapturedMessage.objects.get(ical_sequence=1, applied_to__isnull=True)
    assert draft.happened_at == datetime.datetime(2026, 12, 15, 14, 0, tzinfo=datetime.UTC)


def test_a_bare_ics_file_is_captured_like_an_invitation(hebridean, manager):
    from coaching.capture.parsing import parse as parse_message

    ics = parse_message(read("outlook_invite_request_en.eml"), max_bytes=10**7, max_attachment_bytes=10**6)
    assert ics.invitation is not None
    calendar = read("outlook_invite_request_en.eml").split(b"base64\r\n\r\n")[1].split(b"\r\n--")[0]
    import base64

    captured = capture(base64.b64decode(calendar), uploaded_by=manager, sme=hebridean, source="upload")
    assert captured.status == "draft" and captured.kind == "invitation" and captured.subject == "Shipping to Germany"


# --- Triage: never lost, never on a wrong SME ----------------------------------------------------------


def test_an_unknown_sender_goes_to_triage(hebridean):
    captured = capture(bytes(plain_message(sender="someone@elsewhere.test", name="Someone")))
    assert captured.status == "triage" and captured.reason == "unknown_sender" and captured.sme is None
    assert captured.launchpad.code == "uk"  # by the capture address


def test_a_message_about_no_known_sme_goes_to_triage(hebridean):
    captured = capture(bytes(plain_message(to="buyer@unknown-shop.test")))
    assert captured.status == "triage" and captured.reason == "no_sme"


def test_a_message_about_another_account_managers_sme_is_not_attached(hebridean, colleague):
    message = plain_message(sender=colleague.email, name="David")
    captured = capture(bytes(message))
    assert captured.status == "triage" and captured.reason == "not_yours" and captured.sme is None


def test_several_matching_smes_are_offered_as_candidates(hebridean, manager, uk):
    twin = SMEFactory(launchpad=uk, primary_account_manager=manager, name="Harris Tweed Co", slug="harris")
    ContactPersonFactory(sme=twin, name="Iain (also)", email="iain@hebridean-knitwear.co.uk")
    captured = capture("gmail_bcc_en.eml")
    assert captured.status == "triage" and captured.reason == "several_smes"
    assert set(captured.candidates.all()) == {hebridean, twin}
    attached = services.capture_attach(capture=captured, by=manager, sme=twin)
    assert attached.status == "draft" and attached.sme == twin


@pytest.mark.parametrize(
    "header",
    [
        "mx.uk.e-channel.test; spf=fail smtp.mailfrom=uk.test; dkim=none; dmarc=fail header.from=uk.test",
        "mx.uk.e-channel.test; spf=softfail smtp.mailfrom=uk.test; dkim=fail header.d=uk.test",
    ],
)
def test_a_from_that_fails_the_mailboxs_checks_is_forged(hebridean, header):
    captured = capture(bytes(plain_message(Authentication_Results=header)))
    assert captured.status == "triage" and captured.reason == "forged_sender" and captured.sme is None


def test_only_the_mailbox_servers_own_verdict_is_trusted(hebridean, capture_settings):
    capture_settings.CAPTURE_AUTHSERV_ID = "mx.uk.e-channel.test"
    forged = plain_message(Authentication_Results="attacker.test; spf=pass; dkim=pass; dmarc=pass")
    assert capture(bytes(forged)).reason == "forged_sender"
    genuine = plain_message(
        message_id="<plain-2@uk.test>", Authentication_Results="mx.uk.e-channel.test; dkim=pass; dmarc=pass"
    )
    assert capture(bytes(genuine)).status == "draft"


@pytest.mark.parametrize("name", ['"sarah@uk.test"', "sarah@uk.test"])  # quoted, and bare (read as one address)
def test_a_display_name_hiding_another_address_is_forged(hebridean, name):
    forged = f"From: {name} <x@evil.test>".encode()
    raw = bytes(plain_message()).replace(b"From: Sarah Mitchell <sarah@uk.test>", forged)
    captured = capture(raw)
    assert captured.status == "triage" and captured.reason == "forged_sender" and captured.sme is None


def test_a_display_name_trick_with_a_staff_address_is_forged(hebridean, manager):
    message = plain_message(sender="sarah@uk.test", name="iain@hebridean-knitwear.co.uk")
    assert capture(bytes(message)).reason == "forged_sender"


def test_an_html_only_message_is_converted_to_text_never_rendered_and_checked_in_triage(hebridean):
    message = plain_message()
    message.set_content(
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><p>Hi Iain,<br>Here are the <b>three</b> quotes.</p><img src='https://tracker.test/p.gif'></body></html>",
        subtype="html",
    )
    captured = capture(bytes(message))
    assert captured.status == "triage" and captured.reason == "html_only"
    assert "three" in captured.excerpt and "<" not in captured.excerpt and "alert" not in captured.excerpt
    assert list(captured.candidates.all()) == [hebridean]  # one click gives it to the SME


def test_a_huge_attachment_is_not_kept_and_goes_to_triage(hebridean, capture_settings):
    capture_settings.CAPTURE_MAX_ATTACHMENT_BYTES = 50_000
    message = plain_message()
    message.add_attachment(b"\0" * 200_000, maintype="application", subtype="octet-stream", filename="catalogue.exe")
    captured = capture(bytes(message))
    assert captured.status == "triage" and captured.reason == "attachment_too_large"
    assert "catalogue.exe" in captured.reason_detail
    assert captured.attachments == [{"name": "catalogue.exe", "type": "application/octet-stream", "size": 200_000}]


def test_a_message_over_the_size_limit_is_read_for_its_headers_only(hebridean, capture_settings):
    capture_settings.CAPTURE_MAX_MESSAGE_BYTES = 10_000
    message = plain_message()
    message.add_attachment(b"x" * 50_000, maintype="application", subtype="pdf", filename="big.pdf")
    captured = capture(bytes(message))
    assert captured.status == "triage" and captured.reason == "too_large"
    assert captured.subject == "Shipping quotes" and captured.excerpt == ""


def test_a_deeply_nested_message_goes_to_triage(hebridean):
    inner = "Content-Type: text/plain\r\n\r\nhello\r\n"
    for level in range(40):
        inner = f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n{inner}\r\n--b{level}--\r\n'
    head = (
        "From: Sarah Mitchell <sarah@uk.test>\r\nTo: iain@hebridean-knitwear.co.uk\r\nBcc: log@uk.e-channel.test\r\n"
        "Subject: Nested\r\nMessage-ID: <nested@uk.test>\r\nMIME-Version: 1.0\r\n"
    )
    captured = capture((head + inner).encode())
    assert captured.status == "triage" and captured.reason == "too_nested"


def test_a_broken_encoding_goes_to_triage_with_what_could_be_read(hebridean):
    raw = (
        b"From: Sarah Mitchell <sarah@uk.test>\r\nTo: iain@hebridean-knitwear.co.uk\r\nBcc: log@uk.e-channel.test\r\n"
        b"Subject: Prices\r\nMessage-ID: <enc@uk.test>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-unknown-klingon\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Prices \xff\xfe in \xc3 euros\r\n"
    )
    captured = capture(raw)
    assert captured.status == "triage" and captured.reason == "bad_encoding"
    assert "Prices" in captured.excerpt


def test_garbage_is_recorded_in_triage_not_a_crash(hebridean):
    captured = capture(b"\x00\x01\x02 not an e-mail at all")
    assert captured.status == "triage" and captured.reason in ("unreadable", "unknown_sender")


def test_a_cancellation_of_an_unknown_meeting_goes_to_triage(hebridean):
    captured = capture("outlook_invite_cancel_en.eml")
    assert captured.status == "triage" and captured.reason == "unknown_invitation"


def test_triage_reasons_read_in_the_account_managers_language(hebridean):
    captured = capture(bytes(plain_message(sender="someone@elsewhere.test", name="Someone")))
    with translation.override("fr"):
        assert captured.get_reason_display() == "L'expéditeur ne fait pas partie de l'équipe du programme."
    with translation.override("en"):
        assert captured.get_reason_display() == "The sender is not a member of the programme's staff."


# --- The command and the pages ------------------------------------------------------------------------


def test_the_capture_mail_command_captures_one_file_once(hebridean, tmp_path):
    path = tmp_path / "message.eml"
    path.write_bytes(read("gmail_bcc_en.eml"))
    out = StringIO()
    call_command("capture_mail", str(path), stdout=out)
    captured = CapturedMessage.objects.get()
    assert out.getvalue().strip() == f"draft {captured.pk} {hebridean.slug}"
    out = StringIO()
    call_command("capture_mail", str(path), stdout=out)
    assert out.getvalue().strip() == f"already {captured.pk} draft"


def test_the_capture_mail_command_takes_the_launchpad_when_no_address_says_it(hebridean, fr, tmp_path):
    path = tmp_path / "message.eml"
    message = plain_message(sender="someone@elsewhere.test", name="Someone")
    del message["Bcc"]
    path.write_bytes(bytes(message))
    out = StringIO()
    call_command("capture_mail", str(path), "--launchpad", "fr", stdout=out)
    assert out.getvalue().strip().endswith("unknown_sender")
    assert CapturedMessage.objects.get().launchpad == fr


def test_the_dashboard_panel_counts_and_confirms_in_one_click(client, hebridean, manager):
    capture("gmail_bcc_en.eml")
    capture("outlook_invite_request_en.eml")
    capture("applemail_domain_en.eml")
    login(client, manager)
    page = client.get("/admin/")
    assert "3 captured contacts to confirm" in page.content.decode()
    draft = CapturedMessage.objects.get(subject="Wholesale price list")
    response = client.post(reverse("coaching:capture_confirm", args=[draft.pk]), {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Contact.objects.get().summary.startswith("Wholesale price list")
    assert "2 captured contacts to confirm" in client.get("/admin/").content.decode()


def test_the_panel_speaks_french_with_ngettext(client, biscuiterie, french_manager):
    capture("gmail_bcc_fr.eml")
    login(client, french_manager)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 contact capturé à confirmer" in page


def test_a_colleague_cannot_confirm_or_see_someone_elses_draft(client, hebridean, colleague):
    draft = capture("gmail_bcc_en.eml")
    login(client, colleague)
    assert client.post(reverse("coaching:capture_confirm", args=[draft.pk])).status_code == 404
    assert "Etsy listings" not in client.get(reverse("coaching:captured")).content.decode()


def test_an_sme_user_has_no_captured_contacts_page(client, hebridean, sme_user):
    login(client, sme_user)
    assert client.get(reverse("coaching:captured")).status_code == 403


def test_edit_then_confirm_changes_the_contact_before_it_is_logged(client, hebridean, manager):
    draft = capture("gmail_bcc_en.eml")
    login(client, manager)
    url = reverse("coaching:capture_edit", args=[draft.pk])
    assert "Etsy listings" in client.get(url).content.decode()
    response = client.post(
        url, {"happened_at": "2026-12-07T10:14", "channel": "phone", "summary": "Called about the Etsy listings."}
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.channel == "phone" and contact.summary == "Called about the Etsy listings."


def test_discard_keeps_the_message_recorded_so_it_is_never_captured_again(client, hebridean, manager):
    draft = capture("gmail_bcc_en.eml")
    login(client, manager)
    client.post(reverse("coaching:capture_discard", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "discarded"
    assert not services.capture_message(read("gmail_bcc_en.eml"), source="file").created
    assert not Contact.objects.exists()


def test_the_triage_list_shows_the_reason_and_gives_an_entry_to_an_sme(client, hebridean, manager):
    entry = capture(bytes(plain_message(to="buyer@unknown-shop.test")))
    login(client, manager)
    page = client.get(reverse("coaching:captured")).content.decode()
    assert "No SME you look after matches" in page
    client.post(reverse("coaching:capture_attach", args=[entry.pk]), {"sme": hebridean.slug})
    entry.refresh_from_db()
    assert entry.status == "draft" and entry.sme == hebridean


def test_the_triage_list_is_the_launchpads(client, hebridean, french_manager):
    capture(bytes(plain_message(sender="someone@elsewhere.test", name="Someone")))  # the UK's
    login(client, french_manager)
    page = client.get(reverse("coaching:captured")).content.decode()
    assert "Shipping quotes" not in page


def test_a_file_dropped_on_the_sme_page_becomes_a_draft_of_that_sme(client, hebridean, manager):
    login(client, manager)
    url = reverse("coaching:capture_upload", kwargs={"slug": hebridean.slug})
    upload = SimpleUploadedFile("thread.eml", read("outlook_forward_fr.eml"), content_type="message/rfc822")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    draft = CapturedMessage.objects.get()
    assert draft.status == "draft" and draft.sme == hebridean and draft.source == "upload"
    page = client.get(reverse("coaching:sme", kwargs={"slug": hebridean.slug})).content.decode()
    assert "Échantillons pour le salon de Cologne" in page


def test_a_dropped_file_that_is_not_mail_gets_a_clear_message(client, hebridean, manager):
    login(client, manager)
    url = reverse("coaching:capture_upload", kwargs={"slug": hebridean.slug})
    response = client.post(url, {"file": SimpleUploadedFile("photo.png", b"\x89PNG")}, follow=True)
    assert response.status_code == 200
    assert "Drop an e-mail saved as .eml or an invitation saved as .ics." in response.content.decode()
    assert not CapturedMessage.objects.exists()


def test_only_those_who_may_change_the_sme_may_drop_a_file(client, hebridean, colleague):
    login(client, colleague)
    url = reverse("coaching:capture_upload", kwargs={"slug": hebridean.slug})
    upload = SimpleUploadedFile("thread.eml", read("gmail_bcc_en.eml"))
    assert client.post(url, {"file": upload}).status_code == 403
    assert not CapturedMessage.objects.exists()


def test_another_launchpads_manager_cannot_capture_onto_an_sme(hebridean):
    outsider = AccountManagerFactory(launchpad=SMEFactory().launchpad, email="zoe@elsewhere.test")
    with pytest.raises(PermissionDenied):
        services.capture_message(read("gmail_bcc_en.eml"), source="upload", uploaded_by=outsider, sme=hebridean)
