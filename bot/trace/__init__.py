"""Following one request through API Gateway, hop by hop: `badgateway trace` and `/502 trace`.

Data flows one way: logs -> hops -> verdict -> rendering.
- runner: TraceRequest -> TraceResult (the API from bot.live's targets and inventory);
- gather (AWS): the request's lines in the stage's execution and access logs and, through the
  integration's request id, in the function's log, read with bot.live.logs (Logs Insights, or
  FilterLogEvents where denied) -> RequestLogs; search: a time and a path -> failing request ids;
- facts (pure): the lines parsed (lines) and diagnosed (bot.core.matching.matcher), once;
- hops/ (pure): authorizer, integration, function, response, one module each -> Hop;
- verdict (pure): the hops -> Trace; render: text and JSON, in the words of texts (knowledge/texts/trace).
"""

from bot.trace.model import Hop, RequestLogs, Trace

__all__ = ["Hop", "RequestLogs", "Trace"]
