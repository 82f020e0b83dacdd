// Failures grouped by deployment and version (a sparkline of each group's failures over time, links to
// their context and to the rollout that introduced them) and the rollouts as a timeline per deployment.
import { $, el, svg, title, button } from "./dom.js";
import { api } from "./api.js";
import { show, iso, seconds } from "./time.js";
import { kqlQuote } from "./state.js";

const nsToMs = (ns) => ns == null ? null : Math.floor(Number(ns) / 1e6);
export const rolloutLabel = (r) => !r.hash || r.hash === r.version ? r.version : r.version + " (rs " + r.hash + ")";

function sparkline(counts) {
  const w = 130, h = 28, peak = Math.max(1, ...counts);
  const s = svg("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, class: "sparkline", role: "img" });
  const pts = counts.map((c, i) => [counts.length < 2 ? w / 2 : i / (counts.length - 1) * w, h - 2 - c / peak * (h - 4)]);
  s.append(svg("polygon", { class: "spark-area", points: [[0, h], ...pts, [w, h]].map((p) => p.join(",")).join(" ") }));
  s.append(svg("polyline", { class: "spark", points: pts.map((p) => p.join(",")).join(" ") }));
  title(s, counts.reduce((a, b) => a + b, 0) + " failures");
  return s;
}

// The failure counts of one deployment's version over its span, in 24 buckets.
async function series(deployment, fromMs, toMs) {
  const span = Math.max(60000, toMs - fromMs);
  const p = new URLSearchParams({ q: "deployment:" + kqlQuote(deployment) + " and kind:failure", from: iso(fromMs), to: iso(fromMs + span), interval: seconds(span / 24) });
  const h = await api("/api/v1/histogram?" + p);
  return h.buckets.map((b) => b.count);
}

export async function renderFailures(range, go) {
  const box = $("failures");
  box.replaceChildren(el("p", "loading…", "muted"));
  const [r, dep_] = await Promise.all([api("/api/v1/failures?" + new URLSearchParams({ limit: 2000, ...range })), api("/api/v1/deployments?" + new URLSearchParams(range))]);
  box.replaceChildren();
  const [lo, hi] = span(dep_.rollouts, r.groups);
  if (!r.groups.length) { box.append(el("p", "no failures in this range")); return; }
  const byDeployment = new Map();
  for (const g of r.groups) {
    const d = g.deployment || "(no deployment)";
    if (!byDeployment.has(d)) byDeployment.set(d, new Map());
    const versions = byDeployment.get(d);
    const v = g.version || "(unknown version)";
    if (!versions.has(v)) versions.set(v, []);
    versions.get(v).push(g);
  }
  for (const [dep, versions] of byDeployment) {
    const sec = el("div", null, "group");
    sec.dataset.deployment = dep;
    const total = [...versions.values()].flat().reduce((a, g) => a + g.events, 0);
    sec.append(el("h3", dep + " — " + total + " failures"));
    if (dep_.rollouts.some((x) => x.deployment === dep)) sec.append(lane(dep, dep_.rollouts, r.groups, lo, hi, null));
    for (const [v, groups] of versions) {
      const first = Math.min(...groups.map((g) => nsToMs(g.firstNs))), last = Math.max(...groups.map((g) => nsToMs(g.lastNs)));
      const events = groups.reduce((a, g) => a + g.events, 0);
      const row = el("div", null, "vrow");
      row.dataset.version = v;
      const name = el("div");
      name.append(el("b", v), el("div", groups.length + " kinds/templates, " + show(first) + " – " + show(last), "muted"));
      const spark = el("div", null, "spark-box");
      const links = el("div");
      const ctx = el("a", "context");
      ctx.href = "#" + new URLSearchParams({ q: "deployment:" + kqlQuote(dep) + " and kind:failure", from: iso(first - 300000), to: iso(last + 300000) });
      ctx.className = "ctx-link";
      links.append(ctx);
      const intro = groups.find((g) => g.introducedBy);
      if (intro) {
        const a = el("a", "rollout " + intro.introducedBy);
        a.href = "#" + new URLSearchParams({ tab: "deployments", ...range, deployment: dep, rollout: intro.introducedBy });
        a.className = "rollout-link";
        links.append(el("br"), a);
      }
      const detail = el("div");
      for (const g of groups.slice(0, 5)) detail.append(el("div", g.events + "× " + g.kind + ": " + (g.templateText || g.example), "mono"));
      row.append(name, spark, el("div", events + " events"), links, detail);
      sec.append(row);
      if (dep !== "(no deployment)") series(dep, first, last + 1).then((c) => spark.append(sparkline(c))).catch(() => spark.append(el("span", "–", "muted")));
    }
    box.append(sec);
  }
  for (const a of box.querySelectorAll("a")) a.addEventListener("click", (ev) => { ev.preventDefault(); go(a.getAttribute("href")); });
}


// One deployment's lane: each rollout a bar from its start to the next one's, a mark at each failure group's first failure.
function lane(name, rollouts, groups, lo, hi, focus) {
  const W = 1000, H = 46;
  const x = (t) => 90 + (t - lo) / (hi - lo) * (W - 100);
  const box = el("div", null, "lane");
  box.dataset.deployment = name;
  const s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "rollouts of " + name });
  s.append(svg("text", { x: 2, y: 20 }, name.length > 14 ? name.slice(0, 13) + "…" : name));
  const mine = rollouts.filter((r) => r.deployment === name).sort((a, b) => a.startNs - b.startNs);
  mine.forEach((r, i) => {
    const a = nsToMs(r.startNs), z = i + 1 < mine.length ? nsToMs(mine[i + 1].startNs) : hi;
    const label = rolloutLabel(r);
    const bar = svg("rect", { class: "ro-bar " + r.status, x: x(a), y: 6, width: Math.max(2, x(z) - x(a) - 1), height: 18, "data-version": label });
    if (focus && focus.deployment === name && focus.rollout === label) bar.setAttribute("stroke-width", "3");
    title(bar, label + " " + r.status + " from " + show(a) + (r.failuresAfter ? ", " + r.failuresAfter + " failures after" : ""));
    s.append(bar);
    s.append(svg("text", { x: x(a) + 3, y: 19 }, label.length > 18 ? label.slice(0, 17) + "…" : label));
  });
  for (const g of groups.filter((g) => g.deployment === name)) {
    const t = nsToMs(g.firstNs);
    const m = svg("line", { class: "fmark", x1: x(t), x2: x(t), y1: 27, y2: 40 });
    title(m, show(t) + " " + g.kind + ": " + g.events + " (" + (g.version || "?") + ")");
    s.append(m);
  }
  s.append(svg("text", { x: 90, y: H - 1 }, show(lo)), svg("text", { x: W - 150, y: H - 1 }, show(hi)));
  box.append(s);
  return box;
}

// The time span that holds every rollout and failure.
function span(rollouts, groups) {
  const times = rollouts.flatMap((r) => [nsToMs(r.startNs), nsToMs(r.endNs)]).concat(groups.map((g) => nsToMs(g.firstNs)));
  const lo = Math.min(...times);
  return [lo, Math.max(...times, lo + 60000) + 1];
}

// One lane per deployment: each rollout a bar from its start to the next one's (the version's time live),
// failure marks at each failure group's first failure, the rows in a table below.
export async function renderRollouts(range, focus) {
  const [d, f] = await Promise.all([api("/api/v1/deployments?" + new URLSearchParams(range)), api("/api/v1/failures?" + new URLSearchParams({ limit: 2000, ...range }))]);
  const box = $("timeline");
  box.replaceChildren();
  const rollouts = d.rollouts;
  if (!rollouts.length) { box.append(el("p", "no rollouts in this range")); $("deployments").replaceChildren(); return; }
  const [lo, hi] = span(rollouts, f.groups);
  for (const name of [...new Set(rollouts.map((r) => r.deployment))].sort()) box.append(lane(name, rollouts, f.groups, lo, hi, focus));
  const cols = [["deployment", (r) => r.deployment], ["version", rolloutLabel], ["image", (r) => r.image], ["start", (r) => show(nsToMs(r.startNs))],
    ["end", (r) => show(nsToMs(r.endNs))], ["status", (r) => r.status], ["link", (r) => r.link], ["failures after", (r) => r.failuresAfter],
    ["steps", (r) => (r.steps || []).map((s) => show(nsToMs(s.ns)).slice(11, 23) + " " + s.step + " " + s.detail).join(" → ")]];
  const t = el("table", null, "rollout-rows");
  const head = el("tr");
  for (const [h] of cols) head.append(el("th", h));
  t.append(head);
  for (const r of rollouts) {
    const tr = el("tr");
    if (focus && focus.deployment === r.deployment && focus.rollout === rolloutLabel(r)) tr.className = "focus";
    for (const [, fn] of cols) tr.append(el("td", fn(r)));
    t.append(tr);
  }
  $("deployments").replaceChildren(t);
  const hit = t.querySelector("tr.focus");
  if (hit && hit.getBoundingClientRect().top > innerHeight) hit.scrollIntoView({ block: "end" });
}
