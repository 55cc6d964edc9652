"""Block Kit limits for every reply of every entry in both languages, and the renderer's rules."""

from __future__ import annotations

import json

import pytest

from bot.core.diagnosis import Detail, Diagnosis, Evidence, Match
from bot.core.matching.matcher import diagnose
from bot.slack.handling.slash import parse_slash, slash_reply
from bot.slack.rendering import blocks as bk

from .conftest import MARIO

LANGUAGES = ("en", "it")
RUNTIMES = (None, "nodejs", "python", "java", "go")


def check(message: bk.SlackMessage) -> None:
    assert bk.limit_problems(message) == []
    # The same limits, counted independently of the renderer's own helpers.
    assert len(message.blocks) <= 50
    for block in message.blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    total = len(message.text) + sum(len(t) for t in _texts(message.blocks))
    assert total < 12000
    assert message.text.strip()
    json.dumps(message.post_kwargs())  # serialisable as sent


def _texts(node):
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn"):
            yield node["text"]
        else:
            for value in node.values():
                yield from _texts(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _texts(value)


def heavy_diagnosis(knowledge, entry, lang: str, runtime: str | None) -> Diagnosis:
    """The entry as best match with the most a reply can carry: long evidence, findings, every other
    entry as another cause, notes."""
    evidence = tuple(Evidence(signature=s.name, line=("<&> " + s.pattern) * 40, line_number=n, similarity=1.0)
                     for n, s in enumerate(entry.signatures[:3], start=1))
    details = tuple(Detail(path=f"body.field{n}", severity="error",
                           message={"en": "Must be a string & not <object>. " * 10,
                                    "it": "Deve essere una stringa & non <oggetto>. " * 10},
                           fix={"en": "Use JSON.stringify.", "it": "Usa JSON.stringify."})
                    for n in range(10))
    others = tuple(Match(entry=e, score=0.5, evidence=()) for e in knowledge.entries if e.id != entry.id)
    best = Match(entry=entry, score=1.0, evidence=evidence, details=details)
    return Diagnosis(language=lang, matches=(best, *others), runtime=runtime,
                     notes=("input truncated " * 20, "a second note"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_fits_in_slack_in_both_languages(knowledge, lang):
    for entry in knowledge.entries:
        for runtime in RUNTIMES:
            plain = Diagnosis(language=lang, matches=(Match(entry=entry, score=1.0, evidence=()),),
                              runtime=runtime)
            for diagnosis in (plain, heavy_diagnosis(knowledge, entry, lang, runtime)):
                message = bk.render_diagnosis(diagnosis, key="k")
                check(message)
                assert message.metadata["event_payload"]["entries"][0] == entry.id
                assert message.metadata["event_payload"]["language"] == lang
                assert message.blocks[0]["text"]["text"] == entry.title[lang]
                check(bk.render_other_causes(diagnosis))
                assert len(bk.render_plain(diagnosis)) <= 4000
        check(bk.render_entry(entry, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entrys_own_examples_render_within_limits(knowledge, lang):
    for entry in knowledge.entries:
        for example in entry.examples_match:
            diagnosis = diagnose(example, lang=lang)
            check(bk.render_diagnosis(diagnosis, key="k"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_command_answers_fit(knowledge, lang):
    for text in ("help", "list", "show function-timeout", "a1b2c3d4e5", "nope", "show", "x" * 5000):
        check(slash_reply(parse_slash(text), lang, knowledge))
    check(bk.render_diagnosis(Diagnosis(language=lang, matches=()), key="k"))


def test_reply_parts_in_order(knowledge):
    diagnosis = diagnose("File \"/var/task/app.py\", line 3\nTask timed out after 3.00 seconds", lang="en")
    message = bk.render_diagnosis(diagnosis, key="k")
    texts = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert texts[0].startswith("*Why*")
    assert texts[1].startswith("*How to fix it*\n1. ")
    assert texts[2].startswith("*Example") and "Python" in texts[2] and "```" in texts[2]  # the log's runtime
    assert texts[3].startswith("*Evidence*")
    assert any(t.startswith("*AWS documentation*") and "<https://docs.aws.amazon.com" in t for t in texts)
    assert message.blocks[-1]["type"] == "actions"


def test_sample_defaults_to_nodejs_or_python(knowledge):
    entry = knowledge.get("function-timeout")
    assert bk.sample_for(entry, None).runtime == "nodejs"
    assert bk.sample_for(entry, "python").runtime == "python"
    assert bk.sample_for(entry, "java").runtime == "nodejs"  # no Java sample: the default
    assert bk.sample_for(knowledge.get("function-not-active"), None) is not None


def test_validator_findings_are_shown(knowledge):
    entry = knowledge.get("malformed-proxy-response")
    detail = Detail(path="statusCode", severity="error", message={"en": "must be an integer, got \"<ok>\"",
                    "it": "deve essere un intero"}, fix={"en": "Return 200.", "it": "Restituisci 200."})
    diagnosis = Diagnosis(language="en", matches=(Match(entry=entry, score=1.0, evidence=(), details=(detail,)),))
    text = json.dumps(bk.render_diagnosis(diagnosis).blocks)
    assert "What is wrong with the quoted response" in text
    assert "`statusCode`: must be an integer, got \\\"&lt;ok&gt;\\\" Return 200." in text


def test_long_content_is_cut_with_a_note_never_rejected(knowledge):
    entry = knowledge.get("unhandled-function-error")
    huge = Match(entry=entry, score=1.0, evidence=tuple(
        Evidence(signature="x", line="y" * 5000, line_number=n, similarity=1.0) for n in range(3)))
    message = bk.render_diagnosis(Diagnosis(language="it", matches=(huge,)), key="k")
    check(message)
    assert message.shortened
    assert any("Accorciato per Slack" in t for t in _texts(message.blocks))
    assert message.blocks[-1]["type"] == "actions"  # the buttons survive


def test_cut_never_leaves_a_code_block_open_or_half_an_entity():
    text = "```" + "a &amp; b\n" * 1000 + "```"
    cut = bk.cut_text(text, 500)
    assert len(cut) <= 500 and cut.count("```") % 2 == 0 and cut.endswith("```")
    for limit in range(20, 40):
        piece = bk.cut_text("x" * 10 + "&amp;" * 10, limit)
        assert not piece.rstrip("…").endswith(("&", "&a", "&am", "&amp"))


def test_end_to_end_every_entry_in_both_languages(bot, knowledge):
    """Each entry's first example sent as a DM, by an English and an Italian user."""
    sent = []
    for entry in knowledge.entries:
        for user in ("UALICE01", MARIO):
            event_id, _ = bot.client.dm(entry.examples_match[0], user=user)
            sent.append((event_id, entry.id, "it" if user == MARIO else "en"))
    for event_id, _, _ in sent:
        assert bot.outcome(event_id) == ["replied"]
    replies = bot.replies()
    assert len(replies) == len(sent)
    for reply in replies:
        check(bk.SlackMessage(text=reply.params["text"], blocks=tuple(reply.params["blocks"])))
    found = set()
    for reply in replies:
        payload = reply.params["metadata"]["event_payload"]
        found.add(((payload["entries"] or [None])[0], payload["language"]))
    for _, entry_id, lang in sent:
        assert (entry_id, lang) in found, (entry_id, lang)


def test_live_check_evidence_is_cut_before_it_is_escaped():
    """An evidence line of '<' characters once ended in half an entity ('&l') in the /502 reply."""
    from bot.live.finding import ApiInfo, CheckReport, Finding
    from bot.slack.rendering.live_blocks import render_check_report

    finding = Finding("recent_logs", "fail", "function-timeout", "function orders", "seen",
                      evidence=("a" + "<" * 400,))
    report = CheckReport(ApiInfo("a1b2c3d4e5", "shop", "REST"), ("prod",), "eu-west-1", (finding,), 0.1)
    [section] = [b for b in render_check_report(report).blocks if "recent_logs" in json.dumps(b)]
    [quoted] = [line for line in section["text"]["text"].splitlines() if line.startswith("> ")]
    assert quoted == "> a" + "&lt;" * 299  # escaping first, then cutting, ended in "&lt"


def test_a_pasted_response_with_no_known_cause_says_who_answered_and_what_to_collect_there():
    paste = ("HTTP/2 502\ndate: Tue, 01 Dec 2026 10:00:00 GMT\ncontent-type: application/json\n"
             "content-length: 35\napigw-requestid: Fq1zXjQ0IAMEbYw=\n\n{\"message\":\"Internal Server Error\"}")
    diagnosis = diagnose(paste)
    assert diagnosis.observed is not None and diagnosis.observed.front == "http"
    message = bk.render_diagnosis(diagnosis)
    check(message)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "HTTP API answered 502" in text
    assert "integrationErrorMessage" in text  # the HTTP API's own next step
    assert "API-Gateway-Execution-Logs" not in text  # not the REST API's


def test_a_description_recognised_from_its_words_shows_those_words(knowledge):
    entry = knowledge.get("integration-timeout")
    best = Match(entry=entry, score=0.55, evidence=(), keywords=("29 seconds", "504", "<gateway>"))
    diagnosis = Diagnosis(language="en", matches=(best,), runtime=None)
    message = bk.render_diagnosis(diagnosis)
    check(message)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "Words that point here" in text
    assert "`29 seconds`" in text and "`504`" in text
    assert "&lt;gateway&gt;" in text and "<gateway>" not in text  # the user's words, escaped
