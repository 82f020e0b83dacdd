import Foundation

/// The web UI: one HTML page with its script and style inline, served at `GET /` to browsers. It fetches
/// nothing but this server's API (`connect-src 'self'`); every piece of log text is inserted with
/// `textContent`, never parsed as HTML. The page itself holds no data, so it is served without a token;
/// its API calls send the read token the user types (kept in sessionStorage).
enum WebUI {
    /// The page with `nonce` on its script and style, and the Content-Security-Policy that allows only them.
    static func page(nonce: String) -> (html: String, csp: String) {
        let csp = "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; connect-src 'self'; img-src 'none'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        return (html.replacingOccurrences(of: "NONCE", with: nonce), csp)
    }

    static func newNonce() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(g.next() as UInt64, radix: 36) }.joined()
    }

    static let html = #"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>logsift</title>
    <style nonce="NONCE">
    body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
    header{display:flex;gap:.5rem;align-items:center;padding:.5rem 1rem;background:#1b1f24;color:#fff}
    header b{margin-right:1rem} .grow{flex:1} nav button{background:none;border:0;color:#cfd6de;cursor:pointer;font:inherit;padding:.3rem .6rem}
    nav button[aria-selected=true]{color:#fff;border-bottom:2px solid #5aa9ff}
    main{padding:.75rem 1rem} form{display:flex;flex-wrap:wrap;gap:.4rem;margin-bottom:.5rem}
    input,select,button{font:inherit;padding:.3rem .45rem} #q{flex:1 1 30rem;font-family:ui-monospace,monospace}
    #err{white-space:pre;font-family:ui-monospace,monospace;color:#b3261e}
    #hist{display:flex;align-items:flex-end;gap:1px;height:60px;margin:.4rem 0;background:#fff;border:1px solid #dde}
    #hist div{flex:1;background:#5aa9ff;min-width:1px}
    table{border-collapse:collapse;width:100%;background:#fff} td,th{padding:.2rem .4rem;border-bottom:1px solid #eceef1;vertical-align:top;text-align:left}
    td.msg{font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-all} tr.ev{cursor:pointer} tr.ev:focus{outline:2px solid #5aa9ff}
    .error,.fatal{color:#b3261e}.warn{color:#8a5a00} pre{white-space:pre-wrap;word-break:break-all;background:#fff;padding:.5rem}
    tr.ctx td{background:#fafbfc;color:#57606a} .cards{display:flex;flex-wrap:wrap;gap:.75rem} .card{background:#fff;padding:.5rem;border:1px solid #dde;display:flex;flex-direction:column}
    .card svg text{font-size:10px;fill:#57606a} .grid{fill:none;stroke:#dde} .area{fill:#5aa9ff55;stroke:#2f7fd8} .hidden{display:none} #pager{margin:.4rem 0;display:flex;gap:.5rem;align-items:center}
    </style></head>
    <body>
    <header><b>logsift</b><nav>
    <button data-tab="search" aria-selected="true">Search</button><button data-tab="failures">Failures</button>
    <button data-tab="deployments">Rollouts</button><button data-tab="score">Scores</button><button data-tab="report">Report</button></nav>
    <span class="grow"></span><label>token <input id="token" type="password" size="18" autocomplete="off"></label></header>
    <main>
    <section id="tab-search">
    <form id="form"><input id="q" placeholder="KQL, e.g. deployment:checkout and level >= error   (press / to focus)" aria-label="query">
    <input id="from" value="now-24h" size="12" aria-label="from"><input id="to" placeholder="now" size="12" aria-label="to">
    <select id="limit" aria-label="limit"><option>100</option><option selected>500</option><option>2000</option></select>
    <button type="submit">Search</button><label><input type="checkbox" id="live"> live</label></form>
    <div id="err"></div><div id="summary"></div><div id="hist" aria-label="histogram"></div>
    <div id="pager"><button id="prev">&larr; newer</button><span id="page"></span><button id="next">older &rarr;</button></div>
    <table><thead><tr><th>time</th><th>level</th><th>where</th><th>message</th></tr></thead><tbody id="rows"></tbody></table>
    </section>
    <section id="tab-failures" class="hidden"><div id="failures"></div></section>
    <section id="tab-deployments" class="hidden"><div id="deployments"></div></section>
    <section id="tab-score" class="hidden"><div id="score" class="cards"></div></section>
    <section id="tab-report" class="hidden"><pre id="report"></pre></section>
    </main>
    <script nonce="NONCE">
    "use strict";
    const $ = (id) => document.getElementById(id);
    const PAGE = 100;
    let events = [], page = 0, liveTimer = null;
    $("token").value = sessionStorage.getItem("logsift-token") || "";
    $("token").addEventListener("change", () => sessionStorage.setItem("logsift-token", $("token").value));
    function el(tag, text, cls) { const e = document.createElement(tag); if (text != null) e.textContent = String(text); if (cls) e.className = cls; return e; }
    async function api(path) {
      const headers = {}; const t = $("token").value; if (t) headers["Authorization"] = "Bearer " + t;
      const r = await fetch(path, { headers, credentials: "omit" });
      const body = await r.text(); let j = null; try { j = JSON.parse(body); } catch (e) {}
      if (!r.ok) throw new Error(j && j.error ? j.error.message + (j.error.caret ? "\n" + j.error.caret : "") : r.status + " " + r.statusText);
      return j === null ? body : j;
    }
    function params(extra) {
      const p = new URLSearchParams({ q: $("q").value, from: $("from").value });
      if ($("to").value) p.set("to", $("to").value);
      for (const k in extra) p.set(k, extra[k]);
      return p.toString();
    }
    function where(e) { return (e.deployment || e.source) + (e.pod ? "/" + e.pod : ""); }
    function row(e, cls, streams) {
      // In an expanded row the context is the container's log, both streams: each row names its stream.
      const who = where(e) + (streams && e.stream ? " [" + e.stream + "]" : "") + ((e.flags || []).includes("rescued") ? " (rescued)" : "");
      const tr = el("tr", null, cls); tr.append(el("td", e.time), el("td", e.level, e.level), el("td", who), el("td", e.message, "msg")); return tr;
    }
    function render() {
      const body = $("rows"); body.replaceChildren();
      const slice = events.slice(page * PAGE, (page + 1) * PAGE);
      for (const e of slice) {
        const tr = row(e, "ev"); tr.tabIndex = 0; body.append(tr);
        const detail = el("tr", null, "hidden"); const td = el("td"); td.colSpan = 4; detail.append(td); body.append(detail);
        const toggle = () => {
          if (!td.firstChild) {
            const t = el("table");
            for (const c of (e.context ? e.context.before : [])) t.append(row(c, "ctx", true));
            t.append(row(e, "ev", true));
            for (const c of (e.context ? e.context.after : [])) t.append(row(c, "ctx", true));
            td.append(t, el("pre", JSON.stringify({ fields: e.fields, labels: { namespace: e.namespace, container: e.container, version: e.version, stream: e.stream, source: e.source }, flags: e.flags || [] }, null, 2)));
          }
          detail.classList.toggle("hidden");
        };
        tr.addEventListener("click", toggle);
        tr.addEventListener("keydown", (k) => { if (k.key === "Enter") toggle(); if (k.key === "j" && detail.nextSibling) detail.nextSibling.focus(); const up = tr.previousSibling && tr.previousSibling.previousSibling; if (k.key === "k" && up) up.focus(); });
      }
      const pages = Math.max(1, Math.ceil(events.length / PAGE));
      $("page").textContent = "page " + (page + 1) + " of " + pages;
      $("prev").disabled = page === 0; $("next").disabled = page + 1 >= pages;
    }
    async function search() {
      $("err").textContent = "";
      history.replaceState(null, "", "#" + new URLSearchParams({ q: $("q").value, from: $("from").value, to: $("to").value }));
      try {
        const [r, h] = await Promise.all([api("/api/v1/search?" + params({ limit: $("limit").value, context: 5 })), api("/api/v1/histogram?" + params({}))]);
        events = r.events; page = 0; render();
        $("summary").textContent = r.count + " matching, " + events.length + " shown, newest first";
        const hist = $("hist"); hist.replaceChildren(); const peak = Math.max(1, ...h.buckets.map((b) => b.count));
        for (const b of h.buckets) { const d = el("div"); d.style.height = Math.round(b.count / peak * 100) + "%"; d.title = b.start + ": " + b.count; hist.append(d); }
      } catch (e) { $("err").textContent = e.message; }
    }
    async function poll() {
      if (!events.length) return search();
      try {
        const newest = events[0].time;
        const r = await api("/api/v1/search?" + new URLSearchParams({ q: $("q").value, from: newest, limit: 500 }));
        const fresh = r.events.filter((e) => e.time > newest);
        if (fresh.length) { events = fresh.concat(events).slice(0, 5000); if (page === 0) render(); }
      } catch (e) { $("err").textContent = e.message; }
    }
    const iso = (ns) => ns == null ? "" : new Date(Number(BigInt(ns) / 1000000n)).toISOString().replace(".000Z", "Z");
    // cols: [header, value of a row]; every value goes in with textContent.
    function table(list, target, cols) {
      const t = $(target); t.replaceChildren();
      if (!list.length) { t.append(el("p", "nothing in this range")); return; }
      const tb = el("table"); const head = el("tr");
      for (const [h] of cols) head.append(el("th", h));
      tb.append(head);
      for (const o of list) { const tr = el("tr"); for (const [, f] of cols) { const v = f(o); tr.append(el("td", v == null ? "" : v)); } tb.append(tr); }
      t.append(tb);
    }
    const failureCols = [["deployment", (g) => g.deployment], ["version", (g) => g.version], ["kind", (g) => g.kind], ["events", (g) => g.events],
      ["first", (g) => iso(g.firstNs)], ["last", (g) => iso(g.lastNs)], ["introduced by", (g) => g.introducedBy], ["template", (g) => g.templateText],
      ["example", (g) => g.example]];
    const rolloutCols = [["deployment", (r) => r.deployment], ["version", (r) => r.version], ["hash", (r) => r.hash], ["image", (r) => r.image],
      ["revision", (r) => r.revision], ["start", (r) => iso(r.startNs)], ["end", (r) => iso(r.endNs)], ["status", (r) => r.status],
      ["link", (r) => r.link], ["failures after", (r) => r.failuresAfter],
      ["steps", (r) => (r.steps || []).map((s) => iso(s.ns).slice(11, 19) + " " + s.step + " " + s.detail + " [" + s.link + "]").join(" → ")]];
    async function show(tab) {
      for (const b of document.querySelectorAll("nav button")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
      for (const s of document.querySelectorAll("main section")) s.classList.toggle("hidden", s.id !== "tab-" + tab);
      try {
        if (tab === "failures") table((await api("/api/v1/failures?limit=200")).groups, "failures", failureCols);
        if (tab === "deployments") table((await api("/api/v1/deployments")).rollouts, "deployments", rolloutCols);
        if (tab === "report") $("report").textContent = await api("/api/v1/report?format=md");
        if (tab === "score") await scores();
      } catch (e) { $(tab === "report" ? "report" : tab === "score" ? "score" : tab).textContent = e.message; }
    }
    const SVG = "http://www.w3.org/2000/svg";
    function svg(tag, attrs) { const e = document.createElementNS(SVG, tag); for (const k in attrs) e.setAttribute(k, String(attrs[k])); return e; }
    // One radar chart per scorecard: the six metrics' points (0 to 5); a metric without data sits at 0, marked n/a.
    function radar(card) {
      const box = el("div", null, "card"); const total = card.total == null ? "n/a" : card.total;
      box.append(el("b", (card.inputs && card.inputs.scope || "?") + ": " + total));
      const s = svg("svg", { width: 300, height: 200, viewBox: "-150 -100 300 200", role: "img" });
      const n = card.metrics.length, at = (i, r) => [Math.sin(2 * Math.PI * i / n) * r, -Math.cos(2 * Math.PI * i / n) * r];
      for (const level of [1, 2, 3, 4, 5]) s.append(svg("polygon", { class: "grid", points: card.metrics.map((_, i) => at(i, level * 14).join(",")).join(" ") }));
      s.append(svg("polygon", { class: "area", points: card.metrics.map((m, i) => at(i, (m.points || 0) * 14).join(",")).join(" ") }));
      card.metrics.forEach((m, i) => {
        const [x, y] = at(i, 84); const t = svg("text", { x: x, y: y + 3, "text-anchor": x > 5 ? "start" : x < -5 ? "end" : "middle" });
        t.textContent = m.metric.replace("_", " ") + " " + (m.points == null ? "n/a" : m.points); s.append(t);
      });
      box.append(s); return box;
    }
    async function scores() {
      const d = await api("/api/v1/score"); const t = $("score"); t.replaceChildren();
      for (const c of d.scorecards) t.append(radar(c));
    }
    for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => show(b.dataset.tab));
    $("form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
    $("prev").addEventListener("click", () => { page--; render(); });
    $("next").addEventListener("click", () => { page++; render(); });
    $("live").addEventListener("change", () => { clearInterval(liveTimer); liveTimer = $("live").checked ? setInterval(poll, 2000) : null; });
    // The URL's fragment holds the search (#q=...&from=...&to=...), so that a search can be bookmarked and shared.
    const initial = new URLSearchParams(location.hash.slice(1));
    if (initial.get("tab")) show(initial.get("tab"));
    else if (initial.has("q")) {
      $("q").value = initial.get("q"); if (initial.get("from")) $("from").value = initial.get("from"); if (initial.get("to")) $("to").value = initial.get("to");
      search();
    }
    document.addEventListener("keydown", (k) => { if (k.key === "/" && document.activeElement.tagName !== "INPUT") { k.preventDefault(); $("q").focus(); } });
    </script></body></html>
    """#
}
