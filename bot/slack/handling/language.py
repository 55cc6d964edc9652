"""The language to answer a Slack user in: their Slack locale, else the prose, else English.

The prose and the English default are the matcher's job (`diagnose(text, lang="auto")`); this
module finds the locale (`users.info` with `include_locale`), cached per user.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.slack.state.memory import ExpiringMap

SUPPORTED = ("en", "it")


def locale_language(locale: str | None) -> str | None:
    """'it' for 'it-IT', 'en' for 'en-GB'; None for a locale we do not answer in."""
    if not locale:
        return None
    language = locale.replace("_", "-").split("-")[0].lower()
    return language if language in SUPPORTED else None


class LocaleCache:
    """The answer language of each user from their Slack locale; None when it does not decide."""

    def __init__(self, ttl: float = 3600.0, size: int = 5000) -> None:
        self._languages: ExpiringMap[str | None] = ExpiringMap(ttl, size)

    def known(self, user_id: str) -> str | None:
        """The language already looked up for this user, without asking Slack."""
        return self._languages.get(user_id)[1]

    def language_for(self, client: Any, user_id: str | None, logger: logging.Logger) -> str | None:
        if not user_id:
            return None
        found, language = self._languages.get(user_id)
        if found:
            return language
        try:
            response = client.users_info(user=user_id, include_locale=True)
            language = locale_language((response.get("user") or {}).get("locale"))
        except Exception as exc:
            logger.info("users.info for %s failed (%s); answering in the language of the text", user_id, exc)
            language = None
        # Failures are cached too: one missing scope must not cost a call per message.
        self._languages.put(user_id, language)
        return language
