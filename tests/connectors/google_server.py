"""A local Google: the OAuth 2.0 token endpoint and the GA4 Data API's ``runReport``, on 127.0.0.1.

Answers in the documented shapes (developers.google.com/analytics/devguides/reporting/data/v1/rest:
``RunReportResponse`` with ``dimensionHeaders``, ``metricHeaders``, ``rows``, ``rowCount``,
``propertyQuota``; errors as ``{"error": {"code", "message", "status"}}``). The token endpoint
checks the service account's JWT assertion against its public key, as Google does.

``faults`` is a list of callables ``(kind, n) -> (status, headers, body) | None`` tried on each
request (``kind`` is ``token`` or ``report``, ``n`` that kind's 0-based request number); the
first to answer something wins, else the normal answer is given.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
# The audience Google's token endpoint requires in a service account's assertion (google-auth
# always writes it, wherever the assertion is posted).
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"


def error_body(code: int, status: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "status": status}}).encode()


@dataclass
class FakeGoogle:
    public_key: object  # the service account's public key (cryptography)
    property_id: str = "123456789"
    # {(YYYYMMDD, itemId): (viewed, added, purchased)} and {YYYYMMDD: sessions}
    items: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    remaining: dict = field(default_factory=lambda: {"tokensPerHour": 39_000, "tokensPerDay": 199_000})
    faults: list = field(default_factory=list)
    tokens_issued: list = field(default_factory=list)
    reports: list = field(default_factory=list)  # each runReport request's body
    auth_headers: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"token": 0, "report": 0})
    base_url: str = ""

    # -- the endpoints ---------------------------------------------------------------------------
    def token(self, form: dict) -> tuple[int, dict, bytes]:
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, {}, json.dumps({"error": "unsupported_grant_type"}).encode()
        try:
            claims = jwt.decode(
                form.get("assertion", ""), self.public_key, algorithms=["RS256"], audience=GOOGLE_TOKEN_AUDIENCE
            )
        except jwt.PyJWTError:
            return (
                400,
                {},
                json.dumps({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}).encode(),
            )
        if claims.get("scope") != SCOPE:
            return 400, {}, json.dumps({"error": "invalid_scope"}).encode()
        token = f"ya29.local-{len(self.tokens_issued) + 1}"
        self.tokens_issued.append(token)
        return 200, {}, json.dumps({"access_token": token, "expires_in": 3599, "token_type": "Bearer"}).encode()

    def report(self, path: str, body: dict, authorization: str) -> tuple[int, dict, bytes]:
        self.reports.append(body)
        self.auth_headers.append(authorization)
        if authorization.removeprefix("Bearer ") not in self.tokens_issued[-1:]:
            return 401, {}, error_body(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if path != f"/v1beta/properties/{self.property_id}:runReport":
            return 403, {}, error_body(403, "PERMISSION_DENIED", "User does not have sufficient permissions.")
        dimensions = [d["name"] for d in body["dimensions"]]
        metrics = [m["name"] for m in body["metrics"]]
        (dates,) = body["dateRanges"]
        start = dates["startDate"].replace("-", "")
        end = dates["endDate"].replace("-", "")
        if dimensions == ["date", "itemId"]:
            rows = [
                ([day, item], list(values))
                for (day, item), values in sorted(self.items.items())
                if start <= day <= end and any(values)
            ]
        else:
            rows = [([day], [value]) for day, value in sorted(self.sessions.items()) if start <= day <= end and value]
        offset, limit = int(body.get("offset", 0)), int(body.get("limit", 10_000))
        answer = {
            "dimensionHeaders": [{"name": name} for name in dimensions],
            "metricHeaders": [{"name": name, "type": "TYPE_INTEGER"} for name in metrics],
            "rowCount": len(rows),
            "metadata": {"currencyCode": "GBP", "timeZone": "Europe/London"},
            "kind": "analyticsData#runReport",
        }
        page = rows[offset : offset + limit]
        if page:
            answer["rows"] = [
                {
                    "dimensionValues": [{"value": value} for value in dims],
                    "metricValues": [{"value": str(value)} for value in values],
                }
                for dims, values in page
            ]
        if not rows:
            answer.pop("rowCount")  # Google leaves out a zero
        if body.get("returnPropertyQuota"):
            for name in self.remaining:
                self.remaining[name] -= 10
            answer["propertyQuota"] = {
                name: {"consumed": 10, "remaining": remaining} for name, remaining in self.remaining.items()
            }
        return 200, {}, json.dumps(answer).encode()


def day(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


@contextlib.contextmanager
def google_server(google: FakeGoogle) -> Iterator[str]:
    """Serve ``google`` on a free port; yields its base URL (token at /token, the API at /v1beta)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            kind = "token" if self.path == "/token" else "report"
            n = google.counts[kind]
            google.counts[kind] += 1
            answer = None
            for fault in google.faults:
                answer = fault(kind, n)
                if answer is not None:
                    break
            if answer is None:
                if kind == "token":
                    form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
                    answer = google.token(form)
                else:
                    answer = google.report(self.path, json.loads(raw), self.headers.get("Authorization", ""))
            status, headers, body = answer
            if status == "sleep":  # a timeout: answer after the client gave up
                time.sleep(headers)
                status, headers = 200, {}
            self.send_response(status)
            for name, value in {"Content-Type": "application/json; charset=UTF-8", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    google.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield google.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
