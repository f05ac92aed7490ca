"""A real browser (Debian's chromium through Selenium) reviews a figure from the keyboard and the
mouse: click a figure's box, correct its value, and the store and `planscan diff` show it.
Also writes the README's screenshot of the document view (docs/review.png) when asked to."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planscan.io.store import Store
from planscan.review.security import csrf_token  # noqa: F401 - the page carries it; the browser sends it

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
SCREENSHOT = os.environ.get("PLANSCAN_REVIEW_SCREENSHOT")  # e.g. docs/review.png

pytestmark = pytest.mark.browser


def _have_browser() -> bool:
    return Path(CHROMIUM).is_file() and Path(DRIVER).is_file()


@pytest.fixture()
def server(store_path):
    import uvicorn

    from planscan.review.app import create_app

    token = "browser-token-0123456789"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(store_path, token, reviewer="tester"), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def browser(tmp_path):
    if not _have_browser():
        pytest.skip(f"{CHROMIUM} or {DRIVER} not installed (make test installs chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1500,1000"):
        opts.add_argument(arg)
    # the driver is given by path, so Selenium Manager never looks for (or downloads) one
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def test_review_a_figure_in_the_browser(server, browser, store_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    base, token = server
    with Store(store_path) as s:
        doc = s.query("SELECT id FROM documents WHERE input_kind='batch-output'")[0]["id"]
        other = s.query("SELECT id FROM documents WHERE input_kind!='batch-output'")[0]["id"]
    wait = WebDriverWait(browser, 30)
    browser.get(f"{base}/?token={token}")
    assert "token=" not in browser.current_url  # taken out of the address bar, kept in a cookie
    browser.get(f"{base}/doc/{doc}")
    wait.until(lambda d: d.execute_script("return [...document.images].every(i => i.complete && i.naturalWidth > 0)"
                                          " || document.querySelectorAll('.box').length > 0"))
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".page[data-page='1'] .box")))
    fig_id = int(box.get_attribute("data-fig"))
    box.click()
    row = browser.find_element(By.CSS_SELECTOR, f"#figures tr[data-id='{fig_id}']")
    assert "selected" in row.get_attribute("class")  # the box selected its row
    # keyboard: e edits the value, Enter saves
    browser.find_element(By.TAG_NAME, "body").send_keys("e")
    value = browser.find_element(By.CSS_SELECTOR, "#editor input[name=value]")
    assert browser.switch_to.active_element == value
    value.send_keys(Keys.CONTROL, "a")
    value.send_keys("4321", Keys.ENTER)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f"#figures tr[data-id='{fig_id}'] .c-status").text == "corrected")
    # saved, the editor lets go of the keys: j moves on and a accepts the next figure, typed
    # where the focus is, as a person at the keyboard would
    assert browser.switch_to.active_element != value
    ActionChains(browser).send_keys("j").perform()
    wait.until(lambda d: "selected" not in d.find_element(By.CSS_SELECTOR, f"#figures tr[data-id='{fig_id}']").get_attribute("class"))
    ActionChains(browser).send_keys("a").perform()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#figures tr.status-accepted"))
    if SCREENSHOT:
        browser.find_element(By.TAG_NAME, "body").send_keys("k")
        time.sleep(0.5)
        out = ROOT / SCREENSHOT
        out.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(out))
    with Store(store_path) as s:
        reviews = {(r["indicator_id"], r["field"], r["new_value"], r["reviewer"]) for r in s.review_history(doc)}
        assert (fig_id, "value", "4321.0", "tester") in reviews
        key = s.figures(doc, indicator_id=fig_id)[0]["key"]
    diff = subprocess.run([sys.executable, "-m", "planscan.cli", "diff", "--db", str(store_path), str(other), str(doc),
                           "--format", "csv"], capture_output=True, text=True, timeout=300)
    assert diff.returncode == 0, diff.stderr
    line = next(ln for ln in diff.stdout.splitlines() if ln.startswith(key + ",") and "4321" in ln)
    assert "reviewed" in line
    unreviewed = subprocess.run([sys.executable, "-m", "planscan.cli", "diff", "--db", str(store_path), str(other),
                                 str(doc), "--format", "csv", "--unreviewed"], capture_output=True, text=True, timeout=300)
    assert "4321" not in unreviewed.stdout
