"""LangGraph integration (guard nodes, guarded tools, HITL interrupts)."""

