"""A stand-in Slack Socket Mode WebSocket server on loopback.

It speaks just enough RFC 6455 for slack_sdk's built-in client: the upgrade handshake, unmasked
text frames out, masked frames in, ping/pong.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading

from .conftest import WAIT

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketModeServer:
    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.received: list[dict] = []
        self.changed = threading.Condition()
        self.connection: socket.socket | None = None
        self.send_lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.listener.getsockname()[1]}/link/?ticket=t-1"

    def _accept(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        request = b""
        while b"\r\n\r\n" not in request:
            request += connection.recv(4096)
        key = next(line.split(":", 1)[1].strip() for line in request.decode().split("\r\n")
                   if line.lower().startswith("sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        connection.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        with self.changed:
            self.connection = connection
            self.changed.notify_all()
        self.send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"},
                   "debug_info": {"host": "stand-in"}})
        self._read(connection)

    def _read(self, connection: socket.socket) -> None:
        buffer = b""

        def take(count: int) -> bytes:
            nonlocal buffer
            while len(buffer) < count:
                chunk = connection.recv(65536)
                if not chunk:
                    raise ConnectionError
                buffer += chunk
            piece, buffer = buffer[:count], buffer[count:]
            return piece

        try:
            while True:
                first, second = take(2)
                opcode, length = first & 0x0F, second & 0x7F
                if length == 126:
                    length = struct.unpack(">H", take(2))[0]
                elif length == 127:
                    length = struct.unpack(">Q", take(8))[0]
                mask = take(4) if second & 0x80 else b"\0\0\0\0"
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(take(length)))
                if opcode == 0x9:  # ping -> pong
                    self._frame(0xA, data)
                elif opcode == 0x8:
                    return
                elif opcode == 0x1:
                    with self.changed:
                        self.received.append(json.loads(data))
                        self.changed.notify_all()
        except (ConnectionError, OSError):
            return

    def _frame(self, opcode: int, data: bytes) -> None:
        header = bytes([0x80 | opcode])
        if len(data) < 126:
            header += bytes([len(data)])
        elif len(data) < 65536:
            header += bytes([126]) + struct.pack(">H", len(data))
        else:
            header += bytes([127]) + struct.pack(">Q", len(data))
        with self.send_lock:
            assert self.connection is not None
            self.connection.sendall(header + data)

    def send(self, message: dict) -> None:
        self._frame(0x1, json.dumps(message).encode())

    def wait_connected(self) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.connection is not None, timeout=WAIT)

    def wait_ack(self, envelope_id: str) -> dict:
        with self.changed:
            assert self.changed.wait_for(
                lambda: any(m.get("envelope_id") == envelope_id for m in self.received), timeout=WAIT)
            return next(m for m in self.received if m.get("envelope_id") == envelope_id)

    def close(self) -> None:
        self.listener.close()
        if self.connection is not None:
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)  # wakes both ends' blocked reads now
            self.connection.close()
