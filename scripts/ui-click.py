#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools pipe (no extra packages): opens the web UI at URL, waits for
result rows, clicks the first one and prints what its document panel shows (fields, then context: how many context rows), <img>
elements and the document title. Used by the web UI browser tests: python3 scripts/ui-click.py CHROMIUM URL PROFILE_DIR."""
import os, subprocess, json, sys, time
chromium, url, udd = sys.argv[1], sys.argv[2], sys.argv[3]
r3, w3 = os.pipe(); r4, w4 = os.pipe()
def child():
    os.dup2(r3, 3); os.dup2(w4, 4)
p = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--user-data-dir=" + udd, "about:blank"],
                     pass_fds=sorted({3, 4, r3, w4}), preexec_fn=child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(r3); os.close(w4)
buf = b""; n = 0
def send(method, params=None, session=None):
    global n, buf
    n += 1
    msg = {"id": n, "method": method, "params": params or {}}
    if session: msg["sessionId"] = session
    os.write(w3, json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" not in buf:
            chunk = os.read(r4, 65536)
            if not chunk: raise SystemExit("chromium closed the pipe")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        m = json.loads(raw)
        if m.get("id") == n:
            if "error" in m: raise SystemExit("CDP error: %s" % m["error"])
            return m["result"]
tid = send("Target.createTarget", {"url": url})["targetId"]
sid = send("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
def js(expr):
    r = send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True}, sid)
    return r["result"].get("value")
deadline = time.time() + 20
while time.time() < deadline and not js("document.querySelectorAll('#rows .ev').length"):
    time.sleep(0.1)
print("ROWS", js("document.querySelectorAll('#rows .ev').length"))
js("document.querySelector('#rows .ev').click()")
time.sleep(0.3)
print("DETAIL", json.dumps(js("(() => { const d = document.querySelector('#doc:not(.hidden) .doc-table'); return d ? d.textContent : null })()")))
js("document.querySelector('#doc button[data-view=context]').click()")
deadline = time.time() + 10
while time.time() < deadline and not js("document.querySelectorAll('#doc tr.ctx').length"):
    time.sleep(0.1)
print("CTXROWS", js("document.querySelectorAll('#doc tr.ctx').length"))
print("CTXTEXT", json.dumps(js("document.querySelector('#doc .doc-context').textContent")))
print("IMGS", js("document.querySelectorAll('img').length"))
print("TITLE", js("document.title"))
send("Browser.close")
p.wait(timeout=10)
