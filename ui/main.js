// The page: tabs, the search view (time range, histogram, field list, rows) and its state in the URL.
import { $, el } from "./dom.js";
import { api } from "./api.js";
import { state, readURL, writeURL, addClause, kqlQuote } from "./state.js";
import { resolve, toLocalInput, fromLocalInput, iso, weekStart, show, ms } from "./time.js";
import { renderHistogram } from "./histogram.js";
import { renderFields } from "./fields.js";
import { setRows, initRows } from "./rows.js";
import { renderFailures, renderRollouts } from "./failures.js";
import { renderReport, initReport } from "./report.js";
import { listSaved, saveSearch } from "./saved.js";
import { renderScores } from "./scores.js";

let events = [], refreshTimer = null, generation = 0;
const range = () => { const r = { from: state.from }; if (state.to) r.to = state.to; return r; };

// The range's pickers and quick buttons show what state.from/state.to mean now.
function showRange() {
  const now = Date.now();
  const f = resolve(state.from, now), t = resolve(state.to, now);
  $("from-abs").value = f == null ? "" : toLocalInput(f);
  $("to-abs").value = toLocalInput(t == null ? now : t);
  for (const b of $("quick").querySelectorAll("button")) b.setAttribute("aria-pressed", String(quickOf(b.dataset.range).from === state.from && (quickOf(b.dataset.range).to || "") === state.to));
  $("range-label").textContent = (f == null ? "all time" : show(f)) + " → " + (t == null ? "now" : show(t));
}

function quickOf(name) {
  const now = Date.now();
  switch (name) {
    case "week": return { from: iso(weekStart(now)), to: "" };
    case "prevweek": { const w = weekStart(now); return { from: iso(weekStart(w - 86400000)), to: iso(w - 1) }; }
    default: return { from: "now-" + name, to: "" };
  }
}

// A query for one event's container log (its stream's neighbours and the other stream's).
function containerQuery(e) {
  const parts = [];
  for (const k of ["deployment", "namespace", "pod", "container"]) if (e[k]) parts.push(k + ":" + kqlQuote(e[k]));
  if (!parts.length && e.source) parts.push("source:" + kqlQuote(e.source));
  return parts.join(" and ");
}
function eventQuery(e) { return containerQuery(e) + (e.stream ? (containerQuery(e) ? " and " : "") + "stream:" + kqlQuote(e.stream) : ""); }

function drawRows() {
  setRows(events, state.cols, {
    eventQuery,
    showAround: (e) => { const t = ms(e.time); state.q = containerQuery(e); state.from = iso(t - 300000); state.to = iso(t + 300000); $("q").value = state.q; search(); },
  });
  renderFields(events, {
    columns: state.cols,
    filter: (field, value, negate) => { state.q = addClause($("q").value, field, value, negate); $("q").value = state.q; search(); },
    toggleColumn: (field) => { state.cols = state.cols.includes(field) ? state.cols.filter((c) => c !== field) : [...state.cols, field]; writeURL(); drawRows(); },
  });
}

async function search() {
  const mine = ++generation;
  state.q = $("q").value;
  writeURL();
  showRange();
  $("err").textContent = "";
  $("doc").classList.add("hidden");
  const limit = Number($("limit").value);
  try {
    const p = new URLSearchParams({ q: state.q, ...range() });
    const [r, h] = await Promise.all([
      api("/api/v1/search?" + p + "&" + new URLSearchParams({ limit, context: limit <= 500 ? 5 : 0 })),
      api("/api/v1/histogram?" + p + "&by=level"),
    ]);
    if (mine !== generation) return;
    events = r.events;
    $("summary").textContent = Math.max(h.total, r.count) + " matching, " + events.length + " shown, newest first";
    renderHistogram(h, (a, z) => { state.from = iso(a); state.to = iso(z); search(); });
    drawRows();
  } catch (e) { if (mine === generation) $("err").textContent = e.message; }
}

async function show_(tab) {
  state.tab = tab;
  writeURL();
  for (const b of document.querySelectorAll("nav button")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  for (const s of document.querySelectorAll("main > section")) s.classList.toggle("hidden", s.id !== "tab-" + tab);
  const target = { failures: "failures", deployments: "timeline", score: "score", report: "week" }[tab];
  try {
    if (tab === "failures") await renderFailures(range(), go);
    if (tab === "deployments") await renderRollouts(range(), { deployment: state.deployment, rollout: state.rollout });
    if (tab === "report") { state.week = await renderReport(state.week); writeURL(); }
    if (tab === "score") await renderScores(range());
  } catch (e) { const t = $(target); if (t && t.tagName !== "INPUT") t.replaceChildren(el("p", e.message, "muted")); else $("err").textContent = e.message; }
}

// Follows an in-page link (#q=...&from=... or #tab=...); also what the back button and an edited URL do.
function go(hash) {
  if (hash !== undefined) history.pushState(null, "", hash);
  readURL();
  $("q").value = state.q;
  setRefresh(state.refresh);
  if (state.tab === "search") { show_("search"); search(); } else show_(state.tab);
}

function setRefresh(seconds) {
  clearInterval(refreshTimer);
  state.refresh = seconds;
  $("refresh").value = String(seconds);
  refreshTimer = seconds ? setInterval(() => { if (state.tab === "search") search(); }, seconds * 1000) : null;
}

function init() {
  $("token").value = sessionStorage.getItem("logsift-token") || "";
  $("token").addEventListener("change", () => { sessionStorage.setItem("logsift-token", $("token").value); listSaved(openSaved); });
  readURL();
  $("q").value = state.q;
  initRows();
  initReport((w) => { state.week = w; show_("report"); });
  for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => show_(b.dataset.tab));
  $("form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  for (const b of $("quick").querySelectorAll("button")) b.addEventListener("click", () => { Object.assign(state, quickOf(b.dataset.range)); search(); });
  $("from-abs").addEventListener("change", () => { const t = fromLocalInput($("from-abs").value); if (t != null) { state.from = iso(t); search(); } });
  $("to-abs").addEventListener("change", () => { const t = fromLocalInput($("to-abs").value); if (t != null) { state.to = iso(t); search(); } });
  $("refresh").addEventListener("change", () => { setRefresh(Number($("refresh").value)); writeURL(); });
  $("limit").addEventListener("change", () => search());
  $("utc").addEventListener("change", () => { writeURL(); showRange(); if (state.tab === "search") search(); else show_(state.tab); });
  $("save").addEventListener("click", async () => {
    const name = $("save-name").value.trim();
    if (!name) { $("save-name").focus(); return; }
    try { await saveSearch(name, $("q").value, state.from, state.to); $("save-name").value = ""; listSaved(openSaved); } catch (e) { $("err").textContent = e.message; }
  });
  $("saved-box").addEventListener("toggle", () => { if ($("saved-box").open) listSaved(openSaved); });
  document.addEventListener("keydown", (k) => {
    if (k.key === "/" && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) { k.preventDefault(); $("q").focus(); $("q").select(); }
    if (k.key === "ArrowDown" && document.activeElement === $("q")) { k.preventDefault(); $("viewport").focus(); $("viewport").dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown" })); }
  });
  window.addEventListener("popstate", () => go());
  window.addEventListener("hashchange", () => go());
  setRefresh(state.refresh);
  showRange();
  if (state.tab === "search") search(); else show_(state.tab);
}

function openSaved(s) {
  $("saved-box").open = false;
  state.q = s.query; state.from = s.from; state.to = s.to;
  $("q").value = s.query;
  show_("search");
  search();
}

init();
