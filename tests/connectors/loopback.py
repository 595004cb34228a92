"""A tiny HTTP server on 127.0.0.1 for the tests that need urllib3's real retries and timeouts.

``responses`` replaces the transport, so it neither sleeps for ``Retry-After`` nor retries a
timeout; these few tests talk to a real socket instead.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (status, headers, body) for the n-th request (0-based) and its path.
Script = Callable[[int, str], tuple[int, dict, bytes]]


@contextlib.contextmanager
def loopback_server(script: Script, *, headers_seen: list | None = None) -> Iterator[tuple[str, list[str]]]:
    """Serve ``script`` on a free port; yields the base URL and the list of paths requested.

    ``headers_seen``, when given, receives each request's headers (a dict).
    """
    requests_seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            index = len(requests_seen)
            requests_seen.append(self.path)
            if headers_seen is not None:
                headers_seen.append(dict(self.headers))
            status, headers, body = script(index, self.path)
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests_seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def fake_server(fake) -> Iterator[str]:
    """Serve a platform fake that checks the request's headers (``fake.headers_seen``) and answers
    through ``fake.serve(index, path)`` when it has it, else ``fake(index, path)``; yields the base URL."""
    script = getattr(fake, "serve", fake)
    with loopback_server(script, headers_seen=fake.headers_seen) as (base_url, _requests):
        yield base_url
