"""Fixtures for the LLM integration tests: a scripted chat-completions server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llm_chat_server import ChatServer


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def together_env(monkeypatch: pytest.MonkeyPatch, chat_server: ChatServer) -> ChatServer:
    """TOGETHER_API_KEY and TOGETHER_BASE_URL pointing the real SDK at the loopback server."""
    monkeypatch.setenv("TOGETHER_API_KEY", "test-key-not-secret")
    monkeypatch.setenv("TOGETHER_BASE_URL", chat_server.root)
    return chat_server
