"""The unit-test conftest blocks the network; an LLM scanner pointed at loopback fails as an ERROR result."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_tcp_socket_is_refused() -> None:
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_unix_socket_is_allowed() -> None:
    a, b = socket.socketpair()  # what asyncio's event loop needs
    a.close()
    b.close()
