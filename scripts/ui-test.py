#!/usr/bin/env python3
"""The web UI's browser tests: drives headless Chromium over the DevTools pipe (standard library only) through
one scenario against a running `logsift serve`, prints `PASS name` or `FAIL name: why` per check, and exits 1
on any failure. Screenshots go to OUTDIR. The Swift suite WebUIFeatureTests runs each scenario.
Usage: ui-test.py CHROMIUM BASE_URL PROFILE_DIR OUTDIR SCENARIO"""
import os, subprocess, json, sys, time, base64, datetime
chromium, base, udd, outdir, scenario = sys.argv[1:6]
os.makedirs(outdir, exist_ok=True)
r3, w3 = os.pipe(); r4, w4 = os.pipe()
def child():
    os.dup2(r3, 3); os.dup2(w4, 4)
p = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--user-data-dir=" + udd,
                      "--hide-scrollbars", "--force-color-profile=srgb", "about:blank"],
                     pass_fds=sorted({3, 4, r3, w4}), preexec_fn=child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(r3); os.close(w4)
buf = b""; n = 0; logged = []
failures = 0

def send(method, params=None, session=None):
    global n, buf
    n += 1
    msg = {"id": n, "method": method, "params": params or {}}
    if session: msg["sessionId"] = session
    os.write(w3, json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" not in buf:
            chunk = os.read(r4, 1 << 20)
            if not chunk: raise SystemExit("chromium closed the pipe")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        m = json.loads(raw)
        if m.get("id") == n:
            if "error" in m: raise SystemExit("CDP error in %s: %s" % (method, m["error"]))
            return m["result"]
        if m.get("method") in ("Runtime.exceptionThrown", "Log.entryAdded", "Runtime.consoleAPICalled"):
            logged.append(json.dumps(m.get("params"))[:400])

tid = send("Target.createTarget", {"url": "about:blank"})["targetId"]
sid = send("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
def cdp(method, params=None): return send(method, params, sid)
cdp("Runtime.enable"); cdp("Log.enable"); cdp("Page.enable")

def js(expr):
    r = cdp("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
    if "exceptionDetails" in r: raise SystemExit("script error: %s in %s" % (r["exceptionDetails"].get("exception", {}).get("description"), expr[:200]))
    return r["result"].get("value")

def wait(expr, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        v = js(expr)
        if v: return v
        time.sleep(0.1)
    return js(expr)

def check(name, ok, detail=""):
    global failures
    if ok: print("PASS", name)
    else:
        failures += 1
        print("FAIL %s: %s" % (name, detail))

def size(w, h, mobile=False):
    cdp("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile})

def goto(fragment):
    # A fresh page each time (a fragment change alone would stay in the same document).
    cdp("Page.navigate", {"url": "about:blank"})
    time.sleep(0.1)
    cdp("Page.navigate", {"url": base + "/#" + fragment})
    time.sleep(0.3)
    wait("document.readyState === 'complete'")

def shot(name):
    js("window.scrollTo(0, 0)")
    time.sleep(0.2)
    data = cdp("Page.captureScreenshot", {"format": "png"})["data"]
    open(os.path.join(outdir, name + ".png"), "wb").write(base64.b64decode(data))

def mouse(kind, x, y, buttons=0):
    cdp("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left" if kind != "mouseMoved" else "none", "buttons": buttons, "clickCount": 1})

def click(selector):
    r = js("(() => { const e = document.querySelector(%s); if (!e) return null; e.scrollIntoView({block:'center'}); const b = e.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; })()" % json.dumps(selector))
    if not r: raise SystemExit("nothing matches %s" % selector)
    mouse("mouseMoved", r[0], r[1]); mouse("mousePressed", r[0], r[1], 1); mouse("mouseReleased", r[0], r[1])

def key(k, code=None):
    params = {"key": k, "code": code or k, "windowsVirtualKeyCode": {"ArrowDown": 40, "ArrowUp": 38, "Enter": 13, "/": 191}.get(k, 0)}
    if k == "Enter": params["text"] = "\r"
    if k == "/": params["text"] = "/"
    cdp("Input.dispatchKeyEvent", {"type": "keyDown", **params})
    cdp("Input.dispatchKeyEvent", {"type": "keyUp", **params})

def rows(): return js("document.querySelectorAll('#rows .ev').length")
def summary(): return js("document.getElementById('summary').textContent")
def frag(): return js("decodeURIComponent(location.hash)")
def searched(): return wait("document.getElementById('summary').textContent.length > 0 && !document.getElementById('summary').dataset.stale")
def research():
    js("document.getElementById('summary').textContent = ''")

def no_errors(name):
    bad = [l for l in logged if "Content Security Policy" in l or "Refused" in l or "exception" in l.lower() or '"level": "error"' in l]
    check(name + ": no script errors or policy violations", not bad, "; ".join(bad[:3]))

def inert(name):
    check(name + ": markup stayed text", js("document.title") == "logsift" and js("document.querySelectorAll('img, script:not([src])').length") == 0,
          "title=%r" % js("document.title"))

size(1280, 800)

if scenario == "quick-range":
    goto("q=deployment:payments&from=now-24h")
    searched()
    day = int(summary().split()[0])
    research(); click("#quick button[data-range='15m']"); wait("document.getElementById('summary').textContent")
    f = frag()
    check("15m sets the range in the URL", "from=now-15m" in f, f)
    s = summary()
    check("15m finds the recent events only", 0 < int(s.split()[0]) <= 28 < day, s)
    check("pickers show the range", bool(js("document.getElementById('from-abs').value")) and js("document.getElementById('from-abs').value") < js("document.getElementById('to-abs').value"))
    check("the pressed button is marked", js("document.querySelector(\"#quick button[data-range='15m']\").getAttribute('aria-pressed')") == "true")
    research(); click("#quick button[data-range='7d']"); wait("document.getElementById('summary').textContent")
    s7 = summary()
    check("7d finds the week", int(s7.split()[0]) > day, s7)
    research(); click("#quick button[data-range='prevweek']"); wait("document.getElementById('summary').textContent")
    f = frag()
    check("previous ISO week: absolute Monday-to-Monday range in the URL", "from=20" in f and "to=20" in f, f)
    # An absolute range typed in the pickers (in the browser's zone), read back from the URL.
    research()
    js("(() => { const i = document.getElementById('from-abs'); i.value = '2020-01-01T00:00:00.000'; i.dispatchEvent(new Event('change')); })()")
    wait("document.getElementById('summary').textContent")
    check("an absolute from in the URL", "from=20" in frag() and summary().startswith("28 matching") is False, frag())
    # Times: the browser's zone to the millisecond; the UTC toggle.
    goto("q=deployment:payments&from=now-15m")
    wait("document.querySelectorAll('#rows .ev').length")
    t = js("document.querySelector('#rows .ev span').textContent")
    check("times to the millisecond", len(t) == 23 and t[19] == ".", t)
    click("#utc"); wait("document.querySelector('#rows .ev span') && document.querySelector('#rows .ev span').textContent.endsWith('Z')")
    check("UTC toggle shows UTC times and goes in the URL", js("document.querySelector('#rows .ev span').textContent").endswith("Z") and "utc=1" in frag(), frag())
    # Auto-refresh keeps the interval in the URL.
    js("(() => { const s = document.getElementById('refresh'); s.value = '5'; s.dispatchEvent(new Event('change')); })()")
    check("auto-refresh in the URL", "refresh=5" in frag(), frag())
    no_errors("quick-range")

elif scenario == "zoom":
    goto("q=&from=now-7d")
    wait("document.querySelectorAll('#hist g').length")
    check("histogram bars stacked by level", js("document.querySelectorAll('#hist rect.lv-error').length") > 0 and js("document.querySelectorAll('#hist rect.lv-info').length") > 0)
    labels = js("Array.from(document.querySelectorAll('#hist text.tick')).map(t => t.textContent)")
    check("time axis with labels", len(labels) >= 4 and all(len(l) >= 5 for l in labels), labels)
    b = js("(() => { const r = document.getElementById('hist').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()")
    y = b[1] + b[3] / 2
    mouse("mouseMoved", b[0] + b[2] * 0.8, y)
    tip = wait("(() => { const t = document.getElementById('hist-tip'); return !t.classList.contains('hidden') && t.textContent; })()")
    check("hover shows the bucket's counts", bool(tip) and "events" in tip, tip)
    before = summary()
    research()
    mouse("mouseMoved", b[0] + b[2] * 0.5, y); mouse("mousePressed", b[0] + b[2] * 0.5, y, 1)
    mouse("mouseMoved", b[0] + b[2] * 0.6, y, 1); mouse("mouseMoved", b[0] + b[2] * 0.7, y, 1)
    mouse("mouseReleased", b[0] + b[2] * 0.7, y)
    wait("document.getElementById('summary').textContent")
    f = frag()
    after = summary()
    check("drag zooms: absolute range in the URL", "from=20" in f and "to=20" in f, f)
    check("drag zooms: fewer events", int(after.split()[0]) < int(before.split()[0]) and int(after.split()[0]) > 0, before + " / " + after)
    no_errors("zoom")

elif scenario == "fields":
    goto("q=deployment:payments&from=now-7d")
    wait("document.querySelectorAll('#fields .field').length")
    names = js("Array.from(document.querySelectorAll('#fields .field')).map(f => f.dataset.field)")
    check("field list has labels and structured fields", all(n in names for n in ["deployment", "level", "pod", "user", "route"]), names)
    click("#fields .field[data-field='level'] button.name")
    vals = js("Array.from(document.querySelectorAll(\"#fields .field[data-field='level'] li .v\")).map(v => v.textContent)")
    shares = js("Array.from(document.querySelectorAll(\"#fields .field[data-field='level'] li .muted\")).map(v => v.textContent)")
    check("top values with shares", "info" in vals and "error" in vals and all(s.endswith("%") for s in shares), (vals, shares))
    shot("search-fields-1280")
    size(390, 844, True); time.sleep(0.4); shot("search-fields-390")
    check("phone width: nothing wider than the screen", js("document.documentElement.scrollWidth") <= 390, js("document.documentElement.scrollWidth"))
    size(1280, 800); time.sleep(0.2)
    research()
    js("(() => { for (const li of document.querySelectorAll(\"#fields .field[data-field='level'] li\")) if (li.querySelector('.v').textContent === 'error') li.querySelector('button.plus').click(); })()")
    wait("document.getElementById('summary').textContent")
    q = js("document.getElementById('q').value")
    check("+ adds field:value to the query", q == 'deployment:payments and level:"error"', q)
    lv = js("Array.from(new Set(Array.from(document.querySelectorAll('#rows .ev span:nth-child(2)')).map(s => s.textContent)))")
    check("and the rows follow it", lv == ["error"], lv)
    research()
    click("#fields .field[data-field='user'] button.name")
    js("document.querySelector(\"#fields .field[data-field='user'] li button.minus\").click()")
    wait("document.getElementById('summary').textContent")
    q = js("document.getElementById('q').value")
    check("− adds not field:value", q.startswith('deployment:payments and level:"error" and not user:"u'), q)
    no_errors("fields")

elif scenario == "columns":
    goto("q=deployment:payments&from=now-7d")
    wait("document.querySelectorAll('#fields .field').length")
    click("#fields .field[data-field='user'] button.col")
    wait("Array.from(document.querySelectorAll('#grid-head span')).some(s => s.textContent === 'user')")
    head = js("Array.from(document.querySelectorAll('#grid-head span')).map(s => s.textContent)")
    check("chosen field becomes a column", head == ["time", "level", "user", "message"], head)
    cell = js("document.querySelector('#rows .ev span:nth-child(3)').textContent")
    check("the column shows the field's values", cell.startswith("u"), cell)
    check("columns in the URL", "cols=user" in frag(), frag())
    click("#fields .field[data-field='route'] button.col")
    goto("q=deployment:payments&from=now-7d&cols=user,route")
    wait("document.querySelectorAll('#rows .ev').length")
    head = js("Array.from(document.querySelectorAll('#grid-head span')).map(s => s.textContent)")
    check("columns come back from the URL", head == ["time", "level", "user", "route", "message"], head)
    # The dark theme follows the system.
    light = js("getComputedStyle(document.body).backgroundColor")
    cdp("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    time.sleep(0.3)
    dark = js("getComputedStyle(document.body).backgroundColor")
    check("dark theme when the system asks for it", light == "rgb(246, 247, 249)" and dark == "rgb(15, 20, 25)", (light, dark))
    shot("search-dark-1280")
    cdp("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    no_errors("columns")

elif scenario == "context":
    goto("q=deployment:cart and xsscheck&from=now-7d")
    wait("document.querySelectorAll('#rows .ev').length")
    click("#rows .ev")
    wait("!document.getElementById('doc').classList.contains('hidden')")
    table = js("document.querySelector('#doc .doc-table').textContent")
    check("the document shows fields as a table", "<img src=x onerror=document.title='pwned3'>" in table and "<svg onload=document.title='pwned4'>" in table, table[:300])
    click("#doc button[data-view='json']")
    j = js("document.querySelector('#doc .doc-json').textContent")
    check("and as JSON", json.loads(j)["fields"]["<img src=x onerror=document.title='pwned3'>"] == "<svg onload=document.title='pwned4'>", j[:200])
    click("#doc button[data-view='context']")
    wait("document.querySelectorAll('#doc tr.ctx').length")
    check("context: the container's neighbours", js("document.querySelectorAll('#doc tr.ctx').length") >= 5 and js("document.querySelectorAll('#doc tr.hit').length") == 1)
    inert("context")
    click("#doc button.copy-link")
    url = wait("document.querySelector('#doc button.copy-link').dataset.url")
    check("copy-link names the event's stream and time", url and "from=" in url and "cart" in url, url)
    research(); click("#doc button.show-context")
    wait("document.getElementById('summary').textContent")
    q = js("document.getElementById('q').value")
    check("show in context searches the container around the time", q.startswith('deployment:"cart"') and "xsscheck" not in q and int(summary().split()[0]) > 1, q + " " + summary())
    # Keyboard: / focuses the query, arrows move over rows, Enter opens one.
    goto("q=deployment:payments&from=now-15m")
    wait("document.querySelectorAll('#rows .ev').length")
    js("document.activeElement.blur()"); key("/")
    check("/ focuses the query", js("document.activeElement.id") == "q")
    key("ArrowDown"); key("ArrowDown"); key("Enter")
    wait("!document.getElementById('doc').classList.contains('hidden')")
    check("arrows and Enter open the second row", js("document.querySelector('#rows .ev.active').dataset.index") == "1")
    no_errors("context")

elif scenario == "saved":
    goto("q=deployment:checkout and level:error&from=now-7d")
    wait("document.querySelectorAll('#rows .ev').length")
    click("#saved-box summary"); wait("document.getElementById('saved-list').children.length")
    js("document.getElementById('save-name').value = 'checkout <b>errors</b>'")
    click("#save")
    wait("document.querySelector(\"#saved-list li[data-name]\")")
    check("a saved search is listed", js("document.querySelector('#saved-list li[data-name] button.open').textContent") == "checkout <b>errors</b>")
    goto("q=&from=now-15m")
    wait("document.getElementById('summary').textContent")
    research()
    click("#saved-box summary"); wait("document.querySelector('#saved-list li[data-name]')")
    click("#saved-list li[data-name] button.open")
    wait("document.getElementById('summary').textContent")
    check("opening it runs its query and range", js("document.getElementById('q').value") == "deployment:checkout and level:error" and "from=now-7d" in frag(), frag())
    inert("saved")
    no_errors("saved")

elif scenario == "report":
    # The week of three days ago: the world's logs span the last seven days.
    y, w, _ = (datetime.date.today() - datetime.timedelta(days=3)).isocalendar()
    goto("tab=report&week=%d-W%02d" % (y, w))
    wait("document.getElementById('report').srcdoc.length > 0")
    time.sleep(0.5)
    h1 = js("(() => { const d = document.getElementById('report').contentDocument; return d && d.querySelector('h1') ? d.querySelector('h1').textContent : null; })()")
    styled = js("(() => { const d = document.getElementById('report').contentDocument; return d && d.body ? getComputedStyle(d.body).fontFamily : null; })()")
    check("the report renders as HTML in the page", bool(h1), h1)
    check("with its style sheet applied", bool(styled) and "serif" in styled.lower() or "system" in (styled or "").lower() or "sans" in (styled or "").lower(), styled)
    check("the frame runs no scripts", "allow-scripts" not in js("document.getElementById('report').getAttribute('sandbox')"))
    check("week picker shows the week", js("document.getElementById('week').value") == "%d-W%02d" % (y, w), js("document.getElementById('week').value"))
    check("the report covers that week", ("%d-W%02d" % (y, w)) in (h1 or ""), h1)
    shot("report-1280")
    no_errors("report")

elif scenario == "failures":
    goto("tab=failures&from=now-8d")
    wait("document.querySelectorAll('#failures .vrow').length")
    groups = js("Array.from(document.querySelectorAll('#failures .group')).map(g => g.dataset.deployment)")
    check("failures grouped by deployment", "payments" in groups and "checkout" in groups, groups)
    wait("document.querySelectorAll('#failures svg.sparkline').length >= 2")
    check("a sparkline per version", js("document.querySelectorAll('#failures svg.sparkline').length") >= 2)
    check("links to the rollout that introduced them", "2.0.0" in (js("document.querySelector(\"#failures .group[data-deployment='payments'] a.rollout-link\").textContent") or ""))
    shot("failures-1280")
    click("#failures .group[data-deployment='payments'] a.rollout-link")
    wait("document.querySelectorAll('#timeline .lane').length")
    lanes = js("Array.from(document.querySelectorAll('#timeline .lane')).map(l => l.dataset.deployment)")
    check("rollouts: a timeline lane per deployment", len(lanes) == 5, lanes)
    check("rollouts as bars, failures as marks", js("document.querySelectorAll(\"#timeline .lane[data-deployment='payments'] rect.ro-bar\").length") >= 2 and js("document.querySelectorAll(\"#timeline .lane[data-deployment='payments'] line.fmark\").length") >= 1)
    check("rows below, the introducing rollout marked", "2.0.0" in (js("document.querySelector('#deployments tr.focus') && document.querySelector('#deployments tr.focus').textContent") or ""))
    shot("rollouts-1280")
    size(390, 844, True); time.sleep(0.4); shot("rollouts-390"); size(1280, 800)
    goto("tab=failures&from=now-8d")
    wait("document.querySelectorAll('#failures .vrow').length")
    research(); click("#failures .group[data-deployment='payments'] a.ctx-link")
    wait("document.getElementById('summary').textContent")
    check("a group's context link searches its failures", js("document.getElementById('q').value") == 'deployment:"payments" and kind:failure' and summary().startswith("60 matching"), summary())
    no_errors("failures")

elif scenario == "bulk":
    goto("q=deployment:search&from=now-8d")
    wait("document.getElementById('summary').textContent")
    js("(() => { const s = document.getElementById('limit'); s.value = '10000'; s.dispatchEvent(new Event('change')); })()")
    wait("document.getElementById('summary').textContent.includes('10000 shown')", 30)
    check("10,000 rows loaded", "10000 shown" in summary(), summary())
    check("only the visible rows are in the DOM", rows() < 120, rows())
    t0 = time.time()
    js("document.getElementById('viewport').scrollTop = 24 * 9000")
    time.sleep(0.2)
    idx = js("Math.max(...Array.from(document.querySelectorAll('#rows .ev')).map(r => Number(r.dataset.index)))")
    check("scrolling far renders the rows there", idx >= 9000, idx)
    check("scrolling is quick", time.time() - t0 < 2)
    no_errors("bulk")

elif scenario == "xss":
    goto("q=xsscheck&from=now-7d")
    wait("document.querySelectorAll('#rows .ev').length")
    msg = js("document.querySelector('#rows .ev .msg').textContent")
    check("message markup shown as text", "<img src=x onerror=" in msg, msg)
    click("#fields .field[data-field=\"<img src=x onerror=document.title='pwned3'>\"] button.name")
    js("document.querySelector(\"#fields .field[data-field=\\\"<img src=x onerror=document.title='pwned3'>\\\"] button.plus\").click()")
    wait("document.getElementById('q').value.includes('pwned3')")
    q = js("document.getElementById('q').value")
    check("a field name with markup becomes an escaped KQL field", "pwned4" in q, q)
    wait("document.getElementById('summary').textContent")
    check("and finds the event", summary().startswith("1 matching"), summary() + " " + js("document.getElementById('err').textContent"))
    click("#fields .field[data-field=\"<img src=x onerror=document.title='pwned3'>\"] button.col")
    wait("document.querySelectorAll('#grid-head span').length == 4")
    click("#rows .ev")
    goto("tab=failures&from=now-8d"); wait("document.querySelectorAll('#failures .vrow').length")
    goto("tab=deployments&from=now-8d"); wait("document.querySelectorAll('#timeline .lane').length")
    inert("xss")
    no_errors("xss")
else:
    raise SystemExit("unknown scenario " + scenario)

send("Browser.close")
p.wait(timeout=10)
print("%d failed" % failures)
sys.exit(1 if failures else 0)
