"""Fixed sentences of the product, in every supported language."""

from __future__ import annotations

NOTHING_FOUND = {
    "en": "No known cause found in this text.",
    "it": "Nessuna causa nota trovata in questo testo.",
}

# What to collect next when nothing is recognised: never a guess dressed up as a diagnosis.
# One step per topic; `next_steps` picks the topics for what the paste shows.
STEPS = {
    "rest": {
        "en": "REST API: turn on execution logging for the stage (Logs and tracing -> Errors and info logs, "
        "or `aws apigateway update-stage --rest-api-id API_ID --stage-name STAGE --patch-operations "
        "op=replace,path=/*/*/logging/loglevel,value=INFO`) and paste the lines of one failing request "
        "from the log group API-Gateway-Execution-Logs_API_ID/STAGE.",
        "it": "REST API: attiva i log di esecuzione per la fase (Log e tracciamento -> Log di errori e di "
        "informazioni, oppure `aws apigateway update-stage --rest-api-id API_ID --stage-name STAGE "
        "--patch-operations op=replace,path=/*/*/logging/loglevel,value=INFO`) e incolla le righe di una "
        "richiesta non riuscita dal gruppo di log API-Gateway-Execution-Logs_API_ID/STAGE.",
    },
    "http": {
        "en": "HTTP API: add $context.integrationErrorMessage and $context.integration.error to the stage's "
        "access log format and paste the entry of a failing request.",
        "it": "HTTP API: aggiungi $context.integrationErrorMessage e $context.integration.error al formato "
        "del log di accesso della fase e incolla la voce di una richiesta non riuscita.",
    },
    "alb": {
        "en": "Application Load Balancer: turn on its access logs and paste the entry of the failing "
        "request: its error_reason field (LambdaInvalidResponse, LambdaUnhandled, LambdaThrottling, "
        "LambdaResponseTooLarge, ...) says what went wrong with the function.",
        "it": "Application Load Balancer: attiva i log di accesso e incolla la voce della richiesta non "
        "riuscita: il campo error_reason (LambdaInvalidResponse, LambdaUnhandled, LambdaThrottling, "
        "LambdaResponseTooLarge, ...) dice cosa è andato storto con la funzione.",
    },
    "cloudfront": {
        "en": "CloudFront: paste the x-cache header of the failing response and the edge function's log, "
        "which is written in the Region nearest the viewer (log group /aws/lambda/us-east-1.FUNCTION_NAME, "
        "with that Region's name).",
        "it": "CloudFront: incolla l'intestazione x-cache della risposta non riuscita e il log della "
        "funzione edge, che viene scritto nella regione più vicina al visualizzatore (gruppo di log "
        "/aws/lambda/us-east-1.FUNCTION_NAME, con il nome di quella regione).",
    },
    "lambda": {
        "en": "Paste the function's own log for the same request from /aws/lambda/FUNCTION_NAME "
        "(START, any error or stack trace, END and REPORT lines).",
        "it": "Incolla il log della funzione per la stessa richiesta da /aws/lambda/FUNCTION_NAME "
        "(righe START, eventuali errori o stack trace, END e REPORT).",
    },
    "curl": {
        "en": "Paste the response the client got, e.g. from `curl -i`, with its status line and headers.",
        "it": "Incolla la risposta ricevuta dal client, per esempio con `curl -i`, con la riga di stato e "
        "le intestazioni.",
    },
}
_TOPICS_BY_FRONT = {
    "rest": ("rest", "lambda"),
    "http": ("http", "lambda"),
    "alb": ("alb", "lambda"),
    "cloudfront": ("cloudfront", "lambda"),
    "function-url": ("lambda",),
}
_DEFAULT_TOPICS = ("rest", "http", "alb", "lambda", "curl")
COLLECT_NEXT = {lang: tuple(STEPS[topic][lang] for topic in _DEFAULT_TOPICS) for lang in ("en", "it")}


def next_steps(front: str | None, lang: str) -> tuple[str, ...]:
    """What to collect next, for the front door a pasted response shows (None: no response pasted)."""
    topics = _TOPICS_BY_FRONT.get(front or "", _DEFAULT_TOPICS if front is None else ("rest", "http", "alb", "lambda"))
    return tuple(STEPS[topic][lang] for topic in topics)


FRONT_NAMES = {
    "rest": {"en": "REST API", "it": "REST API"},
    "http": {"en": "HTTP API", "it": "HTTP API"},
    "alb": {"en": "Application Load Balancer", "it": "Application Load Balancer"},
    "cloudfront": {"en": "CloudFront (Lambda@Edge)", "it": "CloudFront (Lambda@Edge)"},
    "function-url": {"en": "Lambda function URL", "it": "URL di funzione Lambda"},
    "unknown": {"en": "the server", "it": "il server"},
}
OBSERVED = {
    "en": "The response you pasted: {front} answered {status}{error_type}.",
    "it": "La risposta che hai incollato: {front} ha risposto {status}{error_type}.",
}
CONSISTENT = {
    "en": "Causes that give this status there",
    "it": "Cause che danno questo stato lì",
}


LABELS = {
    "en": {
        "why": "Why",
        "fix": "How to fix it",
        "evidence": "Evidence",
        "sample": "Example",
        "also": "Other likely causes",
        "docs": "AWS documentation",
        "collect": "What to collect next",
        "client_sees": "The client sees",
        "myth": "Note",
        "response": "What is wrong with the quoted response",
        "score": "score",
        "causes": "Causes",
    },
    "it": {
        "why": "Perché",
        "fix": "Come risolvere",
        "evidence": "Prova",
        "sample": "Esempio",
        "also": "Altre cause probabili",
        "docs": "Documentazione AWS",
        "collect": "Cosa raccogliere ora",
        "client_sees": "Il client riceve",
        "myth": "Nota",
        "response": "Cosa non va nella risposta citata",
        "score": "punteggio",
        "causes": "Cause",
    },
}

INTEGRATION_NAMES = {
    "rest": {"en": "REST API", "it": "REST API"},
    "http": {"en": "HTTP API", "it": "HTTP API"},
    "alb": {"en": "Application Load Balancer", "it": "Application Load Balancer"},
    "cloudfront": {"en": "CloudFront", "it": "CloudFront"},
    "function-url": {"en": "Lambda function URL", "it": "URL della funzione Lambda"},
}


def client_statuses(entry, lang: str) -> str:
    """'REST API 500, HTTP API 500' for an entry's applies_to."""
    return ", ".join(
        f"{INTEGRATION_NAMES.get(a.integration, {}).get(lang, a.integration)} {a.client_status}"
        for a in entry.applies_to
    )


# What `diagnose` says about a big input it streamed (bot.bigfile.notes).
SCAN_NOTES = {
    "en": {
        "read": "read {size}{decompressed}, {lines} lines, with {engine} in {seconds} s; lines matched: {matched}",
        "decompressed": " (decompressed)",
        "lines_of": "{entry} {count}",
        "none": "none",
        "cut": "so many lines matched that only the first ones were kept as evidence; all were counted",
        "broken": "{source} is cut short ({error}): what was read up to there was diagnosed",
    },
    "it": {
        "read": "letti {size}{decompressed}, {lines} righe, con {engine} in {seconds} s; righe corrispondenti: {matched}",
        "decompressed": " (decompressi)",
        "lines_of": "{entry} {count}",
        "none": "nessuna",
        "cut": "le righe corrispondenti sono così tante che come prova sono state tenute solo le prime; sono state contate tutte",
        "broken": "{source} si interrompe prima della fine ({error}): è stato analizzato quanto letto fino a quel punto",
    },
}
