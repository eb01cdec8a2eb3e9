"""Helpers shared by the web-page families (https, headers, cookies, cors,
disclosure, hygiene): parsing HSTS, cookies, CORS answers, banners and markup,
and choosing which response a header check judges. Not a family: no checks."""
