#!/usr/bin/env python3
"""Signs in to the admin pages in headless Chromium as a person would (types the admin token from RLHF_ADMIN_TOKEN
into the sign-in form and presses its button), then saves a screenshot and the DOM of the dashboard it lands on.

Drives Chromium over the DevTools protocol with the Browser class of browse-annotation-page.py.

usage: RLHF_ADMIN_TOKEN=… browse-admin-dashboard.py BROWSER BASE_URL SCREENSHOT DOM [CHROMIUM FLAG...]
"""
import base64
import importlib.util
import json
import os
import sys

spec = importlib.util.spec_from_file_location(
    "browse_annotation_page", os.path.join(os.path.dirname(os.path.abspath(__file__)), "browse-annotation-page.py"))
browsing = importlib.util.module_from_spec(spec)
spec.loader.exec_module(browsing)


def evaluate(browser, expression):
    return browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"].get("value")


def main():
    if len(sys.argv) < 5:
        raise SystemExit(__doc__)
    executable, base, screenshot, dom = sys.argv[1:5]
    token = os.environ.get("RLHF_ADMIN_TOKEN") or sys.exit("browse-admin-dashboard: RLHF_ADMIN_TOKEN is not set")
    browser = browsing.Browser(executable, sys.argv[5:])
    target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
    browser.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
    browser.call("Page.enable")

    browser.call("Page.navigate", {"url": base + "/admin"})
    browser.wait_for("Page.loadEventFired")
    if not evaluate(browser, "document.querySelector('form[action=\"/admin/sign-in\"] #token') !== null"):
        raise SystemExit("browse-admin-dashboard: /admin did not show the admin sign-in form")
    evaluate(browser, "document.getElementById('token').value = " + json.dumps(token) + ";"
                      "document.querySelector('form[action=\"/admin/sign-in\"] button[type=submit]').click(); true")
    browser.wait_for("Page.loadEventFired")

    # The whole page in one shot: the viewport grows to the document's height.
    height = evaluate(browser, "Math.ceil(document.documentElement.scrollHeight)") or 1100
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": int(height), "deviceScaleFactor": 1, "mobile": False})
    png = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"})["data"])
    html = evaluate(browser, "document.documentElement.outerHTML")
    browsing.save(((screenshot, png), (dom, html.encode())))
    browser.close()


if __name__ == "__main__":
    main()
