"""The secret shapes bot.core.redact removes from everything badgateway shows. Data only.

Most shapes are those of gitleaks' default rules (config/gitleaks.toml, MIT licence,
https://github.com/gitleaks/gitleaks) and detect-secrets' plugins (Apache-2.0,
https://github.com/Yelp/detect-secrets); `source` names the rule each one follows. They are
rewritten here for Python's `re`, which backtracks, so that every one runs in linear time:

- a match can only start at a boundary: a lookbehind for the token's own characters, or a
  literal prefix (a keyword) that the token cannot contain, so no two attempts scan the same run;
- every repeat is bounded, and the long ones are possessive (`{m,n}+`, Python 3.11): a failed
  attempt gives nothing back to try again;
- `keywords` (lower case, as gitleaks has them): the rule runs only when one is in the text.

tests/test_redact.py checks each of these on a megabyte of its worst case.
`secret` is the group replaced by the marker (the whole match when there is none): a name stays
readable ("password=[REDACTED]"), a bare token does not.
"""

from __future__ import annotations

from bot.core.record import Record


class SecretRule(Record):
    id: str
    source: str  # the gitleaks rule id or detect-secrets plugin the shape follows
    pattern: str
    marker: str = "[REDACTED]"
    keywords: tuple[str, ...] = ()  # lower case; none: the rule always runs
    entropy: float = 0.0  # least Shannon entropy of the secret, bits per character (gitleaks' `entropy`)
    mixed: bool = False  # the secret must hold upper case, lower case and digits (a random key)


# Characters around a value that a name rule skips: quotes, JSON's escaped quotes, spaces.
_QUOTES = r"""[\\"'`]{0,4}+"""
_ASSIGN = r"\s{0,5}+(?:=>|:=|=|:)\s{0,5}+"
_NOT_A_MARKER = r"(?!\[?REDACTED)"

RULES: tuple[SecretRule, ...] = (
    # -- blocks and URLs first: later rules must not cut them in pieces -----------------------
    SecretRule(
        "private-key", "gitleaks private-key; detect-secrets PrivateKeyDetector",
        # Up to the END line when it follows; else as much base64 as there is (a cut paste).
        r"-----BEGIN[A-Z0-9 _-]{0,64}PRIVATE KEY(?: BLOCK)?-----"
        r"(?:(?:(?!-----)[\s\S]){0,16384}+-----END[A-Z0-9 _-]{0,64}PRIVATE KEY(?: BLOCK)?-----"
        r"|[A-Za-z0-9+/=\s\\:,.-]{0,16384}+)",
        "[REDACTED-PRIVATE-KEY]", ("private key",)),
    SecretRule(
        "url-credentials", "detect-secrets BasicAuthDetector",
        # scheme://user:password@host, the user possibly empty (redis://:password@host); a
        # password holding '@' is taken to its last '@'.
        r"(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,30}://[^\s/?#@:\"'<>\\]{0,256}:"
        r"(?P<secret>[^\s/?#\"'<>\\]{1,256})@",
        keywords=("://",)),
    SecretRule(
        "slack-webhook-url", "gitleaks slack-webhook-url",
        r"(?i)hooks\.slack\.com/(?P<secret>(?:services|workflows|triggers)/[A-Za-z0-9/_+-]{8,256}+)",
        keywords=("hooks.slack.com",)),
    SecretRule(
        "azure-sas-signature", "gitleaks azure-storage sas (sig=)",
        r"(?i)(?<=[?&])sig=(?P<secret>[A-Za-z0-9%/+=]{20,512}+)", keywords=("sig=",)),
    # -- tokens with a prefix of their own ----------------------------------------------------
    SecretRule(
        "aws-access-key-id", "gitleaks aws-access-token; detect-secrets AWSKeyDetector",
        r"(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AROA|AIDA|ANPA|ANVA|AGPA|AIPA|APKA)"
        r"[A-Z0-9]{16}(?![A-Za-z0-9])",
        "[REDACTED-AWS-KEY-ID]",
        ("a3t", "akia", "asia", "abia", "acca", "aroa", "aida", "anpa", "anva", "agpa", "aipa", "apka")),
    SecretRule(
        "slack-token", "gitleaks slack-bot-token, slack-user-token, slack-app-token, slack-config-*; detect-secrets SlackDetector",
        r"(?<![A-Za-z0-9.-])(?:xox[abposre]|xoxe\.xox[bp]|xoxe|xapp)-[A-Za-z0-9.-]{6,512}+",
        "[REDACTED-SLACK-TOKEN]", ("xox", "xapp-")),
    SecretRule(
        "jwt", "gitleaks jwt; detect-secrets JwtTokenDetector",
        r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,8192}+\.[A-Za-z0-9_-]{5,16384}+\.[A-Za-z0-9_-]{0,8192}+",
        "[REDACTED-JWT]", ("eyj",)),
    SecretRule(
        "github-token", "gitleaks github-pat, github-oauth, github-app-token, github-refresh-token",
        r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{30,255}+", "[REDACTED-TOKEN]",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    SecretRule(
        "github-fine-grained-pat", "gitleaks github-fine-grained-pat",
        r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}+", "[REDACTED-TOKEN]", ("github_pat_",)),
    SecretRule(
        "gitlab-token", "gitleaks gitlab-pat, gitlab-ptt, gitlab-rrt, gitlab-deploy-token",
        r"(?<![A-Za-z0-9_-])gl(?:pat|ptt|rt|dt|cbt|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,255}+",
        "[REDACTED-TOKEN]", ("glpat-", "glptt-", "glrt-", "gldt-", "glcbt-", "glsoat-", "glft-", "glimt-", "glagent-")),
    SecretRule(
        "stripe-key", "gitleaks stripe-access-token; detect-secrets StripeDetector",
        r"(?<![A-Za-z0-9_])(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,255}+", "[REDACTED-TOKEN]",
        ("sk_test", "sk_live", "sk_prod", "rk_test", "rk_live", "rk_prod")),
    SecretRule(
        "stripe-webhook-secret", "gitleaks stripe-access-token (whsec_)",
        r"(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{24,255}+", "[REDACTED-TOKEN]", ("whsec_",)),
    SecretRule(
        "gcp-api-key", "gitleaks gcp-api-key",
        r"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])", "[REDACTED-TOKEN]", ("aiza",)),
    SecretRule(
        "google-oauth-token", "gitleaks gcp oauth access token (ya29.)",
        r"(?<![A-Za-z0-9_-])ya29\.[A-Za-z0-9_-]{20,4096}+", "[REDACTED-TOKEN]", ("ya29.",)),
    SecretRule(
        "openai-api-key", "gitleaks openai-api-key; detect-secrets OpenAIDetector",
        r"(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,512}+"
        r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
        "[REDACTED-TOKEN]", ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-none-", "t3blbkfj")),
    SecretRule(
        "anthropic-api-key", "gitleaks anthropic-api-key, anthropic-admin-api-key",
        r"(?<![A-Za-z0-9_-])sk-ant-[a-z]{3,8}[0-9]{2}-[A-Za-z0-9_-]{20,512}+", "[REDACTED-TOKEN]", ("sk-ant-",)),
    SecretRule(
        "sendgrid-api-key", "gitleaks sendgrid-api-token; detect-secrets SendGridDetector",
        r"(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}(?![A-Za-z0-9_-])",
        "[REDACTED-TOKEN]", ("sg.",)),
    SecretRule(
        "twilio-api-key", "gitleaks twilio-api-key; detect-secrets TwilioKeyDetector",
        r"(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])", "[REDACTED-TOKEN]", ("sk",)),
    SecretRule(
        "mailchimp-api-key", "gitleaks mailchimp-api-key; detect-secrets MailchimpDetector",
        r"(?<![A-Za-z0-9])[0-9a-f]{32}-us[0-9]{1,2}(?![A-Za-z0-9])", "[REDACTED-TOKEN]", ("-us",)),
    SecretRule(
        "npm-token", "gitleaks npm-access-token; detect-secrets NpmDetector",
        r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])", "[REDACTED-TOKEN]", ("npm_",)),
    SecretRule(
        "pypi-token", "gitleaks pypi-upload-token; detect-secrets PypiTokenDetector",
        r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1024}+", "[REDACTED-TOKEN]", ("pypi-ageichlwas5vcmc",)),
    SecretRule(
        "shopify-token", "gitleaks shopify-access-token, shopify-custom-access-token, shopify-shared-secret",
        r"(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9])", "[REDACTED-TOKEN]",
        ("shpat_", "shpca_", "shppa_", "shpss_")),
    SecretRule(
        "digitalocean-token", "gitleaks digitalocean-pat, digitalocean-access-token, digitalocean-refresh-token",
        r"(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9])", "[REDACTED-TOKEN]",
        ("dop_v1_", "doo_v1_", "dor_v1_")),
    SecretRule(
        "hashicorp-vault-token", "gitleaks vault-service-token, vault-batch-token",
        r"(?<![A-Za-z0-9_.-])hv[sb]\.[A-Za-z0-9_-]{24,512}+", "[REDACTED-TOKEN]", ("hvs.", "hvb.")),
    SecretRule(
        "huggingface-token", "gitleaks huggingface-access-token",
        r"(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9])", "[REDACTED-TOKEN]", ("hf_",)),
    SecretRule(
        "new-relic-key", "gitleaks new-relic-user-api-key",
        r"(?<![A-Za-z0-9_-])NRAK-[A-Z0-9]{27}(?![A-Za-z0-9])", "[REDACTED-TOKEN]", ("nrak-",)),
    SecretRule(
        "postman-api-key", "gitleaks postman-api-token",
        r"(?<![A-Za-z0-9_-])PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])", "[REDACTED-TOKEN]", ("pmak-",)),
    SecretRule(
        "atlassian-api-token", "gitleaks atlassian-api-token",
        r"(?<![A-Za-z0-9_-])ATATT3[A-Za-z0-9_=-]{100,300}+", "[REDACTED-TOKEN]", ("atatt3",)),
    SecretRule(
        "square-token", "gitleaks square-access-token; detect-secrets SquareOAuthDetector",
        r"(?<![A-Za-z0-9_-])sq0(?:atp|csp)-[A-Za-z0-9_-]{22,64}+", "[REDACTED-TOKEN]", ("sq0atp-", "sq0csp-")),
    SecretRule(
        "telegram-bot-token", "gitleaks telegram-bot-api-token; detect-secrets TelegramBotTokenDetector",
        r"(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])", "[REDACTED-TOKEN]", (":aa",)),
    SecretRule(
        "azure-ad-client-secret", "gitleaks azure-ad-client-secret",
        r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])",
        "[REDACTED-TOKEN]", ("q~",)),
    SecretRule(
        "age-secret-key", "gitleaks age-secret-key",
        r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", "[REDACTED-TOKEN]", ("age-secret-key-1",)),
    # -- credentials in headers -------------------------------------------------------------
    SecretRule(
        "bearer-token", "detect-secrets KeywordDetector (Authorization: Bearer)",
        r"(?i)(?<![a-z0-9_-])bearer\s{1,5}" + _NOT_A_MARKER + r"(?P<secret>[A-Za-z0-9._~+/=-]{8,8192}+)",
        keywords=("bearer",)),
    SecretRule(
        "basic-credentials", "detect-secrets BasicAuthDetector (Authorization: Basic)",
        # base64 of user:password: a multiple of 4 characters, both cases, so never a word.
        r"(?<![A-Za-z0-9_-])(?:[Bb]asic|BASIC)\s{1,5}(?P<secret>(?=[A-Za-z0-9+/]{0,4096}[A-Z])"
        r"(?=[A-Za-z0-9+/]{0,4096}[a-z])(?:[A-Za-z0-9+/]{4}){3,1024}+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)"
        r"(?![A-Za-z0-9+/=])",
        keywords=("basic",)),
    SecretRule(
        "cookie-header", "Cookie and Set-Cookie headers (sessions); detect-secrets KeywordDetector",
        # The whole header value, every cookie in it, in raw headers, JSON and API Gateway's maps.
        r"(?i)(?<![a-z0-9_-])(?:set-)?cookies?" + _QUOTES + r"\s{0,5}+[:=]\s{0,5}+[\\\"'\[]{0,6}+"
        + _NOT_A_MARKER + r"(?P<secret>[^\r\n\"\\\]}]{1,4096}+)",
        keywords=("cookie",)),
    SecretRule(
        "credential-header", "detect-secrets KeywordDetector; API Gateway's x-api-key header",
        r"(?i)(?<![a-z0-9_-])(?:authorization|proxy-authorization|x-api-key|x-amz-security-token|x-auth-token"
        r"|x-access-token|x-csrf-token|x-xsrf-token)" + _QUOTES + _ASSIGN + _QUOTES
        + r"(?:(?:bearer|basic|token)\s{1,5})?+" + _NOT_A_MARKER
        + r"(?P<secret>[^\s\"'\\,;&<>{}\[\]]{3,8192}+)",
        keywords=("authorization", "x-api-key", "x-amz-security-token", "-token")),
    # -- values introduced by a name ----------------------------------------------------------
    SecretRule(
        "aws-secret-named", "gitleaks aws secret key context; detect-secrets AWSKeyDetector (secret_access_key=)",
        r"(?=[AaSs])(?i:(?:aws_?)?(?:secret_?access_?key|secret_?key|session_?token|security_?token))" + _QUOTES + _ASSIGN
        + _QUOTES + _NOT_A_MARKER + r"(?P<secret>[A-Za-z0-9/+=]{16,2048}+)",
        keywords=("secret", "session", "security")),
    SecretRule(
        "named-secret", "detect-secrets KeywordDetector; gitleaks generic-api-key",
        # password=..., DB_PASSWORD: ..., "client_secret": "...", STRIPE_SECRET=..., pwd=..., api_key...
        # The leading class lets the engine skip every other character fast.
        r"(?=[PpDdSsAaIiRrBbCc])(?i:passw(?:or)?d|passphrase|pwd(?<![a-z]pwd)|db_?pass"
        r"|secret(?<![:/]secret)(?!s?manager)|api[_-]?key|apikey"
        r"|access[_-]?key|auth[_-]?key|private[_-]?key|account[_-]?key|shared[_-]?access[_-]?key"
        r"|(?:access|auth|refresh|id|api|bot|app)[_-]?token|client[_-]?secret)"
        r"[A-Za-z0-9_.-]{0,24}+" + _QUOTES + _ASSIGN + _QUOTES + _NOT_A_MARKER
        + r"(?P<secret>[^\s\"'\\,;&<>{}\[\]]{3,2048}+)",
        keywords=("pass", "pwd", "secret", "key", "token")),
    # -- bare high-entropy values -------------------------------------------------------------
    SecretRule(
        "aws-secret-access-key-bare", "detect-secrets Base64HighEntropyString, narrowed to AWS's 40 characters",
        # A secret access key alone, as credentials.csv and `aws configure list` show it.
        r"(?<![A-Za-z0-9/+=])(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        "[REDACTED-SECRET]", entropy=4.0, mixed=True),
)
