"""The failure-mode ids of shared/catalog.md: a contract between knowledge, matcher and checks."""

# The table of shared/catalog.md.
TABLE_IDS = (
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

# Its list "Ids the family issue adds" (issue 12: the whole 5XX family).
FAMILY_IDS = (
    "lambda-authorizer-error",
    "integration-role-error",
    "mapping-template-error",
    "lambda-edge-error",
    "function-url-error",
    "proxy-integration-method",
)

CATALOG_IDS = TABLE_IDS + FAMILY_IDS
