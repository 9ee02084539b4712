"""`pux serve`'s HTTP protocol turns Nagle's algorithm off on each connection, also on the sockets uvicorn
binds itself for --workers (created without naming TCP, so asyncio leaves them with Nagle on: each answer
then waited about 40 ms for the client's delayed acknowledgement)."""

from __future__ import annotations

import asyncio
import http.client
import socket
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import Any
from urllib.parse import urlsplit

from uvicorn.config import Config
from uvicorn.server import ServerState

from pux.web.server import NoDelayHttpToolsProtocol
from tests.web.conftest import Served


@contextmanager
def accepted_connection() -> Iterator[socket.socket]:
    """A TCP connection accepted on a listening socket made as uvicorn makes it for several workers."""
    with closing(socket.socket(family=socket.AF_INET)) as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        with closing(socket.create_connection(listening.getsockname())):
            accepted, _address = listening.accept()
            with closing(accepted):
                yield accepted


class Transport:
    """The little of an asyncio transport the protocol reads when a connection is made."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"socket": self.connection, "sockname": self.connection.getsockname(),
                "peername": self.connection.getpeername()}.get(name, default)  # fmt: skip

    def is_closing(self) -> bool:
        return False


async def _app(scope: Any, receive: Any, send: Any) -> None:  # never called: no request is sent
    raise AssertionError


def test_each_connection_gets_tcp_nodelay() -> None:
    with accepted_connection() as connection:
        assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0  # as uvicorn leaves it
        config = Config(app=_app, lifespan="off")
        config.load()
        loop = asyncio.new_event_loop()
        try:
            protocol = NoDelayHttpToolsProtocol(
                config=config, server_state=ServerState(), app_state={}, _loop=loop
            )
            protocol.connection_made(Transport(connection))  # type: ignore[arg-type]
        finally:
            loop.close()
        assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_an_idle_keep_alive_connection_outlives_uvicorns_five_seconds(served_app: Served) -> None:
    # A proxy or browser reuses a connection it has kept; when the server closed it after 5 s idle, a request
    # sent at that moment failed. It stays open for KEEP_ALIVE_SECONDS (65 s, longer than a proxy keeps one).
    # http.client never opens a second connection here: one the server closed raises RemoteDisconnected.
    address = urlsplit(served_app.base_url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=10)
    try:
        for pause in (0.0, 6.5):
            time.sleep(pause)
            connection.request("GET", "/healthz")
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200
    finally:
        connection.close()
