"""Planted problems for the exposure, secrets, errors and integrity checks.

A school-admissions service (Dinas Pendidikan) as neglected sites often are:

* ``/.git/HEAD`` and ``/.git/config``, and a ``.env`` with a (fake) database
  password and APP_KEY;
* a script with a (fake) Telegram bot token, and another that sends visitors
  arriving from Google to a gambling site;
* ``/uploads/`` listed by autoindex, with scanned ID cards among the files;
* a PHP warning with an absolute path when a parameter is sent as an array;
* online-gambling spam injected for Googlebot only (cloaking): the owner sees
  a clean page, search engines see a hidden block of gambling links.

Every secret here is invented for the demo and matches no real account.
"""

from __future__ import annotations

from ...model import Service
from ..portal import DemoPortal, DemoService, same_host_https_redirect
from ..server import LocalServer, Request, Response, html

HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
TEXT = [("Content-Type", "text/plain")]
# Invented values in real formats, so the detectors have something to find.
FAKE_DB_PASSWORD = "Ppdb-Demo-7rXq9vLm2K"
FAKE_APP_KEY = "base64:Zm9vYmFyLWRlbW8tb25seS1rZXktbm90LXJlYWwtOTk="
FAKE_TELEGRAM = "7012345678:AAH4dK9qZr2Xv7LmW3pN8cT5bY1fJ6sG0eQ"

_NAV = ('<p><a href="/pengumuman">Pengumuman</a> · <a href="/uploads/">Berkas</a></p>'
        '<script src="/assets/ppdb.js"></script><script src="/assets/stat.js"></script>')
_SPAM = (
    '<div style="position:absolute;left:-9999px;top:-9999px">'
    '<a href="https://slot-gacor-demo.invalid/">slot gacor</a> '
    '<a href="https://situs-toto-demo.invalid/">situs toto togel</a> '
    '<a href="https://maxwin-demo.invalid/">slot88 maxwin</a> '
    '<a href="https://rtp-live-demo.invalid/">rtp live hari ini</a></div>'
)
_LISTING = (
    "<html><head><title>Index of /uploads/</title></head><body><h1>Index of /uploads/</h1>"
    '<hr><pre><a href="../">../</a>\n<a href="ktp_pendaftar_0012.jpg">ktp_pendaftar_0012.jpg'
    '</a>\n<a href="kk_pendaftar_0012.pdf">kk_pendaftar_0012.pdf</a>\n'
    '<a href="brosur-ppdb.pdf">brosur-ppdb.pdf</a>\n</pre><hr></body></html>'
)
_PHP_WARNING = (
    "<br />\n<b>Warning</b>:  htmlspecialchars() expects parameter 1 to be string, array "
    "given in <b>/var/www/ppdb/public_html/index.php</b> on line <b>27</b><br />\n"
)
_REFERRER_JS = (
    "(function(){var r=document.referrer;"
    "if(r.indexOf('google.')>-1||r.indexOf('bing.')>-1){"
    "window.location.href='https://slot-gacor-demo.invalid/?ref=ppdb';}})();\n"
)


def plant(portal: DemoPortal) -> None:
    http, https = LocalServer(), portal.tls_server(name="ppdb")
    svc = portal.add(DemoService(
        "ppdb",
        Service("PPDB (Penerimaan Peserta Didik Baru)", "Dinas Pendidikan", "high", "personal",
                "internet"),
        http, https,
    ))
    clean = svc.page("PPDB Kota Contoh", "<p>Pendaftaran peserta didik baru.</p>" + _NAV)
    hijacked = svc.page("Slot Gacor Maxwin Hari Ini - PPDB Kota Contoh",
                        "<p>Pendaftaran peserta didik baru.</p>" + _SPAM + _NAV)

    def home(request: Request) -> Response:
        # Cloaking: the injected code shows the spam to search engines only.
        if "googlebot" in request.headers.get("User-Agent", "").lower():
            return html(hijacked, headers=[HSTS])
        if "id%5B%5D" in request.query or "id[]" in request.query:
            return html(_PHP_WARNING + clean, headers=[HSTS])
        return html(clean, headers=[HSTS])

    https.routes.update({
        "/": home,
        "/pengumuman": html(svc.page("Pengumuman", "<p>Jadwal seleksi.</p>"), headers=[HSTS]),
        "/.git/HEAD": Response(200, TEXT, "ref: refs/heads/main\n"),
        "/.git/config": Response(200, TEXT, "[core]\n\trepositoryformatversion = 0\n"
                                            "\tfilemode = true\n\tbare = false\n"),
        "/.env": Response(200, TEXT, f"APP_NAME=PPDB\nAPP_ENV=production\nAPP_KEY={FAKE_APP_KEY}"
                                     f"\nDB_HOST=10.20.0.5\nDB_DATABASE=ppdb\nDB_USERNAME=ppdb"
                                     f"\nDB_PASSWORD={FAKE_DB_PASSWORD}\n"),
        "/assets/ppdb.js": Response(200, [("Content-Type", "application/javascript")],
                                    "const NOTIFY = {bot: '" + FAKE_TELEGRAM + "', chat: -100};\n"),
        "/assets/stat.js": Response(200, [("Content-Type", "application/javascript")],
                                    _REFERRER_JS),
        "/uploads/": html(_LISTING),
    })
    svc.finalizers.append(same_host_https_redirect)
