#!/usr/bin/env python3
"""Opens a sign-in link in headless Chromium, presses its "Sign in" button as a person would, and saves a screenshot
and the DOM of the page it lands on (the annotation page).

A sign-in link's GET only shows a confirmation page (link previews must not use it up), so the browser has to press
the button: this drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in, fd 4 out,
messages ending in NUL), with nothing but the standard library.

usage: browse-annotation-page.py BROWSER LINK SCREENSHOT DOM [CHROMIUM FLAG...]
"""
import base64
import fcntl
import json
import os
import subprocess
import sys


class Browser:
    def __init__(self, executable, flags):
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        # Out of the way of 3 and 4, so that dup2 below always makes fresh, inheritable descriptors.
        high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
        high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_browser_read, from_browser_write):
            os.close(fd)

        def attach_pipe():
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self.process = subprocess.Popen([executable, *flags, "--remote-debugging-pipe", "about:blank"],
                                        preexec_fn=attach_pipe, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=sys.stderr)
        os.close(high_read)
        os.close(high_write)
        self.output = os.fdopen(to_browser_write, "wb", buffering=0)
        self.input = os.fdopen(from_browser_read, "rb", buffering=0)
        self.buffer = b""
        self.events = []
        self.next_id = 0
        self.session = None

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = self.input.read(65536)
            if not chunk:
                raise SystemExit("browse-annotation-page: the browser closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.output.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise SystemExit(f"browse-annotation-page: {method} failed: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event):
        while True:
            for index, seen in enumerate(self.events):
                if seen["method"] == event:
                    del self.events[: index + 1]
                    return seen
            self.events.append(self._read_message())

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except SystemExit:
            pass
        self.process.wait(timeout=30)


def main():
    if len(sys.argv) < 5:
        raise SystemExit(__doc__)
    executable, link, screenshot, dom = sys.argv[1:5]
    browser = Browser(executable, sys.argv[5:])
    target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
    browser.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
    browser.call("Page.enable")

    browser.call("Page.navigate", {"url": link})
    browser.wait_for("Page.loadEventFired")
    found = browser.call("Runtime.evaluate", {"expression": "document.querySelector('form button[type=submit]') !== null",
                                              "returnByValue": True})
    if not found["result"].get("value"):
        raise SystemExit("browse-annotation-page: the sign-in link's page has no button to press")
    browser.call("Runtime.evaluate", {"expression": "document.querySelector('form button[type=submit]').click()"})
    browser.wait_for("Page.loadEventFired")

    png = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"})["data"])
    html = browser.call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML", "returnByValue": True})
    save(((screenshot, png), (dom, html["result"]["value"].encode())))
    browser.close()


def save(outputs):
    """Writes each (path, bytes) under a temporary name and renames it into place."""
    for path, data in outputs:
        with open(path + ".tmp", "wb") as file:
            file.write(data)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
