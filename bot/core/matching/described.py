"""What a person's words say about the failing response when none is pasted.

"Our ALB returns 502 when the function sends a big JSON", "CloudFront gives 503, the request
could not be satisfied", "API Gateway answers 504 after 29 seconds": most people describe the
response instead of pasting it. The front door and the status they name let the answer list the
causes that give that status there (the entries' own `applies_to`) and what to collect next for
that front door, as a pasted `curl -i` does. Each is taken only when the words name exactly one
(a text about moving from an ALB to API Gateway names no front door), and a described status
never removes a cause from the ranking: people say "500" for any error.
"""

from __future__ import annotations

from bot.core.lazy_re import lazy_compile

# Front door -> (strings one of which every match holds, words that name it). The strings let
# most texts skip the pattern (tests/test_described.py checks them against the patterns).
# "api-gateway": API Gateway, REST or HTTP API not said.
_FRONTS = (
    ("alb", ("alb", "elb", "load", "balancer", "target group"),
     lazy_compile(r"\b(?:alb|elb|application load ?balancer|load ?balancer|target group)s?\b")),
    ("cloudfront", ("cloud", "lambda@edge", "could not be satisfied"),
     lazy_compile(r"\bcloud ?front\b|\blambda@edge\b|could not be satisfied")),
    ("function-url", ("url",), lazy_compile(r"\bfunction urls?\b|\blambda-url\b|\burl della funzione\b")),
    ("http", ("http api", "api http", "apigatewayv2", "httpapi"),
     lazy_compile(r"\bhttp apis?\b|\bapi http\b|\bapigatewayv2\b|\bhttpapi\b")),
    ("rest", ("rest api", "api rest", "restapi"), lazy_compile(r"\brest apis?\b|\bapi rest\b|\brestapi\b")),
    ("api-gateway", ("api",), lazy_compile(r"\bapi[ -]?gateway\b|\bapigw\b|\bapigateway\b")),
)
_STATUS_NUMBER = lazy_compile(r"(?<![\w.:/-])(50[0-4])(?![\w:/-]|\.\d)")  # holds "50"
# Not "internal server error": API Gateway's body {"message": "Internal server error"} comes
# with a 502 as often as with a 500. The phrases are literals: checked with `in` first.
_STATUS_WORDS = (
    (502, "bad gateway", lazy_compile(r"\bbad gateway\b")),
    (503, "service unavailable", lazy_compile(r"\bservice unavailable\b")),
    (504, "gateway time", lazy_compile(r"\bgateway time-?out\b")),
)
_SCAN_LIMIT = 16 * 1024  # where people write what they saw: the start of the text


def described_response(prose: str) -> tuple[str, int] | None:
    """(front door, status) that the words name, each exactly once; else None."""
    text = prose[:_SCAN_LIMIT].lower()
    fronts = {front for front, literals, words in _FRONTS
              if any(literal in text for literal in literals) and words.search(text)}
    if "rest" in fronts or "http" in fronts:
        fronts.discard("api-gateway")  # "API Gateway HTTP API": one front door
    if len(fronts) != 1:
        return None
    statuses = {int(found) for found in _STATUS_NUMBER.findall(text)} if "50" in text else set()
    statuses |= {status for status, phrase, words in _STATUS_WORDS if phrase in text and words.search(text)}
    if len(statuses) != 1:
        return None
    return fronts.pop(), statuses.pop()
