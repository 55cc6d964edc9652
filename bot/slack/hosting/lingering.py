"""A lingering close, as nginx and Apache close: the 413 a client is sent reaches it.

waitress answers a body past its limit (413) or a malformed request (400) before reading the
body, then closes. Closing a socket with unread bytes makes the kernel send a reset, and a client
still sending gets "connection reset" instead of the answer (CI saw it on a loaded machine). So
the write side is shut first, and what the client still sends is read and dropped, for at most
LINGER seconds and LINGER_BYTES, before the socket closes.
"""

from __future__ import annotations

import socket
import time

from waitress.channel import HTTPChannel

LINGER = 2.0
LINGER_BYTES = 4 * 1024 * 1024
_CHUNK = 65536


class LingeringChannel(HTTPChannel):
    """waitress's channel with a lingering close; nothing read while lingering is looked at."""

    linger_until = 0.0
    lingered = 0
    closed = False

    def handle_close(self) -> None:
        if self.closed:
            return
        if self.linger_until or not self.connected or self.total_outbufs_len:
            self._close_now()
            return
        try:
            self.socket.shutdown(socket.SHUT_WR)
        except OSError:
            self._close_now()
            return
        self.linger_until = time.monotonic() + LINGER
        self.will_close = self.close_when_flushed = False

    def readable(self) -> bool:
        return True if self.linger_until else super().readable()

    def writable(self) -> bool:
        # Past the deadline, a write event is how the serving loop gets to close the socket.
        if self.linger_until:
            return time.monotonic() > self.linger_until
        return bool(super().writable())

    def handle_read(self) -> None:
        if not self.linger_until:
            super().handle_read()
            return
        try:
            data = self.socket.recv(_CHUNK)
        except OSError:
            data = b""
        self.lingered += len(data)
        if not data or self.lingered > LINGER_BYTES or time.monotonic() > self.linger_until:
            self._close_now()

    def handle_write(self) -> None:
        if self.linger_until:
            self._close_now()
        else:
            super().handle_write()

    def _close_now(self) -> None:
        if not self.closed:
            self.closed = True
            super().handle_close()
