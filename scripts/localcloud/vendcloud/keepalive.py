"""HTTP/1.1 keep-alive for werkzeug's threaded server.

werkzeug answers every request with `Connection: close`, because Python's http.server cannot
skip a request body the application left unread before it reads the next request line. AWS's
endpoints keep connections open, and the SDKs (and vend) reuse them: a server that closes each
one makes every request pay a TCP connect and a new server thread, which the latency model
does not account for (measured: 6 ms a request more than the server's own duration, against
2 ms on a reused connection).

Here each request's body is read through a counter limited to its Content-Length; when the
answer starts, whatever the application left unread is read and dropped (up to DRAIN_LIMIT),
and the connection stays open. A chunked request, an answer without a length, HTTP/1.0, a
client's `Connection: close` or a body too large to drain still close it, as before.
"""
import socket

from werkzeug.serving import WSGIRequestHandler

DRAIN_LIMIT = 64 << 20  # bytes read and dropped at most to keep a connection open


class _BodyReader:
    """The request body, no further than its Content-Length (never the next request's bytes)."""

    def __init__(self, stream, length):
        self.stream = stream
        self.left = length

    def read(self, size=-1):
        return self._take(self.stream.read, size)

    def readline(self, size=-1):
        return self._take(self.stream.readline, size)

    def _take(self, reader, size):
        """Calls the stream's `reader` for at most what is left of the body."""
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = reader(size)
        self.left -= len(data)
        if not data:
            self.left = 0
        return data

    def readlines(self, hint=-1):
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")

    def drain(self):
        """Reads what is left; False when too much is left to read (close the connection instead)."""
        if self.left > DRAIN_LIMIT:
            return False
        while self.left > 0:
            if not self.read(min(self.left, 1 << 16)):
                return False
        return True


class _AfterAnswer:
    """The connection's reader as werkzeug sees it. After each answer werkzeug reads and drops
    whatever the socket holds (safe only when the connection then closes): on a kept connection
    that would swallow the client's next request, so then it reads nothing."""

    def __init__(self, stream, handler):
        self.stream = stream
        self.handler = handler

    def read(self, size=-1):
        return b"" if self.handler.keeping_alive else self.stream.read(size)

    def readline(self, size=-1):
        return b"" if self.handler.keeping_alive else self.stream.readline(size)

    def __getattr__(self, name):
        return getattr(self.stream, name)


class KeepAliveRequestHandler(WSGIRequestHandler):
    """werkzeug's handler, keeping HTTP/1.1 connections open between requests."""

    _body = None
    _chunked = False
    keeping_alive = False

    def setup(self):
        super().setup()
        # An answer goes out in several writes (status and headers, then the body): with Nagle's
        # algorithm on a kept connection the last one waits for the client's delayed ACK (40 ms).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self):
        self._body = None  # a request that fails to parse never reaches make_environ
        self.keeping_alive = False
        self._chunked = False
        super().handle_one_request()

    def run_wsgi(self):
        stream = self.rfile
        self.rfile = _AfterAnswer(stream, self)
        try:
            super().run_wsgi()
        finally:
            self.rfile = stream

    def make_environ(self):
        environ = super().make_environ()
        if not environ.get("wsgi.input_terminated"):  # chunked bodies keep werkzeug's reader
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = -1
            if length >= 0:
                self._body = _BodyReader(environ["wsgi.input"].stream, length)
                environ["wsgi.input"] = self._body
        return environ

    def _can_keep_alive(self):
        body = self._body
        return (self.request_version == "HTTP/1.1" and body is not None
                and (self.headers.get("Connection") or "").lower() != "close" and body.drain())

    def send_header(self, keyword, value):
        # werkzeug sends "Connection: close" on every answer; keep the connection instead when
        # the request's body is all read. An answer without a length is still closed by
        # werkzeug after its last chunk.
        if keyword.lower() == "transfer-encoding":
            self._chunked = True  # werkzeug closes after a chunked answer: say so
        if keyword.lower() == "connection" and value.lower() == "close" and not self._chunked and self._can_keep_alive():
            self.keeping_alive = True
            return
        super().send_header(keyword, value)
