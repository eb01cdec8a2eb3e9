"""Technology fingerprints from headers, cookie names and markup."""

from __future__ import annotations

import time

import pytest

from egov_audit.probes.http import HttpResponse
from egov_audit.probes.technology import detect


def answer(body: str = "", *headers: tuple[str, str], status: int = 200) -> HttpResponse:
    return HttpResponse("GET", "https://portal.example.go.id/", "https://portal.example.go.id/",
                        status, headers=headers, body=body.encode())


@pytest.mark.parametrize("response, expected", [
    (answer("", ("Server", "nginx/1.24.0")), {"nginx"}),
    (answer("", ("Server", "Apache/2.4.57 (Ubuntu)")), {"apache"}),
    (answer("", ("Server", "Apache-Coyote/1.1")), {"tomcat", "java"}),
    (answer("", ("X-Powered-By", "PHP/8.1.2")), {"php"}),
    (answer("", ("Set-Cookie", "laravel_session=abc; path=/; httponly")), {"laravel", "php"}),
    (answer("", ("Set-Cookie", "JSESSIONID=1; Path=/")), {"java"}),
    (answer("", ("X-AspNet-Version", "4.0.30319")), {"aspnet"}),
    (answer('<link href="/wp-content/themes/kota/style.css">'), {"wordpress", "php"}),
    (answer('<meta name="generator" content="Joomla! - Open Source">'), {"joomla", "php"}),
    (answer("<h1>Whitelabel Error Page</h1>", status=404), {"spring", "java"}),
    (answer("<hr><center>nginx</center>", status=404), {"nginx"}),
    (answer("<p>Selamat datang di portal kota.</p>", ("Server", "")), set()),
])
def test_signals(response: HttpResponse, expected: set[str]) -> None:
    assert detect([response]) == expected


def test_an_answer_that_never_came_says_nothing() -> None:
    missing = HttpResponse("GET", "https://x.invalid/", "https://x.invalid/", None,
                           error="connection refused")
    assert detect([missing]) == frozenset()


def test_hostile_markup_is_read_in_linear_time() -> None:
    # A megabyte of near-misses ("/wp-", "content=\"") costs one pass, not a backtrack.
    body = ("/wp-x content=\"x " * 70_000)[:1_000_000]
    started = time.process_time()
    detect([answer(body)])
    assert time.process_time() - started < 5.0
