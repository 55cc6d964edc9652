"""What the bot remembers: the Store interface (store.py), this process's memory (memory.py), the
shared DynamoDB table (dynamodb.py), the memories by name (bot_state.py), and what a reply's
buttons carry (reply_state.py)."""

from __future__ import annotations

from bot.slack.state.bot_state import BotState


def open_state(table: str | None) -> BotState:
    """The DynamoDB table when one is named (BADGATEWAY_STATE_TABLE), else this process's memory."""
    if table:
        from bot.slack.state.dynamodb import DynamoStore

        return BotState(DynamoStore(table))
    from bot.slack.state.memory import MemoryStore

    return BotState(MemoryStore())
