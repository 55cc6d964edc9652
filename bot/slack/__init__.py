"""The Slack bot: a Bolt app whose listeners hand pasted text to the core and post the answer.

The parts, beside the app itself (app.py builds it; config.py, manifest.py, services.py,
middleware.py and eventlog.py are what every part shares):

- hosting/: where it runs: `serve --http` (http_server), Socket Mode, Lambda (lambda_entry,
  lambda_adapter, lambda_invoke), the work queue after each ack, shutdown, secrets, healthcheck.
- listeners/: one small module per kind of Slack request, wiring it to handling and rendering.
- handling/: what a listener asks for: answering a message, which messages (triage), files,
  /502's arguments (slash), live checks, alarms, feedback. No Bolt.
- rendering/: Block Kit (replies, live findings, the Home tab, alarm threads), posting them
  (replies), and the texts (knowledge/texts/slack/).
- state/: what it remembers: one Store interface, in memory or in a shared DynamoDB table.

Imported only by `badgateway serve`, the Lambda entry point and `badgateway feedback`, never by
the CLI's other commands.
"""
