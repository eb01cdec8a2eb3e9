"""The JavaScript endpoint reader: what it finds, what it leaves alone, and that it stays linear."""

from __future__ import annotations

import json

import pytest

from egov_audit.probes.js_endpoints import MAX_ENDPOINTS, JsEndpoint, endpoints, map_sources
from tests.cpu_clock import cpu_seconds


def found(js: str) -> dict[str, str]:
    return {e.value: e.how for e in endpoints(js)}


@pytest.mark.parametrize(("js", "value", "how"), [
    # a constant base joined to a path and a page variable (minified and readable)
    ('const e="/api/v1";fetch(e+"/warga?page="+n)', "/api/v1/warga?page=1", "call"),
    ('const API = "/api/v1";\nfetch(API + "/warga?page=" + String(n))',
     "/api/v1/warga?page=1", "call"),
    # a base defined after its use (hoisting, modules read out of order)
    ('function f(){return fetch(B+"/kk")}\nvar B="/rest";', "/rest/kk", "call"),
    # template literals: a known constant in a hole, other holes filled with 1
    ('const API="/api";fetch(`${API}/penduduk/${id}/kk`)', "/api/penduduk/1/kk", "call"),
    # axios: a baseURL set on an instance or on the defaults joins relative calls
    ('const c=axios.create({baseURL:"/api/v2"});c.get("warga/"+id)', "/api/v2/warga/1", "call"),
    ('axios.defaults.baseURL = "/svc";axios.get("/layanan")', "/svc/layanan", "call"),
    # jQuery and XMLHttpRequest
    ('$.getJSON("/data/kecamatan.json")', "/data/kecamatan.json", "call"),
    ('$.ajax({url: "/ajax/desa", type: "GET"})', "/ajax/desa", "call"),
    ('x.open("GET", "/api/xhr", true)', "/api/xhr", "call"),
    ('jQuery.get("/api/jq")', "/api/jq", "call"),
    # writes are listed as such
    ('$.post("/api/pengaduan", d)', "/api/pengaduan", "write"),
    ('x.open("POST", "/api/kirim")', "/api/kirim", "write"),
    # a relative path is an endpoint only as a call's argument
    ('fetch("laporan/2024")', "laporan/2024", "call"),
    # escaped slashes, as JSON encoders write them
    ('var u="\\/api\\/v1\\/opd";', "/api/v1/opd", "literal"),
    # absolute URLs are kept (the crawler keeps only its own origin)
    ('fetch("http://127.0.0.1:8080/api/x")', "http://127.0.0.1:8080/api/x", "call"),
])
def test_endpoints_are_found(js: str, value: str, how: str) -> None:
    assert found(js).get(value) == how, found(js)


@pytest.mark.parametrize("js", [
    '// fetch("/api/komentar")\nvar a=1;',  # a line comment
    '/* "/api/blok" */ var a=1;',  # a block comment
    '/* unclosed "/api/tak-tertutup"',  # an unclosed comment runs to the end
    'var t = "text/html", d = "1/2/2024";',  # MIME types and dates
    "var r = /\"\\/api\\/regex\"/;",  # a regex literal holding a quote
    'var u = `${host}/api/lain`;',  # an unknown base: maybe another origin
    'var u = host + "/api/lain";',
    'var s = "/ tidak jalur";',  # white space: not a path
    'var x = "//";',
])
def test_non_endpoints_stay_silent(js: str) -> None:
    assert not [v for v in found(js) if "api" in v or v in ("text/html", "1/2/2024", "//")], \
        found(js)


@pytest.mark.parametrize("js", [
    'var re = new RegExp("/[a-z]*");',  # a regex source in a string
    's.replace(/x/g, "/$1")',  # a replacement pattern
    'var u = "/" + n;',  # only a hole after the slash
])
def test_strings_that_only_look_like_paths_stay_silent(js: str) -> None:
    assert found(js) == {}


def test_a_regex_literal_with_a_quote_does_not_shift_the_strings_after_it() -> None:
    js = 'var a=s.replace(/"/g,"");fetch("/api/setelah")'
    assert found(js) == {"/api/setelah": "call"}


def test_source_maps_yield_their_own_sources_only() -> None:
    body = json.dumps({"version": 3, "sources": ["src/a.ts", "node_modules/x/i.js",
                                                   "webpack/bootstrap"],
                       "sourcesContent": ["fetch('/api/a')", "fetch('/api/x')", "x"]}).encode()
    assert map_sources(body) == [("src/a.ts", "fetch('/api/a')")]
    assert map_sources(b"not json") == [] and map_sources(b"[1]") == []
    assert map_sources(b"[" * 100_000) == []  # deep nesting is refused, not a crash


def test_output_is_bounded() -> None:
    js = "".join(f'"/p/{i}";' for i in range(3 * MAX_ENDPOINTS))
    assert len(endpoints(js)) == MAX_ENDPOINTS
    assert all(isinstance(e, JsEndpoint) for e in endpoints(js))


# -- linear time on hostile scripts ----------------------------------------------------------

MB = 1024 * 1024
GROWTH = 8.0  # allowed t(4n)/t(n); linear is ~4, quadratic ~16
FLOOR = 0.02  # seconds at 4n under which growth is timer noise
# Shapes that make a naive tokenizer rescan the rest of the text: unclosed
# strings, comments, templates and regex classes, long joins, many literals.
HOSTILE = (
    '"', "'\\", "/* ", "(/[", "`${", "`", 'a+"/x";', 'url:"/x",', '"/a"+', '"/a"+b+', "a= ",
    "//\n", 'const e="/api/v1";fetch(e+"/w?page="+n);var b=`${e}/x/${q}`;x.get("/api/y");',
)


def _cpu(text: str) -> float:
    return cpu_seconds(endpoints, text)


def _script(size: int) -> str:
    part = size // len(HOSTILE)
    return "\n".join((unit * (part // len(unit) + 1))[:part] for unit in HOSTILE)


def test_a_hostile_script_of_1_to_4_mb_is_read_in_linear_time() -> None:
    small, big = _cpu(_script(MB)), _cpu(_script(4 * MB))
    if big > FLOOR and big > GROWTH * small:  # measure again before calling it quadratic
        small, big = min(small, _cpu(_script(MB))), min(big, _cpu(_script(4 * MB)))
    assert big <= FLOOR or big <= GROWTH * small, f"{small:.3f}s at 1 MB, {big:.3f}s at 4 MB"


@pytest.mark.parametrize("unit", HOSTILE)
def test_each_hostile_shape_grows_linearly(unit: str) -> None:
    def text(size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    small, big = _cpu(text(MB // 4)), _cpu(text(MB))
    if big > FLOOR and big > GROWTH * small:
        small, big = min(small, _cpu(text(MB // 4))), min(big, _cpu(text(MB)))
    assert big <= FLOOR or big <= GROWTH * small, f"{unit!r}: {small:.3f}s, {big:.3f}s"
