"""`cfn-lint -a bot.lint.cfn_lint_plugin template.yaml`: badgateway's lint rules inside cfn-lint,
as E91xx (errors) and W91xx (warnings). Only rule classes live in this module's namespace."""

from bot.lint.cfn_lint_rules import rule_classes

globals().update(rule_classes())
del rule_classes
