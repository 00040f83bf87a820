#!/usr/bin/env python3
"""Drives the `outfall review` page in headless Chromium (Selenium + Debian's chromium-driver), as an analyst
would: load, move with the keyboard, accept one candidate and reject another (with a reason), reload and check
the decisions are still there, then provoke a conflict (another analyst decides first) and check the page says so.

Usage: review_page.py URL     (prints a JSON summary on stdout; exit 0 ok, 1 a check failed, 2 missing tools)
Run by Tests/OutfallCLITests/ReviewBrowserTests.swift; needs `bash .ci/setup --tests` (chromium, chromium-driver, selenium).
"""
import json
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

TIMEOUT = 90  # seconds for each wait; generous for slow CI machines


def fail(msg, code=2):
    print("review_page: " + msg, file=sys.stderr)
    sys.exit(code)


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    fail("python3 cannot import selenium: run `bash .ci/setup --tests` (it runs `pip install selenium`)")

browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
driver_path = shutil.which("chromedriver") or next((p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if os.path.exists(p)), None)
if not browser:
    fail("chromium is not installed: run `bash .ci/setup --tests` (apt-get install chromium chromium-driver)")
if not driver_path:
    fail("chromedriver is not installed: run `bash .ci/setup --tests` (apt-get install chromium-driver)")
if len(sys.argv) != 2:
    fail("usage: review_page.py URL")

url = sys.argv[1]
base = url.split("?")[0].rstrip("/")


def step(msg):
    print("review_page: " + msg, file=sys.stderr, flush=True)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


with urllib.request.urlopen(base + "/api/candidates", timeout=TIMEOUT) as r:
    candidates = json.load(r)
ids = [c["id"] for c in sorted(candidates, key=lambda c: c["rank"])]
check(len(ids) >= 4, "the run needs at least 4 candidates, has %d" % len(ids))

opts = Options()
opts.binary_location = browser
for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000",
          "--no-first-run", "--no-default-browser-check", "--disable-extensions"):
    opts.add_argument(a)
profile = tempfile.mkdtemp(prefix="outfall-review-chromium-")
opts.add_argument("--user-data-dir=" + profile)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})

step("starting %s with %s" % (browser, driver_path))
drv = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
result = {"ids": ids}
try:
    drv.set_page_load_timeout(TIMEOUT)
    wait = WebDriverWait(drv, TIMEOUT)

    def js(script, *args):
        return drv.execute_script(script, *args)

    def title():
        return js("return document.getElementById('cand-title').textContent")

    def row_state(cid):
        return js("const r = document.querySelector('#list tbody tr[data-id=\"' + arguments[0] + '\"]'); return r ? r.dataset.state : null", cid)

    def wait_for(cond, what):
        try:
            wait.until(lambda d: cond())
        except Exception:
            raise AssertionError("timed out waiting for " + what + " (title: %r)" % title())

    def keys(*ks):
        ActionChains(drv).send_keys(*ks).perform()

    def loaded():
        wait_for(lambda: js("return document.body.dataset.ready === '1'"), "the page to load")
        wait_for(lambda: js("return document.querySelectorAll('#list tbody tr').length") == len(ids), "the candidate list")

    step("loading " + base)
    drv.get(url)
    loaded()
    check(title().startswith(ids[0]), "first candidate not selected: %r" % title())

    # The reviewer's name, remembered in localStorage; Escape leaves the box so keys go to the page.
    box = drv.find_element(By.ID, "reviewer")
    box.clear()
    box.send_keys("Ana Analyst")
    box.send_keys(Keys.ESCAPE)

    step("n → next, a → accept")
    keys("n")
    wait_for(lambda: title().startswith(ids[1]), "n to select " + ids[1])
    keys("a")
    wait_for(lambda: row_state(ids[1]) == "accepted", ids[1] + " accepted")
    wait_for(lambda: title().startswith(ids[2]), "the page to move on to " + ids[2])

    step("r, 2 → reject as glint")
    keys("r")
    wait_for(lambda: drv.find_element(By.ID, "reasons").is_displayed(), "the reason list")
    keys("2")
    wait_for(lambda: row_state(ids[2]) == "rejected", ids[2] + " rejected")
    wait_for(lambda: title().startswith(ids[3]), "the page to move on to " + ids[3])

    step("p / j move back and forth")
    keys("p")
    wait_for(lambda: title().startswith(ids[2]), "p to go back to " + ids[2])
    keys("j")
    wait_for(lambda: title().startswith(ids[3]), "j to go on to " + ids[3])

    step("map tiles and chips")
    wait_for(lambda: js("return [...document.querySelectorAll('#tiles img')].some(i => i.complete && i.naturalWidth === 256)"), "a map tile")
    wait_for(lambda: js("const i = document.getElementById('chip-rgb'); return i.complete && i.naturalWidth === 240"), "the RGB chip")
    wait_for(lambda: js("const i = document.getElementById('chip-thermal'); return i.complete && i.naturalWidth === 240"), "the thermal chip")
    check(js("return document.querySelectorAll('#overlay polygon').length") > 0, "no plume outline drawn")
    keys("t")
    wait_for(lambda: js("return document.getElementById('layer').value") == "thermal", "t to switch to the thermal layer")
    wait_for(lambda: js("return [...document.querySelectorAll('#tiles img')].some(i => i.complete && i.naturalWidth === 256 && i.src.includes('/tiles/thermal/'))"), "a thermal tile")

    step("reload: decisions kept")
    drv.refresh()
    loaded()
    check(row_state(ids[1]) == "accepted", "%s is %r after reload" % (ids[1], row_state(ids[1])))
    check(row_state(ids[2]) == "rejected", "%s is %r after reload" % (ids[2], row_state(ids[2])))
    check(js("return document.getElementById('reviewer').value") == "Ana Analyst", "reviewer name not remembered")
    check(title().startswith(ids[3]), "the page did not come back to %s: %r" % (ids[3], title()))
    result["progress"] = js("return document.getElementById('progress').textContent")

    step("conflict: another analyst decides %s first" % ids[3])
    body = json.dumps({"state": "accepted", "reviewer": "Other Analyst", "version": 0}).encode()
    req = urllib.request.Request(base + "/api/candidates/%s/decision" % ids[3], data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
        check(r.status == 200, "the other analyst's decision failed: %d" % r.status)
    keys("u")
    wait_for(lambda: drv.find_element(By.ID, "banner").is_displayed(), "the conflict banner")
    banner = drv.find_element(By.ID, "banner-text").text
    check("Other Analyst" in banner and "not saved" in banner, "banner does not explain the conflict: %r" % banner)
    wait_for(lambda: row_state(ids[3]) == "accepted", "the other analyst's decision to be shown")
    result["banner"] = banner

    severe = [e["message"] for e in drv.get_log("browser")
              if e.get("level") == "SEVERE" and "status of 409" not in e["message"] and "favicon" not in e["message"]]
    check(not severe, "browser console errors: %r" % severe)
    result.update({"accepted": ids[1], "rejected": ids[2], "conflict": ids[3]})
except AssertionError as e:
    print(json.dumps(result))
    fail("check failed: %s" % e, code=1)
finally:
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)

print(json.dumps(result))
