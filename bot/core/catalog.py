"""The failure-mode ids of shared/catalog.md: a contract between knowledge, matcher and checks."""

CATALOG_IDS = (
    "malformed-proxy-response",
    "package-permission-denied",
    "missing-invoke-permission",
    "integration-timeout",
    "function-timeout",
    "payload-too-large",
    "handler-not-found",
    "import-module-error",
    "unhandled-function-error",
    "lambda-throttled",
    "function-not-active",
    "runtime-exit",
    "cors-on-error",
    "http-integration-error",
)
