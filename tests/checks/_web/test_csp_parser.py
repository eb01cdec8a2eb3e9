"""The CSP parser: browser-like leniency, and judgements that follow CSP3."""

from __future__ import annotations

import pytest
from egov_audit.checks._web import csp as _csp
from hypothesis import given, settings
from hypothesis import strategies as st

NAMES = ["default-src", "script-src", "style-src", "object-src", "base-uri", "frame-ancestors",
         "img-src", "connect-src", "form-action", "report-uri", "upgrade-insecure-requests"]
TOKENS = ["'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'",
          "'nonce-abc123'", "'sha256-AAAA'", "https:", "http:", "data:", "*",
          "https://cdn.example.go.id", "http://old.example.go.id", "blob:"]
WS = st.sampled_from([" ", "  ", "\t", " \t ", "\n"])

directive = st.tuples(st.sampled_from(NAMES), st.lists(st.sampled_from(TOKENS), max_size=5))
policy_spec = st.lists(directive, min_size=1, max_size=8, unique_by=lambda d: d[0])


def render(spec: list[tuple[str, list[str]]], draw_ws: list[str], casing: list[bool]) -> str:
    parts = []
    for i, (name, tokens) in enumerate(spec):
        ws = draw_ws[i % len(draw_ws)]
        shown = name.upper() if casing[i % len(casing)] else name
        parts.append(ws + ws.join([shown, *tokens]) + ws)
    return ";".join(parts)


@given(spec=policy_spec, ws=st.lists(WS, min_size=1, max_size=4),
       casing=st.lists(st.booleans(), min_size=1, max_size=4))
def test_spacing_and_casing_do_not_change_meaning(
    spec: list[tuple[str, list[str]]], ws: list[str], casing: list[bool]
) -> None:
    # Given a policy written tidily and the same policy with odd spacing and casing
    tidy = _csp.parse_policy("; ".join(" ".join([n, *t]) for n, t in spec))
    odd = _csp.parse_policy(render(spec, ws, casing))
    # Then both parse to the same directives and the same judgements
    assert odd.directives == tidy.directives
    assert _csp.allows_inline_script(odd) == _csp.allows_inline_script(tidy)
    assert _csp.allows_eval(odd) == _csp.allows_eval(tidy)
    assert _csp.insecure_script_sources(odd) == _csp.insecure_script_sources(tidy)
    assert _csp.object_src_none(odd) == _csp.object_src_none(tidy)


@given(spec=policy_spec, dup=directive)
def test_first_occurrence_of_a_directive_wins(
    spec: list[tuple[str, list[str]]], dup: tuple[str, list[str]]
) -> None:
    # Given a policy, and the same policy with a later duplicate of one of its directives
    name = spec[0][0]
    original = _csp.parse_policy("; ".join(" ".join([n, *t]) for n, t in spec))
    duplicated = _csp.parse_policy(
        "; ".join(" ".join([n, *t]) for n, t in spec) + f"; {name.upper()} {' '.join(dup[1])}"
    )
    # Then the duplicate is ignored, as browsers ignore it
    assert duplicated.directives == original.directives


# Segments whose first word is not a directive this test uses (odd characters included).
garbage = st.text(alphabet=st.characters(blacklist_characters=";,"), max_size=30).filter(
    lambda s: not s.split() or s.split()[0].lower() not in NAMES
)


@given(spec=policy_spec, junk=st.lists(garbage, max_size=4), empties=st.integers(0, 3))
def test_garbage_and_empty_directives_do_not_disturb_known_ones(
    spec: list[tuple[str, list[str]]], junk: list[str], empties: int
) -> None:
    text = "; ".join(" ".join([n, *t]) for n, t in spec)
    noisy = ";" * empties + text + ";" + ";".join(junk) + ";" * empties
    clean = _csp.parse_policy(text)
    parsed = _csp.parse_policy(noisy)
    for name, tokens in clean.directives.items():
        assert parsed.directives[name] == tokens


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_parser_never_crashes(text: str) -> None:
    for policy in _csp.parse_header([text]):
        _csp.allows_inline_script(policy)
        _csp.allows_eval(policy)
        _csp.insecure_script_sources(policy)
        _csp.object_src_none(policy)
        assert all(name == name.lower() for name in policy.directives)


@pytest.mark.parametrize(
    ("policy", "inline"),
    [
        ("script-src 'self' 'unsafe-inline'", True),
        ("script-src 'self' 'UNSAFE-INLINE'", True),
        ("default-src 'self' 'unsafe-inline'", True),
        ("script-src 'unsafe-inline' 'nonce-r4nd0m'", False),  # nonce makes it ignored
        ("script-src 'unsafe-inline' 'sha256-abc='", False),
        ("script-src 'unsafe-inline' 'strict-dynamic'", False),
        ("default-src 'unsafe-inline'; script-src 'self'", False),  # script-src overrides
        ("script-src-elem 'self'; script-src 'unsafe-inline'", False),
        ("img-src *", True),  # nothing restricts scripts
        ("script-src 'self'", False),
    ],
)
def test_inline_script_judgement(policy: str, inline: bool) -> None:
    assert _csp.allows_inline_script(_csp.parse_policy(policy)) is inline


@pytest.mark.parametrize(
    ("policy", "bad"),
    [
        ("script-src *", ["*"]),
        ("script-src 'self' https: data:", ["https:", "data:"]),
        ("script-src http://cdn.example.go.id", ["http://cdn.example.go.id"]),
        ("default-src 'self' HTTP:", ["HTTP:"]),
        ("script-src 'nonce-abc' 'strict-dynamic' https: http:", []),  # CSP3 ignores hosts
        ("script-src 'self' https://cdn.example.go.id", []),
    ],
)
def test_insecure_sources(policy: str, bad: list[str]) -> None:
    assert _csp.insecure_script_sources(_csp.parse_policy(policy)) == bad


def test_object_src_falls_back_to_default_src() -> None:
    assert _csp.object_src_none(_csp.parse_policy("default-src 'none'; script-src 'self'"))
    assert not _csp.object_src_none(_csp.parse_policy("default-src 'self'"))
    assert not _csp.object_src_none(_csp.parse_policy("object-src 'none' https:"))
    assert _csp.object_src_none(_csp.parse_policy("object-src"))  # empty list matches nothing


def test_header_with_several_policies_and_meta_restrictions() -> None:
    policies = _csp.parse_header(["script-src *, script-src 'self'", "frame-ancestors 'none'"])
    assert len(policies) == 3
    # every policy must allow a script, so the strict one wins
    assert not _csp.all_policies(policies, lambda p: bool(_csp.insecure_script_sources(p)))
    meta = _csp.parse_policy("frame-ancestors 'none'; script-src 'self'", source="meta")
    assert not meta.has("frame-ancestors")
    assert meta.has("script-src")
