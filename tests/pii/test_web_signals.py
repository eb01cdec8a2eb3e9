"""Form fields, tracker and privacy-notice recognition (pure functions, no network)."""

from __future__ import annotations

from egov_audit.pii.lexicon import web
from egov_audit.pii.web import (
    identifier_fields,
    is_privacy_page,
    links_privacy_notice,
    personal_fields,
    trackers_in,
)
from egov_audit.probes.html_links import Form, FormField


def form(*fields: tuple[str, str]) -> Form:
    return Form("https://a.test/", "https://a.test/x", "post",
                tuple(FormField(n, t) for n, t in fields))


def test_form_fields() -> None:
    f = form(("NIK_Pemohon", "text"), ("noKK", "text"), ("kontak", "tel"), ("q", "search"),
             ("csrf", "hidden"), ("nama_lengkap", "text"), ("surel", "email"))
    assert identifier_fields(f) == ["NIK_Pemohon", "noKK", "kontak"]
    assert personal_fields(f) == ["NIK_Pemohon", "noKK", "kontak", "nama_lengkap", "surel"]
    # "teknik" contains "nik" but is no NIK field; a search box is not personal data
    assert identifier_fields(form(("teknik", "text"), ("q", "text"))) == []


def test_trackers_from_the_data_list_and_by_loader_name() -> None:
    known = web()["trackers"]["hosts"][0]  # whatever the list holds first
    inline = f"<script>(function(){{var s='https://{known}/x.js'}})()</script>".encode()
    assert trackers_in(inline, "https://a.test/") == [known]
    loader = b'<script src="https://cdn.example.invalid/fbevents.js"></script>'
    assert trackers_in(loader, "https://a.test/") == ["cdn.example.invalid"]
    own = b'<script src="/assets/analytics.js"></script>'  # first-party: not a third party
    assert trackers_in(own, "https://a.test/") == []


def test_privacy_notice_links() -> None:
    assert links_privacy_notice('<a href="/kebijakan-privasi">Baca</a>')
    assert links_privacy_notice('<a href="/hal/12">Pemberitahuan Privasi</a>')
    assert links_privacy_notice('<a href="/privacy-policy.html">Privacy</a>')
    assert not links_privacy_notice('<a href="/profil">Profil</a> kebijakan privasi (teks)')
    assert is_privacy_page("https://a.test/privasi", "")
    assert is_privacy_page("https://a.test/p/1", "<title>Kebijakan Privasi</title>")
