"""The one exception type for problems the user can fix.

Its message is written for the person reading it; the CLI and the Slack layer print it as one
line, never a traceback.
"""


class BadGatewayError(Exception):
    """A problem with the input, the configuration or the environment that the user can fix."""

    exit_code = 2


class UsageError(BadGatewayError):
    """The command line or the input cannot be used as given."""
