"""LangChain integration (callback handlers, agent middleware)."""

