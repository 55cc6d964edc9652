"""What the client gets when a Lambda function returns a given response, as AWS really behaves.

Pure: standard library only, no Slack, no boto3. The behaviour follows `shared/facts.md`
(recorded against AWS where it says so); where AWS's behaviour is not recorded, the rule is
marked "inferred" in a comment and errs towards what AWS documents.

- `validate_response(payload, integration)` -> `ResponseVerdict` (validate.py): accepted or
  not, the status the client gets, and each problem with its JSON path, what AWS does and how
  to fix it (en/it). The rules are in `rules/`, one module per integration kind behind one
  interface (`rules/__init__.py`'s registry), with the field rules they share in `rules/fields.py`.
- `find_quoted_responses(text)` (quotes.py): every response body quoted in pasted logs, for
  `diagnose` and the live checks; `parse_response_text(text)`: the one `validate-response` reads.
- `model.py`: the types and limits everything shares. `texts.py`: the words, read from
  `knowledge/texts/responses.yaml` on first use.
And `detect_runtime(text)`, so that fix samples can be written for the function's language.
"""

from __future__ import annotations

from bot.core.matching.runtime import detect_runtime
from bot.core.responses.model import (
    ALB_LIMIT,
    API_GATEWAY_LIMIT,
    INTEGRATIONS,
    LAMBDA_SYNC_LIMIT,
    LANGS,
    RUNTIMES,
    Problem,
    QuotedResponse,
    ResponseVerdict,
)
from bot.core.responses.quotes import (
    EXECUTION_LOG_MARKER,
    find_quoted_responses,
    is_lambda_service_error,
    parse_response_text,
)
from bot.core.responses.validate import validate_response

__all__ = [
    "ALB_LIMIT",
    "API_GATEWAY_LIMIT",
    "EXECUTION_LOG_MARKER",
    "INTEGRATIONS",
    "LAMBDA_SYNC_LIMIT",
    "LANGS",
    "RUNTIMES",
    "Problem",
    "QuotedResponse",
    "ResponseVerdict",
    "detect_runtime",
    "find_quoted_responses",
    "is_lambda_service_error",
    "parse_response_text",
    "validate_response",
]
