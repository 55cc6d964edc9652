"""Recent log lines that can say why requests failed, whatever the log volume.

- patterns: the server-side filter, derived from the knowledge base's signatures;
- insights: one CloudWatch Logs Insights query across the API's and its functions' log groups,
  filtered server side, newest first (the first choice);
- filter_events: paginated FilterLogEvents per log group, newest part of the window first (where
  Insights is denied or unavailable), saying when the window held more than was read.
"""

from bot.live.logs.model import LogRead

__all__ = ["LogRead"]
