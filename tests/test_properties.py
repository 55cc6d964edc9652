"""Property tests: diagnosis never raises, whatever the text."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.matching.normalize import normalize
from bot.core.redact import redact

log_fragments = st.sampled_from([
    "Execution failed due to configuration error: ", "Malformed Lambda proxy response", "```", "&lt;",
    "Task timed out after 3.00 seconds", "{\"message\": ", "\"}", "@timestamp,@message\n", "\r\n", "\t",
    "Runtime.ImportModuleError", "Invalid permissions on Lambda function", "\x00", "é", "€", "\n",
])
texts = st.one_of(
    st.text(max_size=2000),
    st.lists(st.one_of(log_fragments, st.text(max_size=40)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=st.sampled_from(["auto", "en", "it"]))
def test_diagnose_never_raises_and_output_serialises(matcher, text, lang):
    diagnosis = matcher.diagnose(text, lang=lang)
    document = json.loads(json.dumps(diagnosis.to_json()))
    assert document["language"] in ("en", "it")
    scores = [m["score"] for m in document["matches"]]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_normalize_and_redact_never_raise(text):
    assert isinstance(normalize(text), str)
    assert isinstance(redact(text), str)
