// The result rows, virtualised: only the rows in view (and a few around) are in the DOM, so 10,000 events
// scroll as smoothly as 100. A row opens the event's document: its fields as a table and as JSON, its
// context (the container's neighbours, both streams), a link to it and "show in context".
import { $, el, button } from "./dom.js";
import { show, ms, iso } from "./time.js";
import { valueOf, display } from "./fields.js";
import { api } from "./api.js";

const ROW = 24, OVERSCAN = 10;
let events = [], columns = [], active = -1, hooks = {};

export function setRows(list, cols, h) {
  events = list; columns = cols.length ? cols : ["where"]; hooks = h;
  active = -1;
  const head = $("grid-head");
  head.replaceChildren();
  head.style.gridTemplateColumns = template();
  for (const c of ["time", "level", ...columns, "message"]) head.append(el("span", c));
  $("rows").style.height = events.length * ROW + "px";
  $("viewport").scrollTop = 0;
  draw();
}

export const rowCount = () => events.length;

// Column widths: time, level, the chosen columns, the message (narrower on a phone).
function template() {
  if (matchMedia("(max-width: 800px)").matches) return "10rem 2.6rem " + columns.map(() => "minmax(3rem,5rem)").join(" ") + " minmax(6rem,1fr)";
  return "12.5rem 3.5rem " + columns.map(() => "minmax(6rem,12rem)").join(" ") + " minmax(0,1fr)";
}

function draw() {
  const vp = $("viewport"), rows = $("rows");
  const first = Math.max(0, Math.floor(vp.scrollTop / ROW) - OVERSCAN);
  const last = Math.min(events.length, Math.ceil((vp.scrollTop + vp.clientHeight) / ROW) + OVERSCAN);
  rows.replaceChildren();
  const tpl = template();
  for (let i = first; i < last; i++) {
    const e = events[i];
    const r = el("div", null, "ev grid-row" + (i === active ? " active" : ""));
    r.setAttribute("role", "option");
    r.dataset.index = String(i);
    r.style.top = i * ROW + "px";
    r.style.gridTemplateColumns = tpl;
    r.append(el("span", show(e.time), "mono"), el("span", e.level, "t-" + e.level));
    for (const c of columns) { const v = display(valueOf(e, c)); const s = el("span", v, "c"); s.title = v; r.append(s); }
    r.append(el("span", e.message, "msg"));
    r.addEventListener("click", () => { select(i); open(i); });
    rows.append(r);
  }
}

export function initRows() {
  $("viewport").addEventListener("scroll", () => requestAnimationFrame(draw));
  window.addEventListener("resize", () => { $("grid-head").style.gridTemplateColumns = template(); draw(); });
  $("viewport").addEventListener("keydown", (k) => {
    if (!events.length) return;
    if (k.key === "ArrowDown" || k.key === "j") { k.preventDefault(); select(Math.min(events.length - 1, active + 1)); }
    else if (k.key === "ArrowUp" || k.key === "k") { k.preventDefault(); select(Math.max(0, active - 1)); }
    else if (k.key === "Enter") { k.preventDefault(); if (active >= 0) open(active); }
    else if (k.key === "Escape") { $("doc").classList.add("hidden"); }
  });
}

export function select(i) {
  active = i;
  const vp = $("viewport");
  if (i * ROW < vp.scrollTop) vp.scrollTop = i * ROW;
  else if ((i + 1) * ROW > vp.scrollTop + vp.clientHeight) vp.scrollTop = (i + 1) * ROW - vp.clientHeight;
  draw();
  vp.focus({ preventScroll: true });
}

// The event's own record: time, labels, level, message, fields, flags.
function record(e) {
  const r = { time: e.time };
  for (const k of ["deployment", "namespace", "pod", "container", "stream", "level", "version", "source"]) if (e[k]) r[k] = e[k];
  r.message = e.message; r.fields = e.fields || {};
  if (e.flags) r.flags = e.flags;
  if (e.template) r.template = e.template;
  return r;
}

function ctxTable(e) {
  const t = el("table", null, "ctx-table");
  const line = (c, cls) => {
    const tr = el("tr", null, cls);
    tr.append(el("td", show(c.time), "mono"), el("td", c.stream || ""), el("td", c.level, "t-" + c.level), el("td", c.message, "v"));
    t.append(tr);
  };
  for (const c of e.context ? e.context.before : []) line(c, "ctx");
  line(e, "hit");
  for (const c of e.context ? e.context.after : []) line(c, "ctx");
  return t;
}

export function open(i) {
  const e = events[i];
  const doc = $("doc");
  doc.replaceChildren();
  doc.classList.remove("hidden");
  const bar = el("div", null, "row");
  const tabs = el("div", null, "row tabs");
  const body = el("div");
  const views = {
    table: () => {
      const t = el("table", null, "doc-table");
      const rec = record(e);
      const add = (k, v) => { const tr = el("tr"); tr.append(el("td", k, "k"), el("td", display(v), "v")); t.append(tr); };
      for (const k of Object.keys(rec)) if (k !== "fields") add(k, rec[k]);
      for (const k of Object.keys(rec.fields)) add(k, rec.fields[k]);
      return t;
    },
    json: () => el("pre", JSON.stringify(record(e), null, 2), "doc-json"),
    context: () => {
      const box = el("div", null, "doc-context");
      if (e.context) { box.append(ctxTable(e)); return box; }
      box.append(el("p", "loading context…", "muted"));
      // Rows of a large result come without context: ask for this one event's (same stream, same time).
      const p = new URLSearchParams({ q: hooks.eventQuery(e), from: e.time, to: e.time, limit: 50, context: 10 });
      api("/api/v1/search?" + p).then((r) => {
        const hit = r.events.find((x) => x.message === e.message) || r.events[0];
        if (hit) e.context = hit.context;
        box.replaceChildren(e.context ? ctxTable(e) : el("p", "no context found", "muted"));
      }).catch((x) => box.replaceChildren(el("p", x.message, "muted")));
      return box;
    },
  };
  const choose = (name) => {
    for (const b of tabs.children) b.setAttribute("aria-selected", String(b.dataset.view === name));
    body.replaceChildren(views[name]());
  };
  for (const name of Object.keys(views)) { const b = button(name, () => choose(name)); b.dataset.view = name; tabs.append(b); }
  const link = button("copy link", async () => {
    const url = location.origin + location.pathname + "#" + new URLSearchParams({ q: hooks.eventQuery(e), from: e.time, to: e.time });
    try { await navigator.clipboard.writeText(url); link.textContent = "link copied"; } catch (x) { link.textContent = "copy failed"; }
    link.dataset.url = url;
  }, "copy-link");
  const around = button("show in context", () => hooks.showAround(e), "show-context");
  bar.append(el("b", show(e.time)), el("span", e.level, "t-" + e.level), link, around, button("close", () => doc.classList.add("hidden")));
  doc.append(bar, tabs, body);
  choose("table");
}

// A search around one event: the container's log five minutes either side.
export function aroundRange(e) {
  const t = ms(e.time);
  return { from: iso(t - 300000), to: iso(t + 300000) };
}
