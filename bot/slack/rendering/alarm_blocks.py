"""An alarm's thread: its first message (what fired, what is being checked, then what was found,
then that it is back to OK) and the OK reply. Pure: data in, `SlackMessage` out.

Everything AWS wrote (the alarm's name and reason) is redacted whole, then cut, then escaped.
"""

from __future__ import annotations

from typing import Any

from bot.slack.handling.alarms import AlarmChange, AlarmTarget
from bot.slack.rendering.blocks import (
    SlackMessage,
    _context,
    _fit,
    _header,
    _Part,
    _section,
    cut_text,
)
from bot.slack.rendering.live_blocks import verdict_text
from bot.slack.rendering.texts import escape, say, template

MAX_REASON = 600


def render_alarm(change: AlarmChange, target: AlarmTarget, lang: str, *, status: str) -> SlackMessage:
    """The thread's first message; `status` is its last line (checking, checked, back to OK)."""
    name = _aws_text(change.name, 200)
    key = "alarm_back_ok" if change.state == "OK" else "alarm_in_alarm"
    title = template(lang, key).format(name=name)
    emoji = ":white_check_mark:" if change.state == "OK" else ":rotating_light:"
    parts = [_Part(_header(f"{emoji} {title}")), _Part(_context(escape(_about(change, target, lang)))),
             _Part(_section(f"> {escape(_aws_text(change.reason, MAX_REASON))}"), drop_rank=1),
             _Part(_section(status))]
    return _fit(parts, escape(title), lang)


def checking_status(target: AlarmTarget, lang: str) -> str:
    return say(lang, "alarm_checking", api=target.api_id)


def checked_status(target: AlarmTarget, report_summary: dict[str, Any], lang: str) -> str:
    return say(lang, "alarm_checked", api=target.api_id, verdict=verdict_text(report_summary, lang))


def render_back_to_ok(change: AlarmChange, lang: str) -> SlackMessage:
    """The reply in the thread when the alarm is OK again."""
    text = say(lang, "alarm_ok_note", at=change.at or "-", reason=_aws_text(change.reason, MAX_REASON))
    return _fit([_Part(_section(f":white_check_mark: {text}"))], escape(_aws_text(change.name, 200)), lang)


def _about(change: AlarmChange, target: AlarmTarget, lang: str) -> str:
    what = (template(lang, "alarm_resource_function").format(function=_aws_text(target.function, 140),
                                                             api=target.api_id)
            if target.function else template(lang, "alarm_resource_api").format(api=target.api_id))
    stage = f" · {template(lang, 'alarm_stage').format(stage=target.stage)}" if target.stage else ""
    return (f"{_aws_text(target.namespace, 60)} {_aws_text(target.metric, 60)} · {what}{stage} · "
            f"{change.region} · {_aws_text(change.at, 40)}")


def _aws_text(value: str | None, limit: int) -> str:
    from bot.core.redact import redact

    return cut_text(redact(" ".join(str(value or "").split())), limit)
