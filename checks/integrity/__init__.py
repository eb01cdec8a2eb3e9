"""Content integrity: injected gambling spam, hidden links, cloaking,
defacement, referrer-keyed redirects and webshells.

Lexicons are data (``data/gambling_lexicon.toml``, ``data/defacement.toml``);
the webshell check is a path rule (``rules/webshell.toml`` → ``integrity.webshell``)
judged by the same engine as the exposure rules.
"""

from egov_audit.check import Check

from .._pathrules.checks import rule_checks
from .._pathrules.rules import load_rules
from .cloaking import cloaking
from .defacement import defacement
from .gambling_spam import gambling_spam
from .hidden_links import hidden_links
from .referrer_redirect import referrer_redirect

RULES = load_rules(__name__, "integrity")

CHECKS: tuple[Check, ...] = (
    gambling_spam, hidden_links, cloaking, defacement, referrer_redirect, *rule_checks(RULES),
)
