"""What the client gets when a Lambda function returns a given response, as AWS really behaves.

Pure: standard library only, no Slack, no boto3. The behaviour follows `shared/facts.md`
(recorded against AWS where it says so); where AWS's behaviour is not recorded, the rule is
marked "inferred" in a comment and errs towards what AWS documents.

Three entry points:
- `validate_response(payload, integration)` -> `ResponseVerdict`: accepted or not, the status
  the client gets, and each problem with its JSON path, what AWS does and how to fix it (en/it).
- `parse_response_text(text)`: the JSON the user pasted, or the body an execution log quotes.
- `find_quoted_responses(text)`: every response body quoted in pasted logs, for `diagnose`.
And `detect_runtime(text)`, so that fix samples can be written for the function's language.
"""

from __future__ import annotations

import ast
import base64
import binascii
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from bot.core.runtime import detect_runtime  # noqa: F401 - part of this module's interface
from bot.errors import UsageError

Severity = Literal["error", "warning"]
INTEGRATIONS: tuple[str, ...] = ("rest", "http-v1", "http-v2", "alb")
LANGS: tuple[str, ...] = ("en", "it")
RUNTIMES: tuple[str, ...] = ("nodejs", "python", "java", "go")

# Limits, in bytes. Lambda's own error names 6291556 bytes (6 MB plus a little), so that is the
# line; API Gateway's 10 MB payload limit is higher and only matters in the message.
LAMBDA_SYNC_LIMIT = 6_291_556
API_GATEWAY_LIMIT = 10 * 1024 * 1024
ALB_LIMIT = 1024 * 1024
NEAR_LIMIT = 0.8  # past 80% of a limit, a little more data breaks it: warn

# Top-level keys of the documented response shapes.
PROXY_V1_KEYS = frozenset({"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"})
HTTP_V2_KEYS = frozenset({"statusCode", "headers", "body", "isBase64Encoded", "cookies"})
ALB_KEYS = frozenset(
    {"statusCode", "statusDescription", "headers", "multiValueHeaders", "body", "isBase64Encoded"}
)
# What Lambda puts in the payload when the function fails (Node.js uses "trace", Java "cause").
LAMBDA_ERROR_KEYS = frozenset(
    {"errorMessage", "errorType", "stackTrace", "trace", "requestId", "cause"}
)
RESPONSE_HINT_KEYS = frozenset(
    {
        "statusCode",
        "headers",
        "multiValueHeaders",
        "body",
        "isBase64Encoded",
        "cookies",
        "statusDescription",
    }
)

_REJECT_STATUS = {"rest": 502, "http-v1": 500, "http-v2": 500, "alb": 502}
_LABEL = {
    "rest": {
        "en": "REST API, Lambda proxy integration (payload 1.0)",
        "it": "REST API, integrazione proxy Lambda (payload 1.0)",
    },
    "http-v1": {"en": "HTTP API, payload format 1.0", "it": "HTTP API, formato del payload 1.0"},
    "http-v2": {"en": "HTTP API, payload format 2.0", "it": "HTTP API, formato del payload 2.0"},
    "alb": {
        "en": "Application Load Balancer, Lambda target",
        "it": "Application Load Balancer, destinazione Lambda",
    },
}
_REJECTED_BODY = {
    "rest": {
        "en": '502 {"message": "Internal server error"}',
        "it": '502 {"message": "Internal server error"}',
    },
    "http-v1": {
        "en": '500 {"message":"Internal Server Error"}',
        "it": '500 {"message":"Internal Server Error"}',
    },
    "http-v2": {
        "en": '500 {"message":"Internal Server Error"}',
        "it": '500 {"message":"Internal Server Error"}',
    },
    "alb": {
        "en": "502 Bad Gateway from the load balancer",
        "it": "502 Bad Gateway dal sistema di bilanciamento del carico",
    },
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error: AWS rejects it) or surprising (warning: accepted, but not as meant)."""

    path: str  # JSON path in the response: "body", "headers.X-Count", "$" for the whole payload
    severity: Severity
    code: str  # stable id, e.g. "body-not-string"
    message: dict[str, str]  # what is wrong and what AWS does with it; keys "en", "it"
    fix: dict[str, str]  # how to fix it, with a code sample; keys "en", "it"

    def to_json(self, lang: str = "en") -> dict[str, str]:
        lang = _lang(lang)
        return {
            "path": self.path,
            "severity": self.severity,
            "message": self.message[lang],
            "code": self.code,
            "fix": self.fix[lang],
        }


@dataclass(frozen=True)
class ResponseVerdict:
    integration: str
    accepted: bool
    status: int  # what the client gets: the function's status, or 502 / 500 when rejected
    problems: tuple[Problem, ...]
    entry: str | None  # knowledge entry id when rejected, None when accepted

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def summary(self, lang: str = "en") -> str:
        """One line: which integration, and what the client gets."""
        lang = _lang(lang)
        label = _LABEL[self.integration][lang]
        if not self.accepted:
            gets = _REJECTED_BODY[self.integration][lang]
            if lang == "it":
                return f"{label}: risposta rifiutata, il client riceve {gets}"
            return f"{label}: response rejected, the client gets {gets}"
        if lang == "it":
            return f"{label}: risposta accettata, il client riceve {self.status}"
        return f"{label}: response accepted, the client gets {self.status}"

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "integration": self.integration,
            "accepted": self.accepted,
            "status": self.status,
            "problems": [p.to_json(lang) for p in self.problems],
            "entry": self.entry,
        }


@dataclass(frozen=True)
class QuotedResponse:
    """A function response quoted in pasted text.

    `payload` is None both for a quoted JSON `null` (parsed=True) and for text that could not be
    decoded (parsed=False). A truncated quote (API Gateway cuts execution-log events at 1 KB) is
    never validated: it would always look malformed.
    """

    text: str
    payload: object | None
    integration: str
    truncated: bool
    source: str = "execution-log"  # execution-log | sam-local | integration-error | test-invoke
    parsed: bool = True
    # "Method completed with status: N" logged after the quote, for the same request. A 2XX there
    # with a body the validator rejects means the integration was not a proxy one.
    logged_status: int | None = None


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def validate_response(
    payload: object,
    integration: str,
    *,
    raw_size: int | None = None,
    runtime: str | None = None,
    alb_multi_value_headers: bool = False,
) -> ResponseVerdict:
    """Decide what the client gets when the function returns `payload` (already decoded JSON).

    raw_size: the payload's size in bytes as the function sent it, when known; otherwise the
    size of its compact JSON serialization. runtime: "nodejs" | "python" | "java" | "go" to
    write fix samples for that language only. alb_multi_value_headers: whether the ALB target
    group has multi-value headers turned on (off by default in AWS).
    """
    if integration not in INTEGRATIONS:
        raise ValueError(f"unknown integration {integration!r}; expected one of {INTEGRATIONS}")
    rt = runtime if runtime in RUNTIMES else None
    problems: list[Problem] = []
    size = raw_size if raw_size is not None else _json_size(payload)

    too_large = _check_size(size, integration, problems)
    if too_large:
        # Lambda (or the load balancer) fails before the shape is ever looked at.
        return _verdict(integration, problems, 200, "payload-too-large")

    if _is_lambda_error(payload):
        assert isinstance(payload, dict)
        problem, entry = _function_error(payload, integration, rt)
        return _verdict(integration, [problem, *problems], 200, entry)

    checker = {"rest": _check_rest, "http-v1": _check_http_v1, "http-v2": _check_http_v2}.get(
        integration
    )
    if checker is not None:
        status = checker(payload, rt, problems)
    else:
        status = _check_alb(payload, rt, problems, alb_multi_value_headers)
    return _verdict(integration, problems, status, "malformed-proxy-response")


def _verdict(integration: str, problems: list[Problem], status: int, entry: str) -> ResponseVerdict:
    # Errors first, so the first line a user reads is why it failed.
    ordered = tuple(sorted(problems, key=lambda p: p.severity != "error"))
    accepted = not any(p.severity == "error" for p in ordered)
    return ResponseVerdict(
        integration=integration,
        accepted=accepted,
        status=status if accepted else _REJECT_STATUS[integration],
        problems=ordered,
        entry=None if accepted else entry,
    )


# ---- size --------------------------------------------------------------------------------


def _json_size(payload: object) -> int | None:
    try:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    except (ValueError, TypeError, RecursionError):
        return None
    return len(text.encode("utf-8", errors="replace"))


def _check_size(size: int | None, integration: str, problems: list[Problem]) -> bool:
    """Add a size problem if any; True when the response is over a hard limit."""
    if size is None:
        return False
    human = _human(size)
    if size > LAMBDA_SYNC_LIMIT:
        over_gateway = size > API_GATEWAY_LIMIT
        where = {
            "rest": ("API Gateway answers 502", "la Gateway API risponde 502"),
            "http-v1": ("the HTTP API answers 500", "la HTTP API risponde 500"),
            "http-v2": ("the HTTP API answers 500", "la HTTP API risponde 500"),
            "alb": (
                "the load balancer answers 502",
                "il sistema di bilanciamento del carico risponde 502",
            ),
        }[integration]
        extra_en = " It is also over API Gateway's own 10 MB payload limit." if over_gateway else ""
        extra_it = (
            " Supera anche il limite di 10 MB del payload della Gateway API."
            if over_gateway
            else ""
        )
        problems.append(
            Problem(
                "$",
                "error",
                "payload-too-large",
                {
                    "en": f"The response is {human}, over Lambda's 6 MB limit for a synchronous response: "
                    f"Lambda fails with `Function.ResponseSizeTooLarge` (`Response payload size exceeded "
                    f"maximum allowed payload size (6291556 bytes)`) and {where[0]}.{extra_en}",
                    "it": f"La risposta è di {human}, oltre il limite di 6 MB di Lambda per una risposta "
                    f"sincrona: Lambda fallisce con `Function.ResponseSizeTooLarge` e {where[1]}.{extra_it}",
                },
                _FIX_TOO_LARGE,
            )
        )
        return True
    if integration == "alb" and size > ALB_LIMIT:
        problems.append(
            Problem(
                "$",
                "error",
                "payload-too-large",
                {
                    "en": f"The response is {human}, over the 1 MB limit for the response JSON of a Lambda "
                    "target: the load balancer answers 502 (error_reason `LambdaResponseTooLarge`).",
                    "it": f"La risposta è di {human}, oltre il limite di 1 MB per il JSON di risposta di una "
                    "destinazione Lambda: il sistema di bilanciamento del carico risponde 502 "
                    "(error_reason `LambdaResponseTooLarge`).",
                },
                _FIX_TOO_LARGE,
            )
        )
        return True
    limit, name_en, name_it = (
        (
            ALB_LIMIT,
            "the load balancer's 1 MB limit",
            "il limite è 1 MB per il sistema di bilanciamento",
        )
        if integration == "alb"
        else (
            LAMBDA_SYNC_LIMIT,
            "Lambda's 6 MB response limit",
            "il limite è 6 MB per la risposta Lambda",
        )
    )
    if size > NEAR_LIMIT * limit:
        pct = round(100 * size / limit)
        problems.append(
            Problem(
                "$",
                "warning",
                "payload-near-limit",
                {
                    "en": f"The response is {human}, {pct}% of {name_en}: a little more data and the "
                    "request fails with a 5XX.",
                    "it": f"La risposta è di {human}, {pct}% del limite ({name_it}): con qualche dato in "
                    "più la richiesta fallisce con un 5XX.",
                },
                _FIX_TOO_LARGE,
            )
        )
    return False


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB ({size:,} bytes)"
    if size >= 1024:
        return f"{size / 1024:.1f} KB ({size:,} bytes)"
    return f"{size} bytes"


# ---- Lambda function errors ----------------------------------------------------------------


def _is_lambda_error(payload: object) -> bool:
    """Lambda's error object, not a response: only error keys, at least errorMessage/errorType."""
    if not isinstance(payload, dict) or not payload:
        return False
    keys = {str(k) for k in payload}
    return bool(keys & {"errorMessage", "errorType"}) and keys <= LAMBDA_ERROR_KEYS


# errorType / errorMessage clues -> the catalog entry that explains them better than
# "unhandled-function-error" (shared/catalog.md ids).
_ERROR_ENTRIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"ResponseSizeTooLarge|Response payload size exceeded", re.IGNORECASE),
        "payload-too-large",
    ),
    (
        re.compile(
            r"Runtime\.ImportModuleError|Unable to import module|Cannot find module|No module named"
        ),
        "import-module-error",
    ),
    (
        re.compile(
            r"Runtime\.HandlerNotFound|Runtime\.MalformedHandlerName|is undefined or not exported|missing on module"
        ),
        "handler-not-found",
    ),
    (re.compile(r"Sandbox\.Timedout|Task timed out after"), "function-timeout"),
    (
        re.compile(
            r"Runtime\.ExitError|Runtime exited|signal: killed|Process exited before completing"
        ),
        "runtime-exit",
    ),
    (
        re.compile(r"EACCES|Errno 13\] Permission denied|permission denied", re.IGNORECASE),
        "package-permission-denied",
    ),
)


def _function_error(
    payload: dict[Any, Any], integration: str, rt: str | None
) -> tuple[Problem, str]:
    error_type = _short(str(payload.get("errorType") or ""), 80)
    error_message = _short(str(payload.get("errorMessage") or ""), 200)
    clue = f"{error_type} {error_message}"
    entry = next(
        (e for pattern, e in _ERROR_ENTRIES if pattern.search(clue)), "unhandled-function-error"
    )
    what = f"`{error_type}`: {error_message}" if error_type else error_message or "(no message)"
    outcome = {
        "rest": (
            (
                "API Gateway logs `Lambda execution failed with status 200 due to customer function "
                "error` and answers 502"
            ),
            (
                "la Gateway API registra `Lambda execution failed with status 200 due to customer "
                "function error` e risponde 502"
            ),
        ),
        "http-v1": (
            (
                "the HTTP API answers 500 ($context.integrationErrorMessage: `The Lambda function "
                "returned the following error`)"
            ),
            (
                "la HTTP API risponde 500 ($context.integrationErrorMessage: `The Lambda function "
                "returned the following error`)"
            ),
        ),
        "http-v2": (
            (
                "the HTTP API answers 500 ($context.integrationErrorMessage: `The Lambda function "
                "returned the following error`)"
            ),
            (
                "la HTTP API risponde 500 ($context.integrationErrorMessage: `The Lambda function "
                "returned the following error`)"
            ),
        ),
        "alb": (
            "the load balancer answers 502 (error_reason `LambdaUnhandled`)",
            "il sistema di bilanciamento del carico risponde 502 (error_reason `LambdaUnhandled`)",
        ),
    }[integration]
    note_en = note_it = ""
    if integration == "http-v2":
        # Payload 2.0 would serve this object as a 200 body if the code returned it on purpose.
        note_en = (
            " (If your code returned this object itself instead of throwing, the function did not "
            "fail and the client gets it as a 200 JSON body.)"
        )
        note_it = (
            " (Se è il codice a restituire questo oggetto invece di sollevare un'eccezione, la "
            "funzione non fallisce e il client lo riceve come corpo JSON con stato 200.)"
        )
    message = {
        "en": f"This is a Lambda error object, not a response: the function failed ({what}) and "
        f"{outcome[0]}. This is not a malformed proxy response.{note_en}",
        "it": f"Questo è un oggetto di errore di Lambda, non una risposta: la funzione Lambda è fallita "
        f"({what}) e {outcome[1]}. Non è una risposta proxy malformata.{note_it}",
    }
    specific = _ERROR_FIX.get(entry)
    catch = _code("catch-errors", rt)
    fix = {
        "en": (
            specific["en"] + " "
            if specific
            else "Read the function's log group "
            "(`/aws/lambda/FUNCTION`) for the stack trace and fix the cause. "
        )
        + f"To answer with a controlled error instead of a 5XX from the gateway, catch it and "
        f"return a response: {catch}",
        "it": (
            specific["it"] + " "
            if specific
            else "Leggi il gruppo di log della funzione "
            "(`/aws/lambda/FUNCTION`) per lo stack trace e correggi la causa. "
        )
        + f"Per rispondere con un errore controllato invece di un 5XX del gateway, intercetta "
        f"l'eccezione e restituisci una risposta: {catch}",
    }
    return Problem("$", "error", "function-error", message, fix), entry


_ERROR_FIX: dict[str, dict[str, str]] = {
    "payload-too-large": {
        "en": "Return less than 6 MB: paginate, or put the data in S3 and return a presigned URL.",
        "it": "Restituisci meno di 6 MB: usa la paginazione, oppure salva i dati su S3 e restituisci "
        "un URL prefirmato.",
    },
    "import-module-error": {
        "en": "A module is missing from the deployment package or layer: install the dependencies "
        "into the package (for the Lambda architecture) and deploy again.",
        "it": "Nel pacchetto di distribuzione o nel layer manca un modulo: installa le dipendenze "
        "nel pacchetto (per l'architettura di Lambda) e ridistribuisci.",
    },
    "handler-not-found": {
        "en": "The Handler setting names no exported function: make it `file.function` and export "
        "that function.",
        "it": "L'impostazione Handler non indica una funzione esportata: usa `file.funzione` ed "
        "esporta quella funzione.",
    },
    "function-timeout": {
        "en": "The function hit its own timeout: raise Timeout in its configuration or make it faster.",
        "it": "La funzione ha raggiunto il proprio timeout: aumenta Timeout nella configurazione o "
        "rendila più veloce.",
    },
    "runtime-exit": {
        "en": "The runtime process died (often out of memory): raise MemorySize or use less memory.",
        "it": "Il processo del runtime è terminato (spesso per memoria esaurita): aumenta MemorySize o "
        "usa meno memoria.",
    },
    "package-permission-denied": {
        "en": "Files in the package are not readable by the runtime: `chmod -R o+rX .` (644 for files, "
        "755 for directories and executables) before zipping.",
        "it": "I file del pacchetto non sono leggibili dal runtime: esegui `chmod -R o+rX .` (644 per i "
        "file, 755 per directory ed eseguibili) prima di creare lo zip.",
    },
}


# ---- REST API and HTTP API payload 1.0 -------------------------------------------------------


def _check_rest(payload: object, rt: str | None, problems: list[Problem]) -> int:
    return _check_proxy_v1(payload, rt, problems, http_api=False)


def _check_http_v1(payload: object, rt: str | None, problems: list[Problem]) -> int:
    return _check_proxy_v1(payload, rt, problems, http_api=True)


def _check_proxy_v1(
    payload: object, rt: str | None, problems: list[Problem], *, http_api: bool
) -> int:
    """Payload format 1.0: REST AWS_PROXY (recorded against AWS), or an HTTP API with 1.0."""
    gw = _gateway(http_api)
    if not isinstance(payload, dict):
        problems.append(_not_an_object(payload, gw, rt))
        return 200

    for key in payload:
        if str(key) not in PROXY_V1_KEYS:
            problems.append(_extra_key(str(key), payload, gw, rt))

    status = _check_status_code(payload, gw, rt, problems, required=http_api)
    _check_body(payload, gw, rt, problems)
    headers_ok = _check_headers(payload.get("headers"), "headers", gw, rt, problems)
    mvh_ok = _check_multi_value_headers(payload.get("multiValueHeaders"), gw, rt, problems)
    _check_base64(payload, gw, rt, problems, decoded_by_config=not http_api)
    if headers_ok and mvh_ok:
        _check_content_type(payload, gw, rt, problems, adds_json_default=not http_api)
    return status


class _Gw:
    """How one gateway reacts to a malformed response, in both languages."""

    def __init__(self, name_en: str, name_it: str, status: int, log_en: str) -> None:
        self.name_en, self.name_it, self.status, self.log_en = name_en, name_it, status, log_en

    def rejects(self, lang: str) -> str:
        if lang == "it":
            return f"{self.name_it} risponde {self.status}{self.log_en}"
        return f"{self.name_en} answers {self.status}{self.log_en}"


def _gateway(http_api: bool) -> _Gw:
    if http_api:
        return _Gw("the HTTP API", "la HTTP API", 500, "")
    return _Gw("API Gateway", "la Gateway API", 502, " (`Malformed Lambda proxy response`)")


_ALB_GW = _Gw(
    "the load balancer",
    "il sistema di bilanciamento del carico",
    502,
    " (error_reason `LambdaInvalidResponse`)",
)
_V2_GW = _Gw("the HTTP API", "la HTTP API", 500, "")


def _not_an_object(payload: object, gw: _Gw, rt: str | None) -> Problem:
    kind_en, kind_it = _kind(payload)
    if payload is None:
        # A Node.js async handler that never returns, or a Python handler without `return`.
        return Problem(
            "$",
            "error",
            "payload-not-object",
            {
                "en": f"The function returned null (nothing): {gw.rejects('en')}. Usually an async "
                "Node.js handler that does not `return` (or mixes callback and async), or a Python "
                "handler without `return`.",
                "it": f"La funzione Lambda ha restituito null (niente): {gw.rejects('it')}. Di solito è un "
                "handler Node.js async senza `return` (o che mescola callback e async), oppure un "
                "handler Python senza `return`.",
            },
            {
                "en": f"Return the whole response object from the handler: {_code('full-response', rt)}",
                "it": f"Restituisci dall'handler l'intero oggetto di risposta: {_code('full-response', rt)}",
            },
        )
    inner = _stringified_response(payload)
    if inner is not None:
        return Problem(
            "$",
            "error",
            "payload-stringified",
            {
                "en": f"The function returned the whole response serialized as a string (JSON inside a "
                f"string), so it is not an object: {gw.rejects('en')}.",
                "it": f"La funzione Lambda ha restituito l'intera risposta serializzata in una stringa "
                f"(JSON dentro una stringa), quindi non è un oggetto: {gw.rejects('it')}.",
            },
            {
                "en": f"Return the object itself and serialize only `body`: {_code('no-double-encode', rt)}",
                "it": f"Restituisci l'oggetto stesso e serializza solo `body`: {_code('no-double-encode', rt)}",
            },
        )
    return Problem(
        "$",
        "error",
        "payload-not-object",
        {
            "en": f"The function returned {kind_en}, not a JSON object with statusCode, headers and body: "
            f"{gw.rejects('en')}.",
            "it": f"La funzione Lambda ha restituito {kind_it}, non un oggetto JSON con statusCode, headers e "
            f"body: {gw.rejects('it')}.",
        },
        {
            "en": f"Wrap what you return in a proxy response: {_code('full-response', rt)}",
            "it": f"Inserisci ciò che restituisci in una risposta proxy: {_code('full-response', rt)}",
        },
    )


def _stringified_response(payload: object) -> dict[Any, Any] | None:
    """The response object when `payload` is that object serialized once more into a string."""
    if not isinstance(payload, str) or not payload.lstrip().startswith("{"):
        return None
    try:
        inner = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if isinstance(inner, dict) and {str(k) for k in inner} & RESPONSE_HINT_KEYS:
        return inner
    return None


_KEY_HINTS: dict[str, tuple[str, str]] = {
    # Java's `isBase64Encoded` getter serializes as `base64Encoded` with Jackson/Gson defaults.
    "base64Encoded": (
        (
            "In Java a POJO with `isBase64Encoded()` is serialized as `base64Encoded`; use "
            "`APIGatewayProxyResponseEvent` or name the field explicitly."
        ),
        (
            "In Java un POJO con `isBase64Encoded()` viene serializzato come `base64Encoded`; "
            "usa `APIGatewayProxyResponseEvent` o indica il nome del campo in modo esplicito."
        ),
    ),
    "cookies": (
        (
            "`cookies` exists only in payload format 2.0; here send cookies as "
            '`multiValueHeaders: {"Set-Cookie": [...]}`.'
        ),
        (
            "`cookies` esiste solo nel formato del payload 2.0; qui invia i cookie come "
            '`multiValueHeaders: {"Set-Cookie": [...]}`.'
        ),
    ),
    "statusDescription": (
        (
            "`statusDescription` is an Application Load Balancer field; API Gateway does "
            "not accept it."
        ),
        (
            "`statusDescription` è un campo dell'Application Load Balancer; la Gateway API "
            "non lo accetta."
        ),
    ),
}


def _extra_key(key: str, payload: dict[Any, Any], gw: _Gw, rt: str | None) -> Problem:
    allowed = "statusCode, headers, multiValueHeaders, body, isBase64Encoded"
    hint_en, hint_it = _KEY_HINTS.get(key, ("", ""))
    if not hint_en:
        # Go structs without json tags, or a typo: same name in another case.
        same = next((k for k in PROXY_V1_KEYS if k.lower() == key.lower()), None)
        if same:
            hint_en = (
                f"Names are case-sensitive: `{key}` should be `{same}` (in Go, use "
                "`events.APIGatewayProxyResponse`, whose fields carry the json tags)."
            )
            hint_it = (
                f"I nomi distinguono maiuscole e minuscole: `{key}` deve essere `{same}` (in Go "
                "usa `events.APIGatewayProxyResponse`, i cui campi hanno i tag json)."
            )
        else:
            hint_en = "Move it into the body, or drop it."
            hint_it = "Spostalo nel body, oppure eliminalo."
    return Problem(
        _path("", key),
        "error",
        "extra-key",
        {
            "en": f"`{key}` is not a field of the Lambda proxy response, which accepts only {allowed}: "
            f"any other top-level key makes {gw.name_en} answer {gw.status}{gw.log_en}.",
            "it": f"`{key}` non è un campo della risposta proxy Lambda, che accetta solo {allowed}: "
            f"qualsiasi altra chiave di primo livello fa rispondere {gw.name_it} {gw.status}{gw.log_en}.",
        },
        {
            "en": f"{hint_en} A valid response: {_code('full-response', rt)}",
            "it": f"{hint_it} Una risposta valida: {_code('full-response', rt)}",
        },
    )


def _check_status_code(
    payload: dict[Any, Any], gw: _Gw, rt: str | None, problems: list[Problem], *, required: bool
) -> int:
    """Status the client gets from statusCode; problems for anything API Gateway won't read."""
    value = payload.get("statusCode")
    fix = {
        "en": f"Return the status as a number: {_code('status-int', rt)}",
        "it": f"Restituisci lo stato come numero: {_code('status-int', rt)}",
    }
    if value is None:  # missing, or null (read as missing)
        if required:
            problems.append(
                Problem(
                    "statusCode",
                    "error",
                    "status-code-missing",
                    {
                        "en": "No statusCode: an HTTP API with payload format 1.0 needs the full 1.0 response "
                        "shape and answers 500 without it.",
                        "it": "Manca statusCode: una HTTP API con formato del payload 1.0 richiede la forma "
                        "completa della risposta 1.0 e senza risponde 500.",
                    },
                    fix,
                )
            )
        else:
            problems.append(
                Problem(
                    "statusCode",
                    "warning",
                    "status-code-missing",
                    {
                        "en": "No statusCode: API Gateway answers 200, whatever happened in the function.",
                        "it": "Manca statusCode: la Gateway API risponde 200, qualunque cosa sia successa "
                        "nella funzione Lambda.",
                    },
                    fix,
                )
            )
        return 200
    status, note = _read_status(value)
    if status is None:
        kind_en, kind_it = _kind(value)
        problems.append(
            Problem(
                "statusCode",
                "error",
                "status-code-invalid",
                {
                    "en": f"statusCode is {kind_en} ({_show(value)}), not an HTTP status: {gw.rejects('en')}.",
                    "it": f"statusCode è {kind_it} ({_show(value)}), non uno stato HTTP: {gw.rejects('it')}.",
                },
                fix,
            )
        )
        return 200
    if note == "string":
        problems.append(
            Problem(
                "statusCode",
                "warning",
                "status-code-string",
                {
                    "en": f"statusCode is the string {_show(value)}: API Gateway accepts a numeric string and "
                    f"answers {status}, but the format documents a number.",
                    "it": f"statusCode è la stringa {_show(value)}: la Gateway API accetta una stringa numerica e "
                    f"risponde {status}, ma il formato prevede un numero.",
                },
                fix,
            )
        )
    elif note == "float":
        # Inferred: a Java (Jackson) int field takes 200.0 as 200.
        problems.append(
            Problem(
                "statusCode",
                "warning",
                "status-code-float",
                {
                    "en": f"statusCode is the decimal number {_show(value)}; it is read as {status}, but send "
                    "an integer.",
                    "it": f"statusCode è il numero decimale {_show(value)}; viene letto come {status}, ma invia "
                    "un intero.",
                },
                fix,
            )
        )
    return status


def _read_status(value: object) -> tuple[int | None, str]:
    """(status, how it was written) or (None, "") when it is not a usable HTTP status."""
    if isinstance(value, bool):
        return None, ""
    if isinstance(value, int):
        status, note = value, ""
    elif (
        isinstance(value, float)
        and math.isfinite(value)
        and value.is_integer()
        and abs(value) < 1e6
    ):
        status, note = int(value), "float"
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value):
        status, note = int(value), "string"  # recorded: "201" -> 201
    else:
        return None, ""
    # Inferred: HTTP has no status outside 100-599, so API Gateway cannot send one.
    if not 100 <= status <= 599:
        return None, ""
    return status, note


def _check_body(payload: dict[Any, Any], gw: _Gw, rt: str | None, problems: list[Problem]) -> None:
    body = payload.get("body")
    if body is None or isinstance(body, str):  # null or missing: empty body
        return
    kind_en, kind_it = _kind(body)
    problems.append(
        Problem(
            "body",
            "error",
            "body-not-string",
            {
                "en": f"`body` is {kind_en}; {gw.name_en} needs a string and answers {gw.status}{gw.log_en}.",
                "it": f"`body` è {kind_it}; {gw.name_it} vuole una stringa e risponde {gw.status}{gw.log_en}.",
            },
            {
                "en": f"Serialize the body to a string: {_code('body-string', rt, all_runtimes=True)}",
                "it": f"Serializza il corpo in una stringa: {_code('body-string', rt, all_runtimes=True)}",
            },
        )
    )


def _check_headers(
    headers: object,
    where: str,
    gw: _Gw,
    rt: str | None,
    problems: list[Problem],
    *,
    strict: bool = False,
) -> bool:
    """Check a {name: value} header map; True when it is a map (or null) whose names can be read.

    strict: every value must be a string (ALB). Otherwise scalars are sent as text (a boolean as
    "true", recorded for REST) and only objects/arrays are rejected (M).
    """
    if headers is None:
        return True
    if not isinstance(headers, dict):
        kind_en, kind_it = _kind(headers)
        problems.append(
            Problem(
                where,
                "error",
                "headers-not-object",
                {
                    "en": f"`{where}` is {kind_en}; it must be an object of header names to values: "
                    f"{gw.rejects('en')}.",
                    "it": f"`{where}` è {kind_it}; deve essere un oggetto da nomi di intestazione a valori: "
                    f"{gw.rejects('it')}.",
                },
                {
                    "en": f"Return the headers as an object: {_code('content-type', rt)}",
                    "it": f"Restituisci le intestazioni come oggetto: {_code('content-type', rt)}",
                },
            )
        )
        return False
    for name, value in headers.items():
        problem = _header_value_problem(
            _path(where, str(name)), str(name), value, gw, rt, strict=strict
        )
        if problem:
            problems.append(problem)
    return True


def _header_value_problem(
    path: str, name: str, value: object, gw: _Gw, rt: str | None, *, strict: bool
) -> Problem | None:
    if isinstance(value, str):
        return None
    kind_en, kind_it = _kind(value)
    fix = {
        "en": f"Send header values as strings: {_code('header-string', rt, header=name)}",
        "it": f"Invia i valori delle intestazioni come stringhe: {_code('header-string', rt, header=name)}",
    }
    if strict or isinstance(value, (dict, list)):
        return Problem(
            path,
            "error",
            "header-value-not-string",
            {
                "en": f"Header `{name}` is {kind_en} ({_show(value)}), not a string: {gw.rejects('en')}.",
                "it": f"L'intestazione `{name}` è {kind_it} ({_show(value)}), non una stringa: "
                f"{gw.rejects('it')}.",
            },
            fix,
        )
    if isinstance(value, bool):
        text = "true" if value else "false"
        return Problem(
            path,
            "warning",
            "header-value-boolean",
            {
                "en": f"Header `{name}` is the boolean {text}: API Gateway accepts it and sends the text "
                f'"{text}".',
                "it": f"L'intestazione `{name}` è il booleano {text}: la Gateway API lo accetta e invia il "
                f'testo "{text}".',
            },
            fix,
        )
    if value is None:
        # Inferred: a null value cannot be sent as a header; expect it to be dropped or empty.
        return Problem(
            path,
            "warning",
            "header-value-null",
            {
                "en": f"Header `{name}` is null: it is sent empty or not at all.",
                "it": f"L'intestazione `{name}` è null: viene inviata vuota o non viene inviata.",
            },
            fix,
        )
    # Inferred: a number is read as its text, like the boolean recorded against AWS.
    return Problem(
        path,
        "warning",
        "header-value-not-string",
        {
            "en": f"Header `{name}` is {kind_en} ({_show(value)}), not a string: it is sent as its text, "
            "but the format documents strings.",
            "it": f"L'intestazione `{name}` è {kind_it} ({_show(value)}), non una stringa: viene inviata come "
            "testo, ma il formato prevede stringhe.",
        },
        fix,
    )


def _check_multi_value_headers(
    mvh: object, gw: _Gw, rt: str | None, problems: list[Problem], *, strict: bool = False
) -> bool:
    if mvh is None:
        return True
    fix = {
        "en": f"Give each header a list of strings: {_code('multi-value', rt)}",
        "it": f"Assegna a ogni intestazione una lista di stringhe: {_code('multi-value', rt)}",
    }
    if not isinstance(mvh, dict):
        kind_en, kind_it = _kind(mvh)
        problems.append(
            Problem(
                "multiValueHeaders",
                "error",
                "multi-value-headers-not-object",
                {
                    "en": f"`multiValueHeaders` is {kind_en}; it must be an object of header names to lists: "
                    f"{gw.rejects('en')}.",
                    "it": f"`multiValueHeaders` è {kind_it}; deve essere un oggetto da nomi di intestazione a "
                    f"liste: {gw.rejects('it')}.",
                },
                fix,
            )
        )
        return False
    for name, values in mvh.items():
        path = _path("multiValueHeaders", str(name))
        if not isinstance(values, list):
            kind_en, kind_it = _kind(values)
            problems.append(
                Problem(
                    path,
                    "error",
                    "multi-value-header-not-list",
                    {
                        "en": f"`multiValueHeaders` value for `{name}` is {kind_en} ({_show(values)}), not a list: "
                        f"{gw.rejects('en')}.",
                        "it": f"Il valore di `multiValueHeaders` per `{name}` è {kind_it} ({_show(values)}), non "
                        f"una lista: {gw.rejects('it')}.",
                    },
                    fix,
                )
            )
            continue
        for index, value in enumerate(values):
            problem = _header_value_problem(
                f"{path}[{index}]", str(name), value, gw, rt, strict=strict
            )
            if problem:
                problems.append(problem)
    return True


def _check_base64(
    payload: dict[Any, Any],
    gw: _Gw,
    rt: str | None,
    problems: list[Problem],
    *,
    decoded_by_config: bool,
) -> None:
    """isBase64Encoded must be a boolean; when true, the body must be base64.

    decoded_by_config: REST decodes only when the API's binaryMediaTypes match (recorded: without
    them the client gets the base64 text); HTTP APIs and ALB always decode.
    """
    flag = payload.get("isBase64Encoded")
    fix = {
        "en": f"Set a boolean and base64-encode the body: {_code('base64', rt)}",
        "it": f"Usa un booleano e codifica il corpo in base64: {_code('base64', rt)}",
    }
    if flag is None or flag is False:
        return
    if flag is not True:
        if isinstance(flag, str) and flag.lower() in ("true", "false"):
            # Inferred: Java's JSON reader takes "true"/"false" for a boolean.
            problems.append(
                Problem(
                    "isBase64Encoded",
                    "warning",
                    "base64-flag-string",
                    {
                        "en": f"isBase64Encoded is the string {_show(flag)}; it is read as a boolean, but send "
                        "true or false.",
                        "it": f"isBase64Encoded è la stringa {_show(flag)}; viene letta come booleano, ma invia "
                        "true o false.",
                    },
                    fix,
                )
            )
            if flag.lower() == "false":
                return
        else:
            kind_en, kind_it = _kind(flag)
            problems.append(
                Problem(
                    "isBase64Encoded",
                    "error",
                    "base64-flag-invalid",
                    {
                        "en": f"isBase64Encoded is {kind_en} ({_show(flag)}), not a boolean: {gw.rejects('en')}.",
                        "it": f"isBase64Encoded è {kind_it} ({_show(flag)}), non un booleano: {gw.rejects('it')}.",
                    },
                    fix,
                )
            )
            return
    body = payload.get("body")
    if decoded_by_config:
        problems.append(
            Problem(
                "isBase64Encoded",
                "warning",
                "base64-needs-binary-media-types",
                {
                    "en": "isBase64Encoded is true: API Gateway decodes the body only when the API's "
                    "binaryMediaTypes match the request's Accept header; otherwise the client gets "
                    "the base64 text.",
                    "it": "isBase64Encoded è true: la Gateway API decodifica il corpo solo se i binaryMediaTypes "
                    "dell'API corrispondono all'intestazione Accept della richiesta; altrimenti il "
                    "client riceve il testo in base64.",
                },
                {
                    "en": "Add the media type to the API's Binary Media Types (for example `image/png` or "
                    "`*/*`), deploy the API again, and send a matching Accept header.",
                    "it": "Aggiungi il tipo di media ai Binary Media Types dell'API (per esempio `image/png` o "
                    "`*/*`), ridistribuisci l'API e invia un'intestazione Accept corrispondente.",
                },
            )
        )
    if isinstance(body, str) and not _is_base64(body):
        where_en = (
            "with binary support on, API Gateway answers 500 (API_CONFIGURATION_ERROR)"
            if decoded_by_config
            else f"{gw.name_en} cannot decode it and fails"
        )
        where_it = (
            "con il supporto binario attivo, la Gateway API risponde 500 (API_CONFIGURATION_ERROR)"
            if decoded_by_config
            else f"{gw.name_it} non riesce a decodificarlo e fallisce"
        )
        problems.append(
            Problem(
                "body",
                "warning",
                "base64-body-invalid",
                {
                    "en": f"isBase64Encoded is true but `body` is not valid base64: {where_en}.",
                    "it": f"isBase64Encoded è true ma `body` non è base64 valido: {where_it}.",
                },
                fix,
            )
        )


def _is_base64(text: str) -> bool:
    compact = re.sub(r"\s+", "", text)
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _check_content_type(
    payload: dict[Any, Any],
    gw: _Gw,
    rt: str | None,
    problems: list[Problem],
    *,
    adds_json_default: bool,
) -> None:
    """Warn when the client gets a body without a Content-Type AWS would add, or a wrong one.

    adds_json_default: REST adds `Content-Type: application/json` when no headers are returned
    (recorded); with some headers, or elsewhere, none is added for the function.
    """
    body = payload.get("body")
    if not isinstance(body, str) or not body:
        return
    names = _header_names(payload.get("headers")) | _header_names(payload.get("multiValueHeaders"))
    if "content-type" in names:
        return
    fix = {
        "en": f"Set Content-Type yourself: {_code('content-type', rt)}",
        "it": f"Imposta tu Content-Type: {_code('content-type', rt)}",
    }
    if adds_json_default and not names:
        if payload.get("isBase64Encoded") is True or _looks_like_json(body):
            return
        problems.append(
            Problem(
                "headers",
                "warning",
                "content-type-defaulted",
                {
                    "en": "No headers: API Gateway labels the body `Content-Type: application/json`, but it is "
                    "not JSON.",
                    "it": "Nessuna intestazione: la Gateway API etichetta il corpo `Content-Type: "
                    "application/json`, ma non è JSON.",
                },
                fix,
            )
        )
        return
    problems.append(
        Problem(
            "headers",
            "warning",
            "content-type-missing",
            {
                "en": f"No Content-Type header: {gw.name_en} does not add one for this response, so clients "
                "have to guess the body's type.",
                "it": f"Manca l'intestazione Content-Type: {gw.name_it} non ne aggiunge una per questa "
                "risposta, quindi i client devono indovinare il tipo del corpo.",
            },
            fix,
        )
    )


def _header_names(headers: object) -> set[str]:
    if not isinstance(headers, dict):
        return set()
    return {str(name).lower() for name in headers}


def _looks_like_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


# ---- HTTP API payload 2.0 -------------------------------------------------------------------


def _check_http_v2(payload: object, rt: str | None, problems: list[Problem]) -> int:
    """Payload 2.0: with statusCode it is a response; without, the whole thing is a 200 JSON body."""
    gw = _V2_GW
    # A null statusCode counts as not returned (inferred), like a missing one.
    if not isinstance(payload, dict) or payload.get("statusCode") is None:
        _inferred_v2(payload, rt, problems)
        return 200

    for key in payload:
        name = str(key)
        if name in HTTP_V2_KEYS:
            continue
        # Inferred (SAM local mirrors it): unknown fields are left out of the response.
        what_en, what_it = (
            (
                (
                    "payload format 2.0 has no multiValueHeaders; join values with commas in `headers`, and "
                    "use `cookies` for Set-Cookie"
                ),
                (
                    "il formato del payload 2.0 non ha multiValueHeaders; unisci i valori con virgole in "
                    "`headers` e usa `cookies` per Set-Cookie"
                ),
            )
            if name == "multiValueHeaders"
            else (
                "it is not a field of the payload 2.0 response",
                "non è un campo della risposta 2.0",
            )
        )
        problems.append(
            Problem(
                _path("", name),
                "warning",
                "ignored-key",
                {
                    "en": f"`{name}` is ignored: {what_en}.",
                    "it": f"`{name}` viene ignorato: {what_it}.",
                },
                {
                    "en": f"Return only statusCode, headers, cookies, body and isBase64Encoded: "
                    f"{_code('full-response-v2', rt)}",
                    "it": f"Restituisci solo statusCode, headers, cookies, body e isBase64Encoded: "
                    f"{_code('full-response-v2', rt)}",
                },
            )
        )

    status = _check_status_code(payload, gw, rt, problems, required=True)
    body = payload.get("body")
    if body is not None and not isinstance(body, str):
        kind_en, kind_it = _kind(body)
        problems.append(
            Problem(
                "body",
                "error",
                "body-not-string",
                {
                    "en": f"`body` is {kind_en}; with a statusCode the body must be a string, and the HTTP API "
                    'answers 500 (`Lambda body contains the wrong type for field "body"`).',
                    "it": f"`body` è {kind_it}; con statusCode il corpo deve essere una stringa, e la HTTP API "
                    'risponde 500 (`Lambda body contains the wrong type for field "body"`).',
                },
                {
                    "en": f"Serialize the body to a string: {_code('body-string', rt, all_runtimes=True)}",
                    "it": f"Serializza il corpo in una stringa: {_code('body-string', rt, all_runtimes=True)}",
                },
            )
        )
    headers_ok = _check_headers(payload.get("headers"), "headers", gw, rt, problems)
    _check_cookies(payload.get("cookies"), rt, problems)
    _check_base64(payload, gw, rt, problems, decoded_by_config=False)
    if headers_ok:
        _check_content_type(payload, gw, rt, problems, adds_json_default=False)
    return status


def _inferred_v2(payload: object, rt: str | None, problems: list[Problem]) -> None:
    """Documented: valid JSON without statusCode -> 200, application/json, body = the JSON."""
    fix = {
        "en": f"Return a full response to choose the status and headers: {_code('full-response-v2', rt)}",
        "it": f"Restituisci una risposta completa per scegliere stato e intestazioni: "
        f"{_code('full-response-v2', rt)}",
    }
    if isinstance(payload, dict):
        looks_like_response = {str(k) for k in payload} & RESPONSE_HINT_KEYS
        if looks_like_response:
            problems.append(
                Problem(
                    "statusCode",
                    "warning",
                    "status-code-missing",
                    {
                        "en": "No statusCode, so the HTTP API does not read this as a response: the client gets "
                        "200 with the whole object (headers and body included) as its JSON body.",
                        "it": "Manca statusCode, quindi la HTTP API non lo legge come una risposta: il client "
                        "riceve 200 con l'intero oggetto (headers e body compresi) come corpo JSON.",
                    },
                    fix,
                )
            )
        return
    if payload is None:
        problems.append(
            Problem(
                "$",
                "warning",
                "payload-null",
                {
                    "en": "The function returned null (nothing): the client gets 200 with an empty or `null` "
                    "body. Usually a handler that does not `return`.",
                    "it": "La funzione Lambda ha restituito null (niente): il client riceve 200 con un corpo "
                    "vuoto o `null`. Di solito è un handler senza `return`.",
                },
                fix,
            )
        )
        return
    if _stringified_response(payload) is not None:
        problems.append(
            Problem(
                "$",
                "warning",
                "payload-stringified",
                {
                    "en": "The function returned the whole response serialized as a string: the HTTP API sends "
                    "that text as a 200 body, statusCode and headers included.",
                    "it": "La funzione Lambda ha restituito l'intera risposta serializzata in una stringa: la "
                    "HTTP API invia quel testo come corpo con stato 200, statusCode e headers compresi.",
                },
                {
                    "en": f"Return the object itself and serialize only `body`: {_code('no-double-encode', rt)}",
                    "it": f"Restituisci l'oggetto stesso e serializza solo `body`: {_code('no-double-encode', rt)}",
                },
            )
        )
    elif isinstance(payload, str) and not _looks_like_json(payload):
        problems.append(
            Problem(
                "$",
                "warning",
                "content-type-defaulted",
                {
                    "en": "The function returned a plain string: the client gets 200 with that text, labelled "
                    "`Content-Type: application/json`.",
                    "it": "La funzione Lambda ha restituito una stringa semplice: il client riceve 200 con quel "
                    "testo, etichettato `Content-Type: application/json`.",
                },
                fix,
            )
        )


def _check_cookies(cookies: object, rt: str | None, problems: list[Problem]) -> None:
    if cookies is None:
        return
    fix = {
        "en": f"Send cookies as a list of strings: {_code('cookies', rt)}",
        "it": f"Invia i cookie come lista di stringhe: {_code('cookies', rt)}",
    }
    if not isinstance(cookies, list):
        kind_en, kind_it = _kind(cookies)
        problems.append(
            Problem(
                "cookies",
                "error",
                "cookies-not-list",
                {
                    "en": f"`cookies` is {kind_en}, not a list of strings: the HTTP API answers 500.",
                    "it": f"`cookies` è {kind_it}, non una lista di stringhe: la HTTP API risponde 500.",
                },
                fix,
            )
        )
        return
    for index, cookie in enumerate(cookies):
        if not isinstance(cookie, str):
            kind_en, kind_it = _kind(cookie)
            problems.append(
                Problem(
                    f"cookies[{index}]",
                    "error",
                    "cookie-not-string",
                    {
                        "en": f"`cookies[{index}]` is {kind_en}, not a string: the HTTP API answers 500.",
                        "it": f"`cookies[{index}]` è {kind_it}, non una stringa: la HTTP API risponde 500.",
                    },
                    fix,
                )
            )


# ---- Application Load Balancer --------------------------------------------------------------


def _check_alb(payload: object, rt: str | None, problems: list[Problem], multi_value: bool) -> int:
    gw = _ALB_GW
    fix_shape = {
        "en": f"Return the ALB response shape: {_code('full-response-alb', rt)}",
        "it": f"Restituisci la forma di risposta dell'ALB: {_code('full-response-alb', rt)}",
    }
    if not isinstance(payload, dict):
        kind_en, kind_it = _kind(payload)
        problems.append(
            Problem(
                "$",
                "error",
                "payload-not-object",
                {
                    "en": f"The function returned {kind_en}, not a JSON object: {gw.rejects('en')}.",
                    "it": f"La funzione Lambda ha restituito {kind_it}, non un oggetto JSON: {gw.rejects('it')}.",
                },
                fix_shape,
            )
        )
        return 200

    for key in payload:
        name = str(key)
        if name not in ALB_KEYS:
            # Inferred: the load balancer reads the fields it knows.
            problems.append(
                Problem(
                    _path("", name),
                    "warning",
                    "ignored-key",
                    {
                        "en": f"`{name}` is not a field of the ALB response and is ignored.",
                        "it": f"`{name}` non è un campo della risposta dell'ALB e viene ignorato.",
                    },
                    fix_shape,
                )
            )

    status = 200
    value = payload.get("statusCode")
    read, _ = (
        _read_status(value)
        if isinstance(value, int) and not isinstance(value, bool)
        else (None, "")
    )
    if value is None or read is None:
        # Documented shape: statusCode is a required integer (a string is not inferred to work here).
        what_en = (
            "missing"
            if value is None
            else f"{_kind(value)[0]} ({_show(value)}), not an integer status"
        )
        what_it = (
            "assente"
            if value is None
            else f"{_kind(value)[1]} ({_show(value)}), non uno stato intero"
        )
        problems.append(
            Problem(
                "statusCode",
                "error",
                "status-code-invalid" if value is not None else "status-code-missing",
                {
                    "en": f"statusCode is {what_en}: {gw.rejects('en')}.",
                    "it": f"statusCode è {what_it}: {gw.rejects('it')}.",
                },
                {
                    "en": f"Return the status as an integer: {_code('status-int', rt)}",
                    "it": f"Restituisci lo stato come intero: {_code('status-int', rt)}",
                },
            )
        )
    else:
        status = read
    description = payload.get("statusDescription")
    if not isinstance(description, str) or not description:
        problems.append(
            Problem(
                "statusDescription",
                "warning",
                "status-description-missing",
                {
                    "en": 'No statusDescription (such as "200 OK"): the ALB documents it in the response, and '
                    "the status line sent to the client may lack its reason phrase.",
                    "it": 'Manca statusDescription (per esempio "200 OK"): l\'ALB la prevede nella risposta, e la '
                    "riga di stato inviata al client può restare senza descrizione.",
                },
                {
                    "en": f"Add it: {_code('alb-status-description', rt)}",
                    "it": f"Aggiungila: {_code('alb-status-description', rt)}",
                },
            )
        )
    if "isBase64Encoded" not in payload:
        problems.append(
            Problem(
                "isBase64Encoded",
                "warning",
                "base64-flag-missing",
                {
                    "en": "No isBase64Encoded: the ALB documents it as part of every response; set it to false "
                    "for text.",
                    "it": "Manca isBase64Encoded: l'ALB lo prevede in ogni risposta; impostalo a false per il "
                    "testo.",
                },
                {
                    "en": f"Add it: {_code('alb-base64-flag', rt)}",
                    "it": f"Aggiungilo: {_code('alb-base64-flag', rt)}",
                },
            )
        )

    body = payload.get("body")
    if body is not None and not isinstance(body, str):
        kind_en, kind_it = _kind(body)
        problems.append(
            Problem(
                "body",
                "error",
                "body-not-string",
                {
                    "en": f"`body` is {kind_en}; the load balancer needs a string: {gw.rejects('en')}.",
                    "it": f"`body` è {kind_it}; il sistema di bilanciamento del carico vuole una stringa: "
                    f"{gw.rejects('it')}.",
                },
                {
                    "en": f"Serialize the body to a string: {_code('body-string', rt, all_runtimes=True)}",
                    "it": f"Serializza il corpo in una stringa: {_code('body-string', rt, all_runtimes=True)}",
                },
            )
        )

    # Recorded (M-H): the ALB wants string header values; a numeric content-length is rejected.
    headers_ok = _check_headers(payload.get("headers"), "headers", gw, rt, problems, strict=True)
    mvh = payload.get("multiValueHeaders")
    mvh_ok = True
    if mvh is not None and not multi_value:
        problems.append(
            Problem(
                "multiValueHeaders",
                "error",
                "multi-value-headers-off",
                {
                    "en": "The response has multiValueHeaders, but multi-value headers are off on the target "
                    f"group (the default): {gw.rejects('en')}.",
                    "it": "La risposta contiene multiValueHeaders, ma le intestazioni multivalore sono disattivate "
                    f"nel gruppo di destinazioni (impostazione predefinita): {gw.rejects('it')}.",
                },
                {
                    "en": "Return `headers` with one string per name, or turn on the target group attribute "
                    "`lambda.multi_value_headers.enabled` and return only multiValueHeaders.",
                    "it": "Restituisci `headers` con una stringa per nome, oppure attiva l'attributo del gruppo di "
                    "destinazioni `lambda.multi_value_headers.enabled` e restituisci solo multiValueHeaders.",
                },
            )
        )
        mvh_ok = False
    elif mvh is not None:
        mvh_ok = _check_multi_value_headers(mvh, gw, rt, problems, strict=True)
    _check_base64(payload, gw, rt, problems, decoded_by_config=False)
    if headers_ok and mvh_ok:
        _check_content_type(payload, gw, rt, problems, adds_json_default=False)
    return status


# ---- fix samples ------------------------------------------------------------------------------

_RUNTIME_NAMES = {"nodejs": "Node.js", "python": "Python", "java": "Java", "go": "Go"}

_SNIPPETS: dict[str, dict[str, str]] = {
    "body-string": {
        "nodejs": "body: JSON.stringify(data)",
        "python": '"body": json.dumps(data)',
        "java": "new APIGatewayProxyResponseEvent().withBody(new ObjectMapper().writeValueAsString(data))",
        "go": "b, _ := json.Marshal(data); resp.Body = string(b)",
    },
    "full-response": {
        "nodejs": 'return { statusCode: 200, headers: { "Content-Type": "application/json" }, '
        "body: JSON.stringify(data) };",
        "python": 'return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, '
        '"body": json.dumps(data)}',
        "java": "return new APIGatewayProxyResponseEvent().withStatusCode(200)"
        '.withHeaders(Map.of("Content-Type", "application/json")).withBody(json);',
        "go": "return events.APIGatewayProxyResponse{StatusCode: 200, Headers: map[string]string"
        '{"Content-Type": "application/json"}, Body: string(b)}, nil',
    },
    "full-response-v2": {
        "nodejs": 'return { statusCode: 200, headers: { "Content-Type": "application/json" }, '
        "body: JSON.stringify(data) };",
        "python": 'return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, '
        '"body": json.dumps(data)}',
        "java": "return APIGatewayV2HTTPResponse.builder().withStatusCode(200)"
        '.withHeaders(Map.of("Content-Type", "application/json")).withBody(json).build();',
        "go": "return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string"
        '{"Content-Type": "application/json"}, Body: string(b)}, nil',
    },
    "full-response-alb": {
        "nodejs": 'return { statusCode: 200, statusDescription: "200 OK", isBase64Encoded: false, '
        'headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) };',
        "python": 'return {"statusCode": 200, "statusDescription": "200 OK", "isBase64Encoded": False, '
        '"headers": {"Content-Type": "application/json"}, "body": json.dumps(data)}',
        "java": "ApplicationLoadBalancerResponseEvent r = new ApplicationLoadBalancerResponseEvent(); "
        'r.setStatusCode(200); r.setStatusDescription("200 OK"); r.setIsBase64Encoded(false); '
        'r.setHeaders(Map.of("Content-Type", "application/json")); r.setBody(json);',
        "go": 'return events.ALBTargetGroupResponse{StatusCode: 200, StatusDescription: "200 OK", '
        'Headers: map[string]string{"Content-Type": "application/json"}, Body: string(b)}, nil',
    },
    "alb-status-description": {
        "nodejs": 'statusDescription: "200 OK"',
        "python": '"statusDescription": "200 OK"',
        "java": 'response.setStatusDescription("200 OK");',
        "go": 'StatusDescription: "200 OK"',
    },
    "alb-base64-flag": {
        "nodejs": "isBase64Encoded: false",
        "python": '"isBase64Encoded": False',
        "java": "response.setIsBase64Encoded(false);",
        "go": "IsBase64Encoded: false",
    },
    "status-int": {
        "nodejs": "statusCode: 200",
        "python": '"statusCode": 200',
        "java": ".withStatusCode(200)",
        "go": "StatusCode: 200",
    },
    "header-string": {
        "nodejs": '"{h}": String(value)',
        "python": '"{h}": str(value)',
        "java": 'headers.put("{h}", String.valueOf(value))',
        "go": '"{h}": strconv.Itoa(value)',
    },
    "multi-value": {
        "nodejs": 'multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"] }',
        "python": '"multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}',
        "java": '.withMultiValueHeaders(Map.of("Set-Cookie", List.of("a=1", "b=2")))',
        "go": 'MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}}',
    },
    "cookies": {
        "nodejs": 'cookies: ["a=1; Secure; HttpOnly", "b=2"]',
        "python": '"cookies": ["a=1; Secure; HttpOnly", "b=2"]',
        "java": '.withCookies(List.of("a=1; Secure; HttpOnly", "b=2"))',
        "go": 'Cookies: []string{"a=1; Secure; HttpOnly", "b=2"}',
    },
    "base64": {
        "nodejs": 'body: buffer.toString("base64"), isBase64Encoded: true',
        "python": '"body": base64.b64encode(data).decode("ascii"), "isBase64Encoded": True',
        "java": ".withBody(Base64.getEncoder().encodeToString(bytes)).withIsBase64Encoded(true)",
        "go": "Body: base64.StdEncoding.EncodeToString(data), IsBase64Encoded: true",
    },
    "content-type": {
        "nodejs": 'headers: { "Content-Type": "application/json" }',
        "python": '"headers": {"Content-Type": "application/json"}',
        "java": '.withHeaders(Map.of("Content-Type", "application/json"))',
        "go": 'Headers: map[string]string{"Content-Type": "application/json"}',
    },
    "no-double-encode": {
        "nodejs": "return response; // not JSON.stringify(response)",
        "python": "return response  # not json.dumps(response)",
        "java": "return an APIGatewayProxyResponseEvent, not a String",
        "go": "return events.APIGatewayProxyResponse{...}, nil, not a string",
    },
    "catch-errors": {
        "nodejs": "try { ... } catch (err) { console.error(err); return { statusCode: 500, "
        'body: JSON.stringify({ message: "internal error" }) }; }',
        "python": 'except Exception: logger.exception("failed"); return {"statusCode": 500, '
        '"body": json.dumps({"message": "internal error"})}',
        "java": "catch (Exception e) { context.getLogger().log(e.toString()); return new "
        'APIGatewayProxyResponseEvent().withStatusCode(500).withBody("{\\"message\\":\\"internal error\\"}"); }',
        "go": "if err != nil { log.Print(err); return events.APIGatewayProxyResponse{StatusCode: 500, "
        'Body: `{"message":"internal error"}`}, nil }',
    },
}


def _code(
    kind: str, runtime: str | None, *, header: str = "X-Header", all_runtimes: bool = False
) -> str:
    """Code sample(s) for one fix: the detected runtime only, else Node.js and Python (and
    Java and Go where the shape differs enough to help)."""
    samples = _SNIPPETS[kind]
    if runtime in samples:
        chosen = [runtime]
    elif all_runtimes or kind.startswith("full-response"):
        chosen = list(RUNTIMES)
    else:
        chosen = ["nodejs", "python"]
    parts = [f"{_RUNTIME_NAMES[r]} `{samples[r].replace('{h}', header)}`" for r in chosen if r]
    return "; ".join(parts)


_FIX_TOO_LARGE = {
    "en": "Return less data: paginate, compress, or put large results in S3 and return a presigned URL.",
    "it": "Restituisci meno dati: usa la paginazione, comprimi, oppure salva i risultati grandi su S3 e "
    "restituisci un URL prefirmato.",
}


# ---- small helpers ---------------------------------------------------------------------------


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def _kind(value: object) -> tuple[str, str]:
    """What a JSON value is, in English and Italian, with its article."""
    if value is None:
        return "null", "null"
    if isinstance(value, bool):
        return "a boolean", "un booleano"
    if isinstance(value, (int, float)):
        return "a number", "un numero"
    if isinstance(value, str):
        return "a string", "una stringa"
    if isinstance(value, dict):
        return "an object", "un oggetto"
    if isinstance(value, (list, tuple)):
        return "an array", "un array"
    return "not a JSON value", "un valore non JSON"


def _show(value: object, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):
        text = repr(value)
    return _short(text, limit)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_\-]+")


def _path(parent: str, key: str) -> str:
    """JSON path: `headers.X-Count`, or `headers["a.b"]` when the name needs quoting."""
    if _PLAIN_NAME.fullmatch(key):
        return f"{parent}.{key}" if parent else key
    quoted = f"[{json.dumps(key, ensure_ascii=False)}]"
    return f"{parent}{quoted}" if parent else f"${quoted}"


# --------------------------------------------------------------------------------------------
# Reading pasted text
# --------------------------------------------------------------------------------------------

EXECUTION_LOG_MARKER = "Endpoint response body before transformations:"
_TRUNCATED = "[TRUNCATED]"
# API Gateway caps an execution-log event at 1 KB; a quote whose line is about that long and does
# not decode was cut, even if the " [TRUNCATED]" suffix got lost in the paste.
_LOG_EVENT_LIMIT = 1024
_GATEWAY_ERROR_BODIES = ({"message": "Internal server error"}, {"message": "Internal Server Error"})


def parse_response_text(text: str) -> object:
    """The function's response from pasted text: raw JSON, or the body a log line quotes.

    Raises UsageError (one line) when there is no JSON to read, or when the only quoted body was
    truncated by API Gateway.
    """
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise UsageError("input is empty: paste the JSON the function returned")
    error: ValueError | None = None
    try:
        parsed = json.loads(stripped)
    except RecursionError:
        raise UsageError(
            "input is not JSON the validator can read: it is nested too deeply"
        ) from None
    except ValueError as exc:
        error = exc
        parsed = None
    if error is None and not _has_quote_marker(stripped):
        return parsed

    quotes = find_quoted_responses(text)
    usable = [q for q in quotes if q.parsed and not q.truncated]
    if usable:
        return usable[-1].payload  # the latest quoted response is the one the user is looking at
    if error is None:
        return parsed
    if any(q.truncated for q in quotes):
        raise UsageError(
            "the quoted response body is truncated (API Gateway cuts execution-log lines at 1 KB): "
            "paste the full JSON the function returned, e.g. from `aws lambda invoke`"
        )
    if isinstance(error, json.JSONDecodeError):
        raise UsageError(
            f"input is not JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    raise UsageError(f"input is not JSON: {error}") from None


_QUOTE_MARKERS = (
    EXECUTION_LOG_MARKER,
    "Invalid API Gateway Response Keys",
    "Response received:",
    "integrationError",
    "Response Body",
    "Response body",
)


def _has_quote_marker(text: str) -> bool:
    return any(marker in text for marker in _QUOTE_MARKERS)


def find_quoted_responses(text: str) -> list[QuotedResponse]:
    """Every function response quoted in `text`, in order.

    Looks for: REST execution-log lines "Endpoint response body before transformations: ..."
    (only for Lambda: a quote after a non-200 Lambda answer or a non-Lambda endpoint is not a
    function response); `sam local start-api` messages ("Invalid API Gateway Response Keys: {...}
    in {...}", "Response received: ..."); an integrationError / integrationErrorMessage field
    holding JSON; a test's "Response" / "Response Body" section. JSON input (test-invoke-method
    output, CloudWatch events) is searched inside its strings, where quotes are unescaped.
    """
    found: list[QuotedResponse] = []
    seen: set[tuple[str, str]] = set()
    for view, field in _views(text):
        for quote in _quotes_in(view, field, text):
            key = (quote.text, quote.source)
            if is_lambda_service_error(quote.payload):
                continue  # written by the Lambda service (KMS, throttling), not by the function
            if key not in seen:
                seen.add(key)
                found.append(quote)
    return found


def is_lambda_service_error(payload: object) -> bool:
    """The Lambda service's own error body, e.g. {"Message": "...", "Type": "User"}.

    API Gateway quotes it where a function response would be when Lambda rejects the invoke
    (KMSAccessDeniedException, throttling with "Reason"), so it says nothing about the function.
    """
    if not isinstance(payload, dict) or not payload:
        return False
    keys = set(payload)
    return keys <= {"Message", "message", "Type", "Reason", "__type"} and bool(
        keys & {"Type", "__type"}
    )


def _views(text: str) -> Iterator[tuple[str, str | None]]:
    """(text to search, name of the JSON field it came from or None)."""
    whole = _try_json(text.strip())
    if whole is not _NOT_JSON:
        yield from _json_strings(whole, None)
        return
    plain: list[str] = []
    for line in text.splitlines():
        candidate = line.strip()
        if candidate.startswith("{") and _has_quote_marker(candidate):
            parsed = _try_json(candidate)
            if parsed is not _NOT_JSON:
                yield from _json_strings(parsed, None)
                continue
        plain.append(line)
    yield "\n".join(plain), None


_NOT_JSON = object()


def _try_json(text: str) -> object:
    if not text or text[0] not in "{[":
        return _NOT_JSON
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _json_strings(
    value: object, field: str | None, depth: int = 0
) -> Iterator[tuple[str, str | None]]:
    if depth > 50:
        return
    if isinstance(value, str):
        yield value, field
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(item, str(key), depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, field, depth + 1)


_INTEGRATION_ERROR_FIELDS = frozenset(
    {
        "integrationerror",
        "integrationerrormessage",
        "integration.error",
        "integration_error",
        "integration_error_message",
    }
)
_INTEGRATION_ERROR_TEXT = re.compile(
    r"""["']?integration(?:[._]?error(?:[._]?message)?)["']?\s*[:=]\s*"((?:[^"\\\n]|\\.)*)\"""",
    re.IGNORECASE,
)
_SAM_KEYS = re.compile(r"Invalid API Gateway Response Keys: ")
_SAM_RECEIVED = re.compile(r"Response received: ")
_RESPONSE_HEADING = re.compile(r"^[ \t]*Response(?: [Bb]ody)?:?[ \t]*$", re.MULTILINE)
_RECEIVED_STATUS = re.compile(r"Received response\. (?:Status: (\d+))?")
_ENDPOINT = re.compile(r"(?:Sending request to|Endpoint request URI:) (\S+)")


def _quotes_in(view: str, field: str | None, whole: str) -> Iterator[QuotedResponse]:
    if field is not None and field.lower() in _INTEGRATION_ERROR_FIELDS:
        quote = _integration_error_quote(view, whole)
        if quote:
            yield quote
    for match in re.finditer(re.escape(EXECUTION_LOG_MARKER), view):
        quote = _execution_log_quote(view, match.end())
        if quote:
            yield quote
    for match in _SAM_KEYS.finditer(view):
        # "Invalid API Gateway Response Keys: {'error'} in {...}": skip the set of keys.
        keys_end = _scan_balanced(view, match.end())
        if keys_end is not None and view.startswith(" in ", keys_end):
            yield _decode_quote(view, keys_end + 4, "rest", "sam-local")
    for match in _SAM_RECEIVED.finditer(view):
        yield _decode_quote(view, match.end(), "rest", "sam-local")
    for match in _RESPONSE_HEADING.finditer(view):
        quote = _decode_quote(view, match.end(), "rest", "test-invoke", skip_space=True)
        # The gateway's own error body is what the client got, not what the function returned.
        if quote.parsed and not quote.truncated and quote.payload not in _GATEWAY_ERROR_BODIES:
            yield quote
    if field is None:
        for match in _INTEGRATION_ERROR_TEXT.finditer(view):
            try:
                value = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            quote = _integration_error_quote(value, whole)
            if quote:
                yield quote


def _execution_log_quote(view: str, start: int) -> QuotedResponse | None:
    line_end = view.find("\n", start)
    segment = view[start:] if line_end < 0 else view[start:line_end]
    if segment.strip():
        scope = view[: start + len(segment)]  # AWS logs the body on the marker's own line
    else:
        # Pretty-printed by hand on the next lines; a real empty body is followed by a log line.
        rest = view[start:].lstrip()
        if not rest or rest[0] not in '{["':
            return None
        scope = view
    if not _lambda_context(view[:start], view[start:]):
        return None
    quote = _decode_quote(scope, start, "rest", "execution-log", skip_space=True)
    truncated = quote.truncated
    if not quote.parsed and not truncated:
        # Cut at the 1 KB event limit without the " [TRUNCATED]" suffix surviving the paste.
        truncated = len(segment.strip().encode("utf-8", errors="replace")) >= _LOG_EVENT_LIMIT - 200
    completed = _METHOD_COMPLETED.search(_same_request(view[start:]))
    return QuotedResponse(
        quote.text,
        quote.payload,
        "rest",
        truncated,
        "execution-log",
        quote.parsed,
        int(completed.group(1)) if completed else None,
    )


_METHOD_COMPLETED = re.compile(r"Method completed with status: (\d{3})")
_NEXT_REQUEST = re.compile(
    r"Received response\.|Starting execution for request|Execution log for request"
)


def _same_request(after: str) -> str:
    """The log text after a quote that still belongs to the same request."""
    ahead = after[:6000]
    following = _NEXT_REQUEST.search(ahead)
    return ahead[: following.start()] if following else ahead


def _lambda_context(before: str, after: str) -> bool:
    """False when the execution log shows this body is not a function's response."""
    window = before[-6000:]
    endpoints = list(_ENDPOINT.finditer(window))
    endpoint = endpoints[-1] if endpoints else None  # the latest before the quote
    if endpoint is not None and "lambda" not in endpoint.group(1).lower():
        return False  # an HTTP or AWS-service integration (SQS, Step Functions...)
    statuses = list(_RECEIVED_STATUS.finditer(window))
    received = statuses[-1] if statuses else None
    if received is not None and received.group(1) and received.group(1) != "200":
        return False  # Lambda itself refused (throttled, 4XX/5XX): not the function's output
    # Lambda's own error type header (TooManyRequestsException...) is logged before or after the
    # body depending on the log's age; look around the quote, within this request.
    since = window[received.end() :] if received is not None else window[-1500:]
    return "x-amzn-ErrorType=" not in since + _same_request(after)


def _integration_error_quote(value: str, whole: str) -> QuotedResponse | None:
    brace = min((i for i in (value.find("{"), value.find("[")) if i >= 0), default=-1)
    if brace < 0 or value.strip() == "-":
        return None  # "-" is the access log's empty value; plain text is a message, not a body
    # HTTP APIs only have access logs; a REST execution log around it means REST.
    rest_clues = (EXECUTION_LOG_MARKER, "Method completed with status", "resourcePath")
    integration = "rest" if any(clue in whole for clue in rest_clues) else "http-v2"
    quote = _decode_quote(value, brace, integration, "integration-error")
    return quote if quote.parsed or quote.truncated else None


def _decode_quote(
    text: str, start: int, integration: str, source: str, *, skip_space: bool = False
) -> QuotedResponse:
    """Decode the JSON (or Python repr, as sam local prints) value starting at `start`."""
    index = start
    while index < len(text) and text[index] in " \t" + ("\r\n" if skip_space else ""):
        index += 1
    line_end = text.find("\n", index)
    line = text[index:] if line_end < 0 else text[index:line_end]
    truncated_mark = _TRUNCATED in line
    try:
        payload, end = json.JSONDecoder().raw_decode(text, index)
        return QuotedResponse(text[index:end], payload, integration, False, source, True)
    except RecursionError:
        return QuotedResponse(_short(line, 200), None, integration, False, source, False)
    except ValueError as exc:
        error = exc
    balanced_end = _scan_balanced(text, index)
    if balanced_end is not None:
        fragment = text[index:balanced_end]
        python_value = _literal(fragment)
        if python_value is not _NOT_JSON:
            return QuotedResponse(
                fragment, _jsonable(python_value), integration, False, source, True
            )
    # Unterminated: the quote was cut (by API Gateway's 1 KB limit or by the paste).
    unterminated = balanced_end is None and index < len(text) and text[index] in "{[\"'"
    msg = getattr(error, "msg", "")
    cut = truncated_mark or unterminated or msg.startswith("Unterminated string")
    shown = line.replace(_TRUNCATED, "").rstrip()
    return QuotedResponse(shown, None, integration, cut, source, False)


def _scan_balanced(text: str, start: int) -> int | None:
    """End index of the bracketed value at `start` ({...}, [...]), honouring quotes; None if open."""
    if start >= len(text) or text[start] not in "{[(":
        return None
    closers = {"{": "}", "[": "]", "(": ")"}
    stack: list[str] = []
    quote: str | None = None
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
            elif char == "\n":
                return None  # a string never spans lines in a log: the quote was cut
        elif char in "\"'":
            quote = char
        elif char in closers:
            stack.append(closers[char])
        elif char in ")]}":
            if not stack or stack.pop() != char:
                return None
            if not stack:
                return index + 1
        index += 1
    return None


def _literal(fragment: str) -> object:
    if len(fragment) > 1_000_000:
        return _NOT_JSON
    try:
        return ast.literal_eval(fragment)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_JSON


def _jsonable(value: object, depth: int = 0) -> object:
    """sam local prints Python values: make sets, tuples and bytes JSON-like."""
    if depth > 100:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return [_jsonable(v, depth + 1) for v in sorted(value, key=repr)]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, complex):
        return str(value)
    return value


# detect_runtime lives in bot.core.runtime, shared with the matcher; re-exported here.
