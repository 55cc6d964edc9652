"""Moved to `bot.core.responses`; this name stays importable while callers move over."""

from bot.core.responses import *  # noqa: F403
from bot.core.responses import __all__  # noqa: F401
