"""Mail delivery against a real SMTP server (aiosmtpd): the demo's outbox goes out over SMTP, well formed; with
STARTTLS and AUTH; two instances on one database never send a message twice; a server that is down, busy (4xx),
slow or refusing (5xx) is retried, then delivered, or failed with the reason. Time passes by restarting Upward on
the same database with its clock moved on (UPWARD_CLOCK_OFFSET_DAYS), never by sleeping through a backoff."""
import asyncio
import email
import email.policy
import json
import os
import ssl
import subprocess
import time
import urllib.request

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from conftest import free_port
from test_api_contract import api_token

SENDER = "Upward <upward@demo.upward.example>"


class Recorder:
    """Keeps every message it accepts; `mode` makes it busy (451), refuse one address (550) or slow."""

    def __init__(self):
        self.received = []
        self.mode = "accept"
        self.refused = set()
        self.delay = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.mode == "busy":
            return "451 4.7.1 Try again later"
        self.received.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "message": email.message_from_bytes(envelope.content, policy=email.policy.default),
                              "authenticated": bool(session.authenticated)})
        return "250 2.0.0 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer" and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


def admin_token(server):
    password = server.output_matching(r"password: (\S+)\)").group(1)
    admin = server.output_matching(r"admin\s+(\S+@demo\.upward\.example)").group(1)
    return api_token(server, admin, password, "mail test")


def outbox(server, token, status=None):
    """Every message of the outbox in one state (or all), through the admin API, page by page."""
    items, page = [], 1
    while True:
        query = f"?per=200&page={page}" + (f"&status={status}" if status else "")
        request = urllib.request.Request(server.url + "/api/v1/outbox" + query, headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.load(response)
        items += body["items"]
        if page >= body["pageCount"]:
            return items
        page += 1


def wait_for(condition, seconds=90, what="the mail", explain=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"waited {seconds} s for {what}" + (f": {explain()}" if explain else ""))


@pytest.fixture
def smtp():
    """An aiosmtpd server on a free port; stopped afterwards."""
    started = []

    def start(recorder, port=None, **options):
        controller = Controller(recorder, hostname="127.0.0.1", port=port or free_port(), **options)
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()


def start_pair(server_factory, smtp_url, count=2, **extra):
    """`count` instances of `serve --demo` on the test's database, each delivering mail."""
    environment = {"UPWARD_SMTP_URL": smtp_url, "UPWARD_MAIL_FROM": SENDER, **extra}
    return [server_factory("--demo", environment=environment) for _ in range(count)]


def test_the_outbox_goes_out_once_each_and_well_formed(server_factory, smtp):
    recorder = Recorder()
    controller = smtp(recorder)
    servers = start_pair(server_factory, f"smtp://127.0.0.1:{controller.port}?starttls=off")
    token = admin_token(servers[0])
    total = len(outbox(servers[0], token))
    assert total > 10, "the demo writes invitations and proposals"
    wait_for(lambda: len(outbox(servers[0], token, "sent")) == total, what=f"{total} messages sent",
             explain=lambda: [(m["status"], m["lastError"]) for m in outbox(servers[0], token)][:3])
    time.sleep(1)
    # Two instances on one database: every message arrived exactly once.
    ids = [m["message"]["Message-ID"] for m in recorder.received]
    assert len(ids) == total and len(set(ids)) == total, (len(ids), len(set(ids)), total)
    rows = {row["messageId"]: row for row in outbox(servers[0], token)}
    assert set(ids) == set(rows)
    calendars = []
    for received in recorder.received:
        message, row = received["message"], rows[received["message"]["Message-ID"]]
        assert received["from"] == "upward@demo.upward.example" and received["to"] == [row["recipient"]]
        assert message["Subject"] == row["subject"] and message["From"] == SENDER and message["Date"]
        assert message.get_content_type() == "multipart/alternative"
        kinds = [part.get_content_type() for part in message.iter_parts()]
        assert kinds[:2] == ["text/plain", "text/html"], kinds
        plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        kind = row["kind"]
        if kind in ESSENTIAL:
            # Always sent, never with a way to stop it; the admins' copy of a sign-in link is withheld.
            assert message["List-Unsubscribe"] is None, kind
            if kind.startswith("account."):
                assert "Withheld" in row["body"] and ("/invitation/" in plain or "/reset-password/" in plain)
            else:
                assert plain.strip() == row["body"].strip()
        else:
            # RFC 8058 one-click unsubscribe, and the same address in the text.
            unsubscribe = message["List-Unsubscribe"]
            assert unsubscribe and unsubscribe.startswith("<http") and "/unsubscribe/" in unsubscribe, (kind, unsubscribe)
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert plain.startswith(row["body"].strip()) and unsubscribe.strip("<>") in plain
        if kind == "meeting.change":
            calendars.append(check_invitation(message))
        assert row["reply"].startswith("250") and row["status"] == "sent"
    assert calendars, "the demo's moved and cancelled meetings go with calendar invitations"
    # What the test server received, for the record (printed with -s, as the test command runs).
    kinds = {}
    for received in recorder.received:
        kinds.setdefault(rows[received["message"]["Message-ID"]]["kind"], []).append(received)
    print(f"\nmail received by the test server: {len(recorder.received)} messages, each once, from two instances")
    for kind, items in sorted(kinds.items()):
        print(f"  {kind}: {len(items)}, e.g. {items[0]['to'][0]}: {items[0]['message']['Subject']}")


ESSENTIAL = {"account.invitation", "account.reset", "match.consent"}


def check_invitation(message):
    """The text/calendar part, read by the icalendar library: REQUEST or CANCEL, one event with the feed's UID
    and SEQUENCE, an ORGANIZER and the attendees."""
    import icalendar
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    method = parts[0].get_param("method")
    calendar = icalendar.Calendar.from_ical(parts[0].get_content())
    assert str(calendar["METHOD"]) == method and method in ("REQUEST", "CANCEL")
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]).endswith("@upward") and int(event["SEQUENCE"]) >= 0
    assert str(event["ORGANIZER"]).startswith("mailto:")
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    assert message["To"].split("<")[-1].strip(">") in [str(a).removeprefix("mailto:") for a in attendees]
    assert (str(event["STATUS"]) == "CANCELLED") == (method == "CANCEL")
    return method, str(event["UID"]), int(event["SEQUENCE"])


def sqlite_only(request):
    """The SMTP conversation does not depend on the database; on PostgreSQL the claim is what differs, and the
    two-instance test covers it there. Run these once, to keep the test command short."""
    if request.node.callspec.params.get("server_factory") == "postgres":
        pytest.skip("the SMTP conversation is the same on PostgreSQL; the two-instance test covers its claim")


def test_starttls_and_auth_with_a_private_certificate(server_factory, smtp, tmp_path, request):
    sqlite_only(request)
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    recorder = Recorder()
    controller = smtp(recorder, tls_context=context, require_starttls=True, authenticator=authenticator,
                      auth_require_tls=True, auth_exclude_mechanism=["LOGIN"])
    server, = start_pair(server_factory, f"smtp://mailer:s3cret@localhost:{controller.port}", count=1,
                         UPWARD_SMTP_CA_FILE=str(cert))
    token = admin_token(server)
    total = len(outbox(server, token))
    wait_for(lambda: len(outbox(server, token, "sent")) == total, what="mail over STARTTLS",
             explain=lambda: [(m["status"], m["lastError"]) for m in outbox(server, token)][:3])
    assert len(recorder.received) == total and all(r["authenticated"] for r in recorder.received)


def test_down_busy_and_refused_servers(server_factory, smtp, request):
    sqlite_only(request)
    port = free_port()
    recorder = Recorder()
    # Nothing listens yet: delivery pauses with the reason; no message is failed or loses an attempt for it.
    first, = start_pair(server_factory, f"smtp://127.0.0.1:{port}?starttls=off&timeout=3", count=1)
    token = admin_token(first)
    total = len(outbox(first, token))
    wait_for(lambda: any("Could not reach the mail server" in m.get("lastError", "") for m in outbox(first, token, "pending")),
             what="a message waiting because the server is down")
    assert len(outbox(first, token, "pending")) == total and all(m["attempts"] == 0 for m in outbox(first, token))
    first.stop()
    # The server comes up, busy (451) for a while and refusing one address for good (550).
    recorder.mode = "busy"
    smtp(recorder, port=port)
    second, = start_pair(server_factory, f"smtp://127.0.0.1:{port}?starttls=off&timeout=3", count=1, UPWARD_CLOCK_OFFSET_DAYS="1")
    token = admin_token(second)
    # (A day later other reminders may have been written too: every message still waiting counts.)
    wait_for(lambda: all(m["attempts"] >= 1 for m in outbox(second, token) if m["status"] == "pending")
             and not outbox(second, token, "sent") and len(outbox(second, token, "pending")) >= total,
             what="every message tried again and turned away for now")
    assert "451" in outbox(second, token, "pending")[0]["lastError"] and not recorder.received
    # Later still: the server accepts, except one address it does not know.
    refused = outbox(second, token, "pending")[0]["recipient"]
    second.stop()
    recorder.mode = "accept"
    recorder.refused = {refused}
    third, = start_pair(server_factory, f"smtp://127.0.0.1:{port}?starttls=off&timeout=3", count=1, UPWARD_CLOCK_OFFSET_DAYS="2")
    token = admin_token(third)
    wait_for(lambda: len(outbox(third, token, "pending")) == 0, what="the rest delivered")
    failed = outbox(third, token, "failed")
    assert failed and all(m["recipient"] == refused for m in failed) and "550" in failed[0]["lastError"]
    assert len(outbox(third, token, "sent")) == len(outbox(third, token)) - len(failed)
    assert {r["message"]["Message-ID"] for r in recorder.received} == {m["messageId"] for m in outbox(third, token, "sent")}


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_message_in_flight(server_factory, smtp, request):
    sqlite_only(request)
    recorder = Recorder()
    recorder.delay = 1.5   # a slow server, so the kill lands while a message is being handed over
    controller = smtp(recorder)
    url = f"smtp://127.0.0.1:{controller.port}?starttls=off"
    first, = start_pair(server_factory, url, count=1)
    token = admin_token(first)
    total = len(outbox(first, token))
    wait_for(lambda: len(recorder.received) >= 3, what="a few messages delivered")
    time.sleep(0.7)
    first.process.kill()   # SIGKILL: no shutdown, the message in flight stays claimed
    first.process.wait(timeout=10)
    delivered_before = len(recorder.received)
    recorder.delay = 0
    # A day later (past the claim's ten minutes) a new instance finds the claim abandoned and goes on.
    second, = start_pair(server_factory, url, count=1, UPWARD_CLOCK_OFFSET_DAYS="1")
    token = admin_token(second)
    wait_for(lambda: len(outbox(second, token, "sent")) == len(outbox(second, token)), what="the rest of the outbox")
    ids = [r["message"]["Message-ID"] for r in recorder.received]
    repeated = {i for i in ids if ids.count(i) > 1}
    assert set(ids) == {m["messageId"] for m in outbox(second, token)}, "nothing lost"
    assert len(repeated) <= 1, f"at most the message in flight went twice: {repeated}"
    assert delivered_before < total and len(ids) in (len(set(ids)), len(set(ids)) + 1)


def test_a_slow_server_times_out_and_the_message_waits_until_it_answers(server_factory, smtp, request):
    sqlite_only(request)
    recorder = Recorder()
    recorder.delay = 4   # longer than the one-second timeout below
    controller = smtp(recorder)
    url = f"smtp://127.0.0.1:{controller.port}?starttls=off&timeout=1"
    first, = start_pair(server_factory, url, count=1)
    token = admin_token(first)
    wait_for(lambda: any("did not answer in time" in (m.get("lastError") or "") for m in outbox(first, token, "pending")),
             what="a timeout recorded on a waiting message")
    assert not outbox(first, token, "failed") and not outbox(first, token, "sent")
    first.stop()
    # The server is quick again, a day later: everything goes.
    recorder.delay = 0
    second, = start_pair(server_factory, url, count=1, UPWARD_CLOCK_OFFSET_DAYS="1")
    token = admin_token(second)
    wait_for(lambda: len(outbox(second, token, "sent")) == len(outbox(second, token)), what="everything delivered")
