"""Gambling spam, hidden links, cloaking, defacement, referrer redirects and
webshells, against real loopback servers, plus the spam scorer's edge cases."""

from __future__ import annotations

import gc
from datetime import datetime

import pytest
from egov_audit.checks.integrity._gambling import judge
from egov_audit.checks.integrity._page import parse

from egov_audit.demo.server import Request, Response, html
from egov_audit.probes.http import HttpResponse

from ...conftest import AuditFn, ServeFn
from ..portal import FAMILIES, HOME, by_check, check_ids, clean_site, text

INTEGRITY = ("integrity",)

SPAM_BLOCK = (
    '<div style="display:none"><a href="https://gacor-a.invalid/">slot gacor</a> '
    '<a href="https://toto-b.invalid/">situs toto</a> <a href="https://max-c.invalid/">'
    "slot88 maxwin</a></div>"
)
NEWS = """<html><head><title>Polisi Tangkap Pengelola Situs Judi Online</title></head><body>
<h1>Polisi Tangkap Pengelola Situs Judi Online</h1>
<p>Polres Kota Contoh menangkap tiga tersangka pengelola situs judi online. Para pelaku
mengelola situs slot online dan togel online yang menjanjikan slot gacor dan bonus new member
kepada para korban. Kominfo telah memblokir ribuan situs slot sepanjang tahun ini. Polisi
mengimbau warga waspada terhadap bahaya kecanduan judi online yang berdampak pada ekonomi
keluarga. Para tersangka dijerat pasal pidana perjudian.</p>
<p><a href="/berita">Berita lainnya</a></p></body></html>"""


def test_news_article_about_gambling_is_not_spam(serve: ServeFn, audit: AuditFn) -> None:
    # Given a news page about a police raid on a gambling operation
    routes = clean_site()
    routes["/berita"] = html(NEWS)
    routes["/"] = html(HOME)
    site = serve(routes)
    # When the integrity checks run
    report = audit([site.url("/")], checks=INTEGRITY)
    # Then nothing is reported, and the article was actually crawled and scored
    assert check_ids(report) == set()
    assert any(r.path == "/berita" for r in site.requests)
    verdict = judge(parse(NEWS, site.url("/berita")))
    assert verdict.score == 0 and any("talks about gambling" in r for r in verdict.reasons)


def test_hidden_gambling_block_is_reported_for_every_visitor(
    serve: ServeFn, audit: AuditFn
) -> None:
    routes = clean_site()
    routes["/"] = html(HOME.replace("</body>", SPAM_BLOCK + "</body>"))
    site = serve(routes)
    report = audit([site.url("/")], checks=INTEGRITY)
    assert check_ids(report) == {"integrity.gambling_spam"}
    (finding,) = report.findings
    assert finding.details["hidden_block"] is True
    assert "Googlebot" in finding.details["views"] and "crawler" in finding.details["views"]


def test_spam_shown_only_to_googlebot_is_cloaking(serve: ServeFn, audit: AuditFn) -> None:
    # Given a home page that adds a spam block and a new title for Googlebot only
    def home(request: Request) -> Response:
        if "Googlebot" in request.headers.get("User-Agent", ""):
            return html(HOME.replace("<title>Portal", "<title>Slot Gacor Maxwin | Portal")
                        .replace("</body>", SPAM_BLOCK + "</body>"))
        return html(HOME)

    routes = clean_site()
    routes["/"] = home
    site = serve(routes)
    report = audit([site.url("/")], checks=INTEGRITY)
    assert check_ids(report) == {"integrity.cloaking", "integrity.gambling_spam"}
    (cloak,) = by_check(report, "integrity.cloaking")
    assert "as Googlebot: title 'Slot Gacor Maxwin" in cloak.evidence.text
    assert "gacor-a.invalid" in cloak.evidence.text
    (spam,) = by_check(report, "integrity.gambling_spam")
    assert spam.details["views"] == ["Googlebot"]


def test_redirect_for_search_visitors_is_cloaking(serve: ServeFn, audit: AuditFn) -> None:
    # Given a site that sends visitors arriving from Google to another host
    def home(request: Request) -> Response:
        if "google." in request.headers.get("Referer", ""):
            return Response(302, [("Location", "https://slot-gacor.invalid/")], b"")
        return html(HOME)

    routes = clean_site()
    routes["/"] = home
    site = serve(routes)
    report = audit([site.url("/")], checks=["integrity.cloaking"])
    (finding,) = report.findings
    assert "visitor from a Google search: redirects to https://slot-gacor.invalid/" in \
        finding.evidence.text


def test_firewall_blocking_fake_googlebot_is_not_cloaking(serve: ServeFn, audit: AuditFn) -> None:
    def home(request: Request) -> Response:
        if "Googlebot" in request.headers.get("User-Agent", ""):
            return html("<html><body>Access denied</body></html>", status=403)
        return html(HOME)

    routes = clean_site()
    routes["/"] = home
    site = serve(routes)
    report = audit([site.url("/")], checks=["integrity.cloaking"])
    assert report.findings == ()


def test_defacement_referrer_redirect_and_webshell(serve: ServeFn, audit: AuditFn) -> None:
    routes = clean_site()
    routes["/profil"] = html("<html><head><title>Hacked by Xploit Crew</title></head><body>"
                             "<h1>Your security is low</h1><p>greetz: all crew</p></body></html>")
    routes["/assets/app.js"] = text(
        "var r=document.referrer;if(r.indexOf('google')!=-1){window.location='https://"
        "slot.invalid/'}", "application/javascript")
    routes["/wso.php"] = html("<html><head><title>WSO 4.2.5</title></head><body><form>"
                              "<input type=hidden name=a value='FilesMan'></form></body></html>")
    site = serve(routes)
    report = audit([site.url("/")], checks=INTEGRITY)
    assert check_ids(report) == {"integrity.defacement", "integrity.referrer_redirect",
                                 "integrity.webshell"}
    (deface,) = by_check(report, "integrity.defacement")
    assert deface.location == site.url("/profil")


def test_single_hacked_by_quote_in_an_article_is_not_defacement(
    serve: ServeFn, audit: AuditFn
) -> None:
    routes = clean_site()
    routes["/berita"] = html("<html><head><title>Situs Desa Diretas</title></head><body><p>"
                             "Tampilan situs berubah dengan tulisan hacked by seseorang; tim "
                             "telah memulihkan situs.</p></body></html>")
    site = serve(routes)
    report = audit([site.url("/")], checks=["integrity.defacement"])
    assert report.findings == ()


def test_hidden_link_farm_without_gambling_terms(serve: ServeFn, audit: AuditFn) -> None:
    shops = [f"shop{i}.invalid" for i in range(6)]  # never fetched: links are only read
    links = "".join(f'<a href="https://{s}/">obat murah {n}</a>' for n, s in enumerate(shops))
    routes = clean_site()
    routes["/"] = html(HOME.replace("</body>", f'<div style="font-size:0">{links}</div></body>'))
    site = serve(routes)
    report = audit([site.url("/")], checks=INTEGRITY)
    assert check_ids(report) == {"integrity.hidden_links"}


def test_hidden_social_menu_is_not_a_link_farm() -> None:
    # Given a collapsed mobile menu with the usual social links
    menu = "".join(f'<a href="https://www.{d}/kotacontoh">{d}</a>' for d in
                   ("facebook.com", "instagram.com", "twitter.com", "youtube.com", "tiktok.com"))
    page = parse(f'<html><body><nav class="m" style="display:none">{menu}</nav></body></html>',
                 "http://127.0.0.1/")
    # Then the links are hidden but the scorer sees no spam
    assert all(ln.hidden for ln in page.links)
    assert not judge(page).spam


def test_css_class_hiding_and_marquee_are_understood() -> None:
    html_text = ("<html><head><style>.seo { display: none }</style></head><body><p>Visible</p>"
                 '<span class="seo">slot gacor</span><marquee><a href="https://x.invalid/">'
                 "togel online</a></marquee></body></html>")
    page = parse(html_text, "http://127.0.0.1/")
    assert page.visible == "Visible"
    assert "slot gacor" in page.hidden and "togel online" in page.hidden
    assert page.links[0].marquee


def test_full_clean_run_of_all_families_on_news_site(serve: ServeFn, audit: AuditFn) -> None:
    routes = clean_site()
    routes["/berita"] = html(NEWS)
    site = serve(routes)
    assert check_ids(audit([site.url("/")], checks=FAMILIES)) == set()


def _clock_page(title: str) -> Response:
    """A page whose title and body carry the time to the microsecond: two
    requests never see the same text."""
    now = datetime.now().strftime("%H:%M:%S.%f")
    return html(f"<html><head><title>{title} — diperbarui {now}</title></head><body>"
                f"<p>Profil kota. Halaman dibuat pukul {now}.</p></body></html>")


def test_inner_page_cloaked_for_googlebot_is_reported_at_that_page(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a clean home page linking to /layanan, which shows Googlebot a
    # gambling title and spam block, and to /profil, whose every view differs
    # only by a timestamp
    def layanan(request: Request) -> Response:
        if "Googlebot" in request.headers.get("User-Agent", ""):
            return html("<html><head><title>Slot Gacor Maxwin Hari Ini</title></head><body>"
                        f"<p>Layanan publik.</p>{SPAM_BLOCK}</body></html>")
        return clean_site()["/layanan"]  # type: ignore[return-value]

    routes = clean_site()
    routes["/layanan"] = layanan
    routes["/profil"] = lambda request: _clock_page("Profil")
    site = serve(routes)
    # When the integrity checks run
    report = audit([site.url("/")], checks=INTEGRITY)
    # Then the cloaking and the spam are reported on the inner page, not the entry page
    assert check_ids(report) == {"integrity.cloaking", "integrity.gambling_spam"}
    (cloak,) = by_check(report, "integrity.cloaking")
    assert cloak.location == site.url("/layanan")
    assert "as Googlebot: title 'Slot Gacor Maxwin" in cloak.evidence.text
    (spam,) = by_check(report, "integrity.gambling_spam")
    assert spam.location == site.url("/layanan") and spam.details["views"] == ["Googlebot"]
    # and the timestamped page was viewed as Googlebot too, and stays silent
    googlebot = {r.path for r in site.requests if "Googlebot" in r.headers.get("User-Agent", "")}
    assert {"/", "/profil", "/layanan", "/berita"} <= googlebot
    assert all(f.location != site.url("/profil") for f in report.findings)


def test_cloaking_views_stop_at_max_pages(serve: ServeFn, audit: AuditFn) -> None:
    # Given a four-page site and room for two pages of views
    site = serve(clean_site())
    # When cloaking is judged
    report = audit([site.url("/")], checks=["integrity.cloaking"],
                   settings={"cloaking": {"max_pages": 2}})
    # Then the entry page and the nearest crawled page get the three views, no more
    googlebot = [r.path for r in site.requests if "Googlebot" in r.headers.get("User-Agent", "")]
    assert googlebot == ["/", "/profil"]
    assert report.findings == ()


def test_a_page_is_parsed_once_for_all_checks_and_dropped_with_its_response() -> None:
    from egov_audit.checks.integrity import _sources

    from egov_audit.page import cache  # the one parse per response, shared with discovery

    resp = HttpResponse("GET", "http://127.0.0.1/x", "http://127.0.0.1/x", 200,
                        headers=(("Content-Type", "text/html"),), body=NEWS.encode())
    gc.collect()
    before = (len(cache._PARSED), len(_sources._VERDICTS))
    assert _sources.parsed(resp) is _sources.parsed(resp)
    assert _sources.verdict(resp) is _sources.verdict(resp)
    assert (len(cache._PARSED), len(_sources._VERDICTS)) == (before[0] + 1, before[1] + 1)
    del resp
    gc.collect()
    assert (len(cache._PARSED), len(_sources._VERDICTS)) == before


def test_cloaking_skipped_by_the_budget_says_so() -> None:
    from egov_audit.checks.integrity.cloaking import cloaking

    from egov_audit.check import CheckContext, Skip
    from egov_audit.model import Target
    from egov_audit.probes.cloaking import CloakingViews, PageViews

    # Given views the request budget refused (the probe records them, never sends them)
    url = "http://127.0.0.1/"
    refused = HttpResponse("GET", url, url, None,
                           error="skipped: request budget of 600 for host 127.0.0.1 reached")
    views = CloakingViews((PageViews(url, (("browser", refused), ("googlebot", refused))),))
    ctx = CheckContext(Target(url, "127.0.0.1", url, None), {CloakingViews: views},
                       needs=cloaking.needs)
    # Then the check is skipped, and says the budget is why
    with pytest.raises(Skip, match="request budget of 600"):
        cloaking.run(ctx)
