// What the page shows, kept in the URL's fragment (#tab=search&q=...&from=now-24h&to=&cols=a,b&refresh=10&utc=1),
// so that a view can be bookmarked, shared and reloaded.
import { $ } from "./dom.js";

export const state = { tab: "search", q: "", from: "now-24h", to: "", cols: [], refresh: 0, event: "" };

export function readURL() {
  const p = new URLSearchParams(location.hash.slice(1));
  state.tab = p.get("tab") || "search";
  state.q = p.get("q") || "";
  state.from = p.has("from") ? p.get("from") : "now-24h";
  state.to = p.get("to") || "";
  state.cols = (p.get("cols") || "").split(",").filter((c) => c);
  state.refresh = Number(p.get("refresh") || 0);
  state.event = p.get("event") || "";
  state.deployment = p.get("deployment") || "";
  state.rollout = p.get("rollout") || "";
  state.week = p.get("week") || "";
  $("utc").checked = p.get("utc") === "1";
}

export function writeURL() {
  const p = new URLSearchParams();
  if (state.tab !== "search") p.set("tab", state.tab);
  p.set("q", state.q);
  p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  if (state.cols.length) p.set("cols", state.cols.join(","));
  if (state.refresh) p.set("refresh", String(state.refresh));
  if ($("utc").checked) p.set("utc", "1");
  if (state.tab === "deployments" && state.deployment) p.set("deployment", state.deployment);
  if (state.tab === "deployments" && state.rollout) p.set("rollout", state.rollout);
  if (state.tab === "report" && state.week) p.set("week", state.week);
  history.replaceState(null, "", "#" + p.toString());
}

// The query with one more clause: field:"value" or not field:"value" (KQL-quoted, so any value stays a value).
export function kqlQuote(v) { return "\"" + String(v).replace(/\\/g, "\\\\").replace(/"/g, "\\\"") + "\""; }
export function kqlField(name) { return /^[A-Za-z0-9_.@\/-]+$/.test(name) ? String(name) : kqlQuote(name); }
export function addClause(q, field, value, negate) {
  const clause = (negate ? "not " : "") + kqlField(field) + ":" + kqlQuote(value);
  const t = q.trim();
  return t ? (/\bor\b/i.test(t) ? "(" + t + ")" : t) + " and " + clause : clause;
}
