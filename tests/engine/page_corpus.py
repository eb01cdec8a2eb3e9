# ruff: noqa: E501  (the pages are data, kept line for line as a server sends them)
"""Pages of the shapes the scanner meets, for the page model's equivalence test.

Each is (URL, HTML). ``page_views_before.json`` holds what the three readers
the page model replaced (the crawler's link extractor, the header checks'
markup reader, the integrity checks' text reader) returned for them.
"""

from __future__ import annotations

CMS_HOME = """<!DOCTYPE html>
<html lang="id"><head>
<meta charset="utf-8">
<title>  Dinas Kependudukan
  Kota Contoh </title>
<meta name="description" content=" Layanan administrasi kependudukan ">
<meta name="keywords" content="ktp, kk, akta">
<meta name="generator" content="WordPress 6.4.2">
<meta name="Referrer" content="no-referrer-when-downgrade">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' https://cdn.example.invalid">
<meta property="og:title" content="Disdukcapil">
<link rel="stylesheet" href="/wp-content/themes/kota/style.css?ver=6.4.2">
<link rel="stylesheet" href="https://cdn.example.invalid/bootstrap.min.css" integrity="sha384-abc" crossorigin>
<link rel="icon" href="/favicon.png">
<link rel="preload" href="https://fonts.example.invalid/font.woff2" as="font">
<link rel="modulepreload" href="https://cdn.example.invalid/app.mjs">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<script src="https://cdn.example.invalid/jquery.min.js"></script>
<script src="/wp-includes/js/wp-emoji.js?ver=6.4.2" integrity=" "></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}
gtag('config','G-XXXX'); fetch('/api/v1/berita?page=1')</script>
<style>.sr-only{position:absolute;left:-9999px} .menu{color:red}</style>
</head><body>
<nav><a href="/">Beranda</a> <a href="/profil/">Profil</a> <a href="layanan/ktp.html#syarat">KTP</a>
<a href="javascript:void(0)">Menu</a> <a href="#konten">Lewati</a> <a href="mailto:dukcapil@example.go.id">Surel</a>
<a href="tel:+620000">Telepon</a> <a href="https://www.example.invalid/partner">Mitra</a></nav>
<main id="konten"><h1>Selamat datang</h1><p>Layanan &amp; informasi kependudukan &mdash; cepat, mudah.</p>
<img src="http://cdn.example.invalid/banner.jpg" alt="banner"><img src="/logo.png">
<iframe src="https://maps.example.invalid/embed?q=kantor"></iframe>
<video src="http://media.example.invalid/profil.mp4" poster="/poster.jpg"><track src="/sub.vtt"></video>
<span class="sr-only">Lompat ke konten</span>
</main>
<form action="/cari" method="GET"><input type="search" name="s"><input type="submit" value="Cari"></form>
<form action="http://layanan.example.go.id/daftar" method="post">
<input name="nik" type="text"><input name="NoKK"><input type="tel" name="hp"><input type="email" name="Surel">
<select name="kecamatan"><option>A</option></select><textarea name="alamat"></textarea>
<input type="hidden" name="csrf" value="x"><input type="PASSWORD" name="sandi">
</form>
<footer><a href="/kebijakan-privasi">Kebijakan Privasi</a> <area href="/peta">
<script src="https://www.googletagmanager.com/gtag/js?id=G-XXXX" async></script></footer>
</body></html>"""

SEO_SPAM = """<html><head><title>Pemerintah Desa</title>
<style>
@media screen { .x { display:none } }
.hide-me { display : none; } #offscreen{position:absolute;left:-5000px}
.tiny, .zero { font-size: 0px; }
.box { height:0; overflow:hidden }
</style></head><body>
<p>Berita desa hari ini tentang pembangunan jalan.</p>
<div class="hide-me"><a href="https://slot.example.invalid/">slot gacor</a> togel online
<a href="https://judi.example.invalid/daftar">daftar judi</a></div>
<div id="offscreen"><a href="https://casino.example.invalid">casino</a></div>
<span class="tiny">maxwin</span><span style="visibility:hidden">bocoran</span>
<div hidden><a href=https://hidden.example.invalid/a>hidden attr</a></div>
<marquee><a href="https://bola.example.invalid/">agen bola</a> situs terpercaya</marquee>
<template><a href="/tpl">tpl</a></template>
<div style="opacity:0;"><b>rtp live</b></div>
<a href="/berita/1">Berita <b>pertama</b></a>
<a href="https://www.example.invalid/">Mitra resmi</a>
</body></html>"""

BROKEN = """<HTML><BODY BGCOLOR=white>
<A HREF=/dir/ >Dir</A><a href='/q?a=1&b=2'>q</a><a href="/unclosed">unclosed
<p>text <a href=/second>second</a>
<FORM ACTION=submit.php><INPUT NAME=q><INPUT TYPE=Checkbox NAME=ok>
<form action="/inner"><input name="inner_field"></form>
<input name="after_form">
<script>if (a < b && c > d) { document.write('<a href="/in-script">') }</script>
<script src="javascript:alert(1)">var inline_with_bad_src = 1;</script>
<script src="">var empty_src = 2;</script>
<script/>
<iframe src="/frame.html"><frame src="frame2.html">
<base href="/base/sub/">
<a href="after-base">after base</a><img src="img/after-base.png">
<link rel="STYLESHEET" href="after.css"><link rel="Next" href="?page=2">
<link rel="shortcut icon" href="/fav.ico"><link rel="apple-touch-icon" href="/touch.png">
<object data="movie.swf"></object><embed src="http://plugin.example.invalid/x.swf">
<audio src="/a.mp3"></audio><source src="/s.webm"><input type="image" src="/btn.png">
<!-- <a href="/commented">commented</a> -->
<a href=/last>last &amp; final &#x41;&#66;</a>
<form method="POST"><input name="no_action"></form>
<form action="/never-closed"><input name="tail">
"""

LISTING = """<html><head><title>Index of /files</title></head><body><h1>Index of /files</h1>
<table><tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th></tr>
<tr><td><a href="/">Parent Directory</a></td></tr>
<tr><td><a href="data%20warga.xlsx">data warga.xlsx</a></td></tr>
<tr><td><a href="backup/">backup/</a></td></tr>
<tr><td><a href="dump.sql">dump.sql</a></td></tr></table>
<address>Apache/2.4.41 Server at 127.0.0.1 Port 80</address></body></html>"""

SPA = """<!doctype html><html><head><meta charset=utf-8>
<meta http-equiv="content-security-policy" content="upgrade-insecure-requests">
<meta name="generator" content="Laravel">
<script type="module" crossorigin src="/assets/index-4f2a.js"></script>
<link rel="stylesheet" href="/assets/index-9c1b.css">
<script>const API='/api/v2/'; axios.get("/rest/penduduk"); //# sourceMappingURL=main.js.map</script>
<script type="application/ld+json">{"@type":"GovernmentOrganization"}</script>
<script>   </script>
</head><body><div id="app"></div><noscript>Aktifkan JavaScript</noscript>
<script src="http://analytics.example.invalid/tracker.js"></script>
<script src="//cdn.example.invalid/lib.js" integrity="sha256-xyz"></script></body></html>"""

DOUBLE_TITLE = """<title></title><title>Second <b>title</b></title><title>Third</title>
<meta name="description" content="first"><meta name="DESCRIPTION" content="second">
<meta http-equiv="refresh" content="0;url=https://redirect.example.invalid/">
<meta name="referrer" content="unsafe-url"><meta name="referrer" content="origin">
<p>Visible <span style="display:none">hidden <a href="/h">link</a></span> again</p>"""

ENTITIES = """<p>&lt;a href=&quot;/not-a-link&quot;&gt; &copy; 2024 Pemkot &nbsp; &#8212; &unknown; &#xZZ;</p>
<a href="/caf&eacute;?x=1&amp;y=2">caf&eacute;</a><a href="/sp ace">sp ace</a>
<a href="  /padded  ">padded</a><a href="HTTP://127.0.0.1/UPPER">upper</a>
<a href="//127.0.0.3/proto-relative">pr</a><a href="../up">up</a><a href="?only=query">q</a>
<img src="data:image/png;base64,AAAA"><img src="  http://cdn.example.invalid/spaced.png ">"""

HOSTILE = ("<a <a <a href='/x'> <!-- unclosed comment <div title='>' <a href=\"/ok\">ok</a>"
           "<script>if(a<b)</script> &#x; </ <?x <![CDATA[ x ]]> <a href='" + "y" * 3000
           + "'>long</a> <a href=/after-long>after</a> <img src='" + "z" * 5000 + "'>"
           "<div><div><div><span>deep</span></div> <p>para <a href=/deep>deep link</a>")

NESTED_HIDDEN = ("<div style='display:none'>" + "<div>" * 50 + "<a href='https://n.example.invalid/'>"
                 "nested</a>" + "</div>" * 50 + "</div><a href='/shown'>shown</a>"
                 "<div class='a b hide'>x</div><style>.hide{visibility:hidden}</style>"
                 "<div id=gone>gone text</div><style>#gone{display:none} .ok{display:block}</style>")

STRAY = """</a></form></script></div><a href=/one>one</a></a></a>
<form action=/f1><form action=/f2><input name=inner></form></form>
<input name=orphan><select name=orphan2></select>
<a href="/x"><a href="/y">y text</a> x tail</a>"""

EMPTY = ""

TEXT_ONLY = "Hanya teks tanpa markup, 3 < 5 dan 7 > 2."

PAGES: dict[str, tuple[str, str]] = {
    "cms_home": ("https://dukcapil.example.go.id/", CMS_HOME),
    "seo_spam": ("http://desa.example.go.id/berita/", SEO_SPAM),
    "broken": ("http://127.0.0.1:8080/app/index.php?x=1#frag", BROKEN),
    "listing": ("http://127.0.0.1/files/", LISTING),
    "spa": ("https://127.0.0.1:8443/", SPA),
    "double_title": ("https://127.0.0.1/page", DOUBLE_TITLE),
    "entities": ("http://127.0.0.1/a/b/c.html", ENTITIES),
    "hostile": ("http://127.0.0.1/", HOSTILE),
    "nested_hidden": ("http://127.0.0.1/n", NESTED_HIDDEN),
    "stray": ("http://127.0.0.1/s/", STRAY),
    "empty": ("http://127.0.0.1/", EMPTY),
    "text_only": ("http://127.0.0.1/t", TEXT_ONLY),
}
