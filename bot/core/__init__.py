"""The pure core: never imports Slack or boto3, and everything a user reads comes from data.

- kb/: the knowledge base (entries, catalog ids, fixed texts, generated index, validation, cache)
- matching/: text -> normalised lines -> signals -> ranked diagnosis (signatures, fuzzy literals,
  runtimes, described and pasted HTTP replies, the answer's language)
- prose/: the prose layer learnt from the entries' examples
- responses/: the Lambda response validator and the finder of responses quoted in logs
- diagnosis.py: the typed results every renderer reads; redact.py and secret_rules.py: what is
  removed from everything shown; record.py and lazy_re.py: cheap building blocks for start-up
"""
