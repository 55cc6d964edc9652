"""Posting a reply so that a Slack error never loses it silently and never kills the server.

Rate limits are retried by the WebClient's RateLimitErrorRetryHandler (after Retry-After); here:
blocks that Slack refuses are replaced by the plain text, and any other failure is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.slack.rendering.blocks import SlackMessage

# Errors after which the same reply as plain text has a chance.
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "invalid_metadata_format",
                          "invalid_metadata_schema", "metadata_too_large"})


def post_reply(
    client: Any,
    *,
    channel: str,
    thread_ts: str | None,
    message: SlackMessage,
    plain: str,
    logger: logging.Logger,
) -> str | None:
    """Post `message` in the thread; on refused blocks post `plain`. The new ts, or None on failure."""
    target = {"channel": channel, "thread_ts": thread_ts, "unfurl_links": False, "unfurl_media": False}
    return _send(client.chat_postMessage, target, message, plain, logger, clear_blocks=False)


def update_reply(
    client: Any, *, channel: str, ts: str, message: SlackMessage, plain: str, logger: logging.Logger
) -> str | None:
    """Replace the message at `ts` (the language button), with the same fallback as post_reply."""
    return _send(client.chat_update, {"channel": channel, "ts": ts}, message, plain, logger, clear_blocks=True)


def respond_safely(respond: Any, message: SlackMessage, logger: logging.Logger, **options: Any) -> bool:
    """Answer through the response_url (slash commands, buttons); failures are logged."""
    try:
        respond(text=message.text, blocks=list(message.blocks), **options)
        return True
    except Exception as exc:
        logger.error("badgateway: response_url reply failed: %s", slack_error(exc))
        return False


def _send(method: Any, target: dict[str, Any], message: SlackMessage, plain: str,
          logger: logging.Logger, *, clear_blocks: bool) -> str | None:
    try:
        return str(method(**target, **message.post_kwargs())["ts"])
    except SlackApiError as exc:
        error = slack_error(exc)
        if error not in BLOCK_ERRORS:
            logger.error("badgateway: reply in %s failed: %s", target["channel"], error)
            return None
        logger.warning("badgateway: Slack refused the reply (%s); sending it as plain text", error)
    except Exception as exc:
        logger.error("badgateway: reply in %s failed: %s", target["channel"], slack_error(exc))
        return None
    fallback: dict[str, Any] = {"text": plain}
    if clear_blocks:
        fallback["blocks"] = []  # chat.update keeps the old blocks unless told otherwise
    if message.metadata is not None and "metadata" not in error:
        fallback["metadata"] = message.metadata
    try:
        return str(method(**target, **fallback)["ts"])
    except Exception as exc:
        logger.error("badgateway: plain-text reply in %s failed: %s", target["channel"], slack_error(exc))
        return None


def slack_error(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError) and exc.response is not None:
        return str(exc.response.get("error") or exc.response.status_code)
    return f"{type(exc).__name__}: {exc}"
