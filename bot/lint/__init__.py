"""`badgateway lint`: the live checks' rules, run on a template before it reaches an account.

Inputs (bot.lint.loaders) become sources; SAM is expanded (bot.lint.sam); each source becomes a
model of functions, permissions, APIs, routes, authorizers and target groups (bot.lint.model),
with intrinsics resolved (bot.lint.intrinsics); one rule per module (bot.lint.rules) checks the
model; findings name the same knowledge entries as `badgateway check`.
"""
