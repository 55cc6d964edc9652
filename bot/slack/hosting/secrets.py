"""The Slack credentials from AWS, read once per process (per Lambda container) and cached.

Each credential comes from exactly one place:

| credential     | set directly            | or an SSM parameter (SecureString)   | or a key of SLACK_SECRET_ARN |
|----------------|-------------------------|--------------------------------------|------------------------------|
| bot token      | SLACK_BOT_TOKEN         | SLACK_BOT_TOKEN_PARAMETER            | "bot_token"                  |
| signing secret | SLACK_SIGNING_SECRET    | SLACK_SIGNING_SECRET_PARAMETER       | "signing_secret"             |
| app token      | SLACK_APP_TOKEN         | SLACK_APP_TOKEN_PARAMETER            | "app_token"                  |

SLACK_SECRET_ARN names a Secrets Manager secret whose SecretString is a JSON object with those keys.
The SSM parameters are read in one GetParameters call (WithDecryption). boto3 is imported only
when something has to be read, and only the one client needed is created. A credential that
cannot be read is a ConfigError whose one line names the variable and never holds a value.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from bot.slack.config import ConfigError, Mode

log = logging.getLogger("badgateway.secrets")

# credential variable -> (its SSM parameter variable, its key in the SLACK_SECRET_ARN secret)
CREDENTIALS: dict[str, tuple[str, str]] = {
    "SLACK_BOT_TOKEN": ("SLACK_BOT_TOKEN_PARAMETER", "bot_token"),
    "SLACK_SIGNING_SECRET": ("SLACK_SIGNING_SECRET_PARAMETER", "signing_secret"),
    "SLACK_APP_TOKEN": ("SLACK_APP_TOKEN_PARAMETER", "app_token"),
}
SECRET_ARN = "SLACK_SECRET_ARN"
NEEDED: dict[str, tuple[str, ...]] = {
    "socket": ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
    "http": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
    "lambda": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
}
CONNECT_TIMEOUT = 2.0  # seconds: this runs before Slack's first request is acknowledged
READ_TIMEOUT = 3.0

_cache: dict[tuple[Any, ...], dict[str, str]] = {}
_lock = threading.Lock()


def uses_aws(env: Mapping[str, str]) -> bool:
    """Whether any credential is to be read from AWS."""
    return bool(_get(env, SECRET_ARN)) or any(_get(env, parameter) for parameter, _ in CREDENTIALS.values())


def with_secrets(env: Mapping[str, str], mode: Mode) -> dict[str, str]:
    """`env` with the credentials `mode` needs filled in from SSM or Secrets Manager (cached)."""
    secret_arn = _get(env, SECRET_ARN)
    parameters = {name: _get(env, parameter) for name, (parameter, _) in CREDENTIALS.items()}
    if secret_arn and any(parameters.values()):
        given = next(CREDENTIALS[name][0] for name, value in parameters.items() if value)
        raise ConfigError(f"{SECRET_ARN} and {given} are both set: keep one source for the Slack credentials")
    for name, value in parameters.items():
        if value and _get(env, name):
            raise ConfigError(f"{name} and {CREDENTIALS[name][0]} are both set: keep one")
    wanted = {name: parameters[name] for name in NEEDED[mode] if not _get(env, name) and parameters[name]}
    from_secret = [name for name in NEEDED[mode] if not _get(env, name)] if secret_arn else []
    if not wanted and not from_secret:
        return dict(env)
    key = (mode, secret_arn, tuple(sorted(wanted.items())), tuple(from_secret), _region(env))
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = _read_secret(env, secret_arn, from_secret) if secret_arn else _read_parameters(env, wanted)
            _cache[key] = found
    return {**env, **found}


def clear_cache() -> None:
    """Forget what was read (tests; a rotated credential without a new container)."""
    with _lock:
        _cache.clear()


# -- SSM Parameter Store -----------------------------------------------------------------------


def _read_parameters(env: Mapping[str, str], wanted: dict[str, str]) -> dict[str, str]:
    """{credential: value} for {credential: parameter name}, in one GetParameters call."""
    first = CREDENTIALS[next(iter(wanted))][0]
    names = sorted(set(wanted.values()))
    what = f"SSM parameter '{names[0]}'" if len(names) == 1 else "the SSM parameters"
    answer = _call(env, "ssm", first, what, lambda ssm: ssm.get_parameters(Names=names, WithDecryption=True))
    values = {p.get("Name"): p for p in answer.get("Parameters") or ()}
    for arn_or_name in list(values):  # a parameter may be named by its ARN
        arn = str(values[arn_or_name].get("ARN") or "")
        if arn:
            values.setdefault(arn, values[arn_or_name])
    found: dict[str, str] = {}
    for credential, name in wanted.items():
        variable = CREDENTIALS[credential][0]
        parameter = values.get(name)
        if parameter is None:
            raise ConfigError(f"{variable}: SSM parameter '{name}' not found in {_region_label(env)} "
                              "(create it as a SecureString, or fix the name)")
        if parameter.get("Type") != "SecureString":
            log.warning("badgateway: %s names SSM parameter '%s' of type %s; a SecureString keeps it encrypted",
                        variable, name, parameter.get("Type"))
        value = str(parameter.get("Value") or "").strip()
        if not value:
            raise ConfigError(f"{variable}: SSM parameter '{name}' is empty")
        found[credential] = value
    return found


# -- Secrets Manager ---------------------------------------------------------------------------


def _read_secret(env: Mapping[str, str], arn: str, credentials: list[str]) -> dict[str, str]:
    answer = _call(env, "secretsmanager", SECRET_ARN, f"secret '{arn}'",
                   lambda secrets: secrets.get_secret_value(SecretId=arn))
    try:
        data = json.loads(answer.get("SecretString") or "")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ConfigError(f"{SECRET_ARN}: secret '{arn}' is not a JSON object with the keys "
                          "bot_token and signing_secret (and app_token for Socket Mode)")
    found: dict[str, str] = {}
    for credential in credentials:
        key = CREDENTIALS[credential][1]
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{SECRET_ARN}: secret '{arn}' has no \"{key}\" (needed for {credential})")
        found[credential] = value.strip()
    return found


# -- the one AWS call --------------------------------------------------------------------------


def _call(env: Mapping[str, str], service: str, variable: str, what: str, request: Callable[[Any], Any]) -> Any:
    """`request(client)`, one AWS call; every failure becomes a one-line ConfigError naming `variable`."""
    import boto3
    import botocore.exceptions
    from botocore.config import Config

    config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                    retries={"mode": "standard", "max_attempts": 3})
    try:
        client = boto3.client(service, config=config)  # type: ignore[call-overload]
        return request(client)
    except botocore.exceptions.ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code") or "error")
        hint = _HINTS.get(code, "")
        raise ConfigError(f"{variable}: cannot read {what} in {_region_label(env)}: {code}{hint}") from None
    except botocore.exceptions.NoRegionError:
        raise ConfigError(f"{variable}: cannot read {what}: no AWS region (set AWS_REGION)") from None
    except botocore.exceptions.NoCredentialsError:
        raise ConfigError(f"{variable}: cannot read {what}: no AWS credentials") from None
    except botocore.exceptions.BotoCoreError as exc:
        raise ConfigError(f"{variable}: cannot read {what} in {_region_label(env)}: {type(exc).__name__}") from None


_HINTS = {
    "AccessDeniedException": " (the role needs ssm:GetParameters or secretsmanager:GetSecretValue on it, "
                             "and kms:Decrypt on its key when that is not the AWS managed key)",
    "ResourceNotFoundException": " (no such secret: check the ARN and the region)",
    "ValidationException": " (malformed name or ARN)",
    "UnrecognizedClientException": " (the AWS credentials are invalid)",
}


def _get(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip()


def _region(env: Mapping[str, str]) -> str:
    return _get(env, "AWS_REGION") or _get(env, "AWS_DEFAULT_REGION")


def _region_label(env: Mapping[str, str]) -> str:
    return _region(env) or "the default region"
