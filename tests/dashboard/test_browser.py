"""The dashboard in headless Chromium (Debian's chromium and chromedriver, no
browser download): pages render without console errors, sign-in and sign-out,
a viewer's scope, CSRF, a phone-sized screen, and screenshots of every page.

Skipped when /usr/bin/chromium or /usr/bin/chromedriver (Debian packages
chromium and chromium-driver) or selenium is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import add_account
from .helpers import ENV, HSTS, RUN_1, RUN_2, seeded_store
from .server import serve_process

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver")

PASSWORD = "correct horse battery"
PAGES = {
    "overview": "/",
    "unit": "/unit?opd=Diskominfo",
    "service": "/service?opd=Dinas+Kesehatan&name=Klinik+Online",
    "runs": "/runs",
    "run": f"/runs/{RUN_2}",
    "diff": f"/diff?base={RUN_1}&current={RUN_2}",
    "finding": f"/findings/{ENV.id}",
    "compliance": "/compliance",
    "overview-id": "/?lang=id",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    history = seeded_store(tmp)
    add_account(history, "siti", "officer")
    add_account(history, "budi", "viewer", "Diskominfo")
    with serve_process(history, log=tmp / "serve.log") as url:
        # localhost: browsers keep Secure cookies from it over plain HTTP
        yield url.replace("127.0.0.1", "localhost")


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,900", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def submitted(driver: Any, button: str) -> None:
    """Click a form's button and wait until the browser shows the next page
    (a click returns before the navigation it starts has finished)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, button).click()

    def left(_: Any) -> bool:
        # Asked mid-navigation, chromedriver answers either "stale element" or
        # an "inspector error" (the old page's context is gone): both mean the
        # old page was left. Only an answer about a live element means waiting.
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(driver, 30).until(left)


def sign_in(driver: Any, site: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(site + "login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    submitted(driver, "form.login button")


def errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_every_page_renders_without_console_errors_with_screenshots(
        site: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, site, "siti")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Overview"
    shots = tmp_path / "screenshots"
    shots.mkdir()
    for name, path in PAGES.items():
        browser.get(site + path.lstrip("/"))
        assert browser.find_element(By.TAG_NAME, "h1").text, name
        assert errors(browser) == [], name  # CSP violations would be console errors
        # every visible field has a label
        unlabelled = browser.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select')]"
            ".filter(e => !e.labels || e.labels.length === 0).length")
        assert unlabelled == 0, name
        assert browser.save_screenshot(str(shots / f"{name}.png"))
    assert len(list(shots.glob("*.png"))) == len(PAGES)


def test_on_a_phone_no_page_scrolls_sideways(site: str, browser: Any, tmp_path: Path) -> None:
    sign_in(browser, site, "siti")
    browser.set_window_size(390, 844)
    for name in ("overview", "compliance", "finding"):
        browser.get(site + PAGES[name].lstrip("/"))
        wide = browser.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 1, (name, wide)  # wide tables scroll inside their own region
        browser.save_screenshot(str(tmp_path / f"phone-{name}.png"))


def test_the_keyboard_reaches_the_skip_link_first(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sign_in(browser, site, "siti")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip"
    focused.send_keys(Keys.ENTER)
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(browser, 30).until(lambda d: d.current_url.endswith("#main"))


def test_sign_in_and_sign_out(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site)
    assert "/login" in browser.current_url  # accounts exist: a session is needed
    sign_in(browser, site, "siti")
    assert browser.find_element(By.CSS_SELECTOR, ".who").text.startswith("siti")
    cookie = browser.get_cookie("egov-session")
    assert cookie and cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    submitted(browser, "form.inline button")
    assert "/login" in browser.current_url
    browser.get(site + "runs")
    assert "/login" in browser.current_url


def test_a_viewer_cannot_open_another_units_pages(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, site, "budi")
    assert "Klinik Online" not in browser.page_source
    for path in (PAGES["service"], f"/findings/{ENV.id}", "/unit?opd=Dinas+Kesehatan"):
        browser.get(site + path.lstrip("/"))
        assert browser.find_element(By.TAG_NAME, "h1").text == "404", path
    browser.get(site + f"findings/{HSTS.id}")
    assert browser.find_element(By.TAG_NAME, "h1").text != "404"


def test_a_form_with_a_forged_csrf_token_is_rejected(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site + "login")
    browser.execute_script(
        "document.querySelector('input[name=csrf_token]').value = 'forged'")
    browser.find_element(By.ID, "name").send_keys("siti")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    submitted(browser, "form.login button")
    assert browser.find_element(By.TAG_NAME, "h1").text == "400"
    browser.get(site)
    assert "/login" in browser.current_url  # not signed in
