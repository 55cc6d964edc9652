"""The AWS SAM translator (`aws-sam-translator`), run offline: a fixed region instead of a boto3
session, and managed policy names turned into their ARNs instead of asking IAM."""

from __future__ import annotations

import copy
import logging
import types
from typing import Any

REGION = "us-east-1"  # only for what the translator writes literally; lint compares with ${AWS::Region}


class TranslatorUnavailable(Exception):
    pass


class _PolicyArns(dict):  # type: ignore[type-arg]
    def __missing__(self, name: str) -> str:
        return f"arn:aws:iam::aws:policy/{name}"

    def __contains__(self, name: object) -> bool:
        return True

    def get(self, name: str, default: Any = None) -> str:  # type: ignore[override]
        return self[name]


def translate(template: dict[str, Any]) -> dict[str, Any]:
    try:
        from samtranslator.model.exceptions import InvalidDocumentException
        from samtranslator.parser.parser import Parser
        from samtranslator.translator.translator import Translator
    except ImportError:
        raise TranslatorUnavailable("the AWS SAM translator is not installed: SAM expanded by badgateway's own rules") from None
    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    translator = Translator({}, Parser(), boto_session=types.SimpleNamespace(region_name=REGION))
    try:
        output = translator.translate(copy.deepcopy(template), parameter_values={},
                                      get_managed_policy_map=_PolicyArns)
    except InvalidDocumentException as exc:
        causes = "; ".join(str(getattr(cause, "message", cause)) for cause in exc.causes[:2])
        raise TranslatorUnavailable(f"the SAM translator refused the template ({causes}): "
                                    "SAM expanded by badgateway's own rules") from None
    except Exception as exc:  # the translator's own bugs must not stop lint
        raise TranslatorUnavailable(f"the SAM translator failed ({type(exc).__name__}): "
                                    "SAM expanded by badgateway's own rules") from None
    resources = output.get("Resources")
    return resources if isinstance(resources, dict) else {}
