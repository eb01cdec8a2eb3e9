"""The city's services, with the HTTPS-transport problems planted in them.

* Portal Kota: plain HTTP serves the home page (with a login form), no HSTS.
* Perizinan Online: redirects to HTTPS, but HSTS lasts one day, no subdomains.
* Lapor (complaints): the HTTPS redirect goes through a second plain-HTTP hop.
* SIMPEG: configured correctly; the transport checks pass here.
"""

from __future__ import annotations

from ...model import Service
from ..portal import DemoPortal, DemoService, same_host_https_redirect
from ..server import LocalServer, html, redirect

HSTS_GOOD = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
LOGIN_FORM = ('<form method="post" action="/login"><input name="nik" placeholder="NIK">'
              '<input type="password" name="password"><button>Masuk</button></form>')


def plant(portal: DemoPortal) -> None:
    http, https = LocalServer(), portal.tls_server(name="portal")
    svc = portal.add(DemoService(
        "portal", Service("Portal Kota", "Diskominfo", "high", "public", "internet"), http, https
    ))
    home = html(svc.page("Portal Resmi Pemerintah Kota Contoh", LOGIN_FORM))
    http.routes["/"] = home  # no redirect to HTTPS
    https.routes["/"] = home  # no HSTS

    http, https = LocalServer(), portal.tls_server(name="perizinan")
    svc = portal.add(DemoService(
        "perizinan", Service("Perizinan Online", "DPMPTSP", "high", "personal", "internet"),
        http, https,
    ))
    https.routes["/"] = html(svc.page("Perizinan Online"),
                             headers=[("Strict-Transport-Security", "max-age=86400")])
    svc.finalizers.append(same_host_https_redirect)

    http, https = LocalServer(), portal.tls_server(name="lapor")
    svc = portal.add(DemoService(
        "lapor",
        Service("Lapor (Pengaduan Masyarakat)", "Inspektorat", "medium", "personal", "internet"),
        http, https,
    ))
    https.routes["/"] = html(svc.page("Lapor"), headers=[HSTS_GOOD])

    def via_plain_hop(s: DemoService) -> None:
        assert s.http is not None and s.https is not None
        s.http.routes["/"] = redirect(s.http.url("/pengaduan"))
        s.http.routes["/pengaduan"] = redirect(s.https.url("/"))

    svc.finalizers.append(via_plain_hop)

    http, https = LocalServer(), portal.tls_server(name="simpeg")
    svc = portal.add(DemoService(
        "simpeg", Service("SIMPEG (Kepegawaian)", "BKPSDM", "high", "personal", "internal"),
        http, https,
    ))
    https.routes["/"] = html(svc.page("SIMPEG"), headers=[HSTS_GOOD])
    svc.finalizers.append(same_host_https_redirect)
