"""The Slack bot: a Bolt app whose listeners hand pasted text to the core and post the answer.

Imported only by `badgateway serve` and the Lambda entry point, never by the CLI's other commands.
"""
