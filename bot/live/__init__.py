"""Live checks: read an API Gateway API and its Lambda functions in an AWS account, read-only,
and say why it answers 5XX, with the fix filled in with the real values.

Data flows one way: aws (clients) -> inventory (what the API is made of) -> context (cached AWS
reads) -> checks (one module each, a registry) -> runner (concurrency, time budget) -> CheckReport
-> renderers (text, markdown, JSON, Block Kit).
"""
