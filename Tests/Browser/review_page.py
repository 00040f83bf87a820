#!/usr/bin/env python3
"""Drives the `outfall review` page in headless Chromium (Selenium + Debian's chromium-driver), as an analyst
would. In English: load, move with the keyboard, accept one candidate and reject another (with a reason), check
the Leaflet map (ortho and thermal tiles, plume outlines, the layer switch, a distance measured by clicking),
reload and check the decisions are still there, then provoke a conflict (another analyst decides first) and check
the page says so. In Chinese: the labels, states and key hints are Chinese, a decision made by keyboard persists
over a reload; a screenshot is saved when OUTFALL_REVIEW_SCREENSHOT names a file.

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
token = url.split("?token=")[1] if "?token=" in url else None


def page(lang):
    return base + "/?lang=" + lang + ("&token=" + token if token else "")


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

    def text(element_id):
        return js("return document.getElementById(arguments[0]).textContent", element_id)

    step("loading " + page("en"))
    drv.get(page("en"))
    loaded()
    check(js("return document.documentElement.lang") == "en", "the page is not in English")
    check("accept" in text("btn-accept") and "reviewed" in text("progress"), "English labels missing: %r" % text("btn-accept"))
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

    step("Leaflet map: tiles, outlines, layer switch, measure; chips")
    check(js("return typeof L === 'object' && !!document.querySelector('#map.leaflet-container')"), "Leaflet did not load")
    tile = "return [...document.querySelectorAll('#map img.leaflet-tile')].some(i => i.complete && i.naturalWidth === 256 && i.src.includes(arguments[0]))"
    wait_for(lambda: js(tile, "/tiles/ortho/"), "an ortho map tile")
    wait_for(lambda: js("const i = document.getElementById('chip-rgb'); return i.complete && i.naturalWidth === 240"), "the RGB chip")
    wait_for(lambda: js("const i = document.getElementById('chip-thermal'); return i.complete && i.naturalWidth === 240"), "the thermal chip")
    check(js("return document.querySelectorAll('#map path.plume').length") > 0, "no plume outline drawn")
    check(js("return document.querySelectorAll('#map path.cand').length") == len(ids), "candidates not all drawn")
    check(js("return !!document.querySelector('#map .leaflet-control-scale-line')"), "no scale bar")
    check(js("return document.querySelectorAll('#map .leaflet-control-layers-base input').length") >= 2, "no layer switch")
    keys("t")
    wait_for(lambda: js("return document.getElementById('map').dataset.layer") == "thermal", "t to switch to the thermal layer")
    wait_for(lambda: js(tile, "/tiles/thermal/"), "a thermal tile")
    check("°C" in js("const e = document.querySelector('#map .thermal-legend'); return e ? e.textContent : ''"), "no thermal colour scale")
    keys("m")
    wait_for(lambda: js("return document.getElementById('map').classList.contains('measuring')"), "m to start measuring")
    m = drv.find_element(By.ID, "map")
    ActionChains(drv).move_to_element_with_offset(m, -100, 60).click().perform()
    ActionChains(drv).move_to_element_with_offset(m, 100, 60).click().perform()
    wait_for(lambda: float(js("return document.getElementById('map').dataset.measured || '0'")) > 0, "a measured distance")
    result["measured_m"] = float(js("return document.getElementById('map').dataset.measured"))
    keys(Keys.ESCAPE)
    wait_for(lambda: not js("return document.getElementById('map').classList.contains('measuring')"), "Esc to end measuring")

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

    step("Chinese: labels, key hints, a decision by keyboard persisted")
    drv.get(page("zh"))
    loaded()
    check(js("return document.documentElement.lang") == "zh-CN", "the page is not in Chinese")
    check("确认" in text("btn-accept") and "已复核" in text("progress"), "Chinese labels missing: %r / %r" % (text("btn-accept"), text("progress")))
    check("快捷键" in drv.find_element(By.TAG_NAME, "footer").text, "Chinese key hints missing")
    check(js("return document.querySelector('#list tbody tr[data-id=\"' + arguments[0] + '\"] .state').textContent", ids[1]) == "已确认",
          "state not shown in Chinese")
    check(title().startswith(ids[0]), "first candidate not selected: %r" % title())
    keys("u")
    wait_for(lambda: row_state(ids[0]) == "unsure", ids[0] + " unsure")
    wait_for(lambda: title().startswith(ids[1]), "the page to move on to " + ids[1])
    drv.get(page("zh"))
    loaded()
    check(row_state(ids[0]) == "unsure", "%s is %r after reload" % (ids[0], row_state(ids[0])))
    wait_for(lambda: js(tile, "/tiles/ortho/"), "an ortho map tile (zh)")
    wait_for(lambda: js("const i = document.getElementById('chip-thermal'); return i.complete && i.naturalWidth === 240"), "the thermal chip (zh)")
    result["progress_zh"] = text("progress")
    shot = os.environ.get("OUTFALL_REVIEW_SCREENSHOT")
    if shot:
        drv.save_screenshot(shot)
        result["screenshot"] = shot

    result.update({"accepted": ids[1], "rejected": ids[2], "conflict": ids[3], "unsure": ids[0]})
except AssertionError as e:
    print(json.dumps(result))
    fail("check failed: %s" % e, code=1)
finally:
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)

print(json.dumps(result))
