// The histogram: bars stacked by level over a labelled time axis; hover shows a bucket's counts, a drag
// across it zooms the search into that range.
import { $, svg, title } from "./dom.js";
import { show, tick } from "./time.js";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "unknown"];
const H = 110, TOP = 6, AXIS = 18;

let last = null;
addEventListener("resize", () => { if (last) renderHistogram(...last); });

export function renderHistogram(h, onZoom) {
  last = [h, onZoom];
  const s = $("hist");
  s.replaceChildren();
  const width = Math.max(200, s.clientWidth || 800);
  s.setAttribute("viewBox", "0 0 " + width + " " + H);
  const buckets = h.buckets || [];
  const tip = $("hist-tip");
  tip.classList.add("hidden");
  if (!buckets.length) { s.append(svg("text", { x: 8, y: 20 }, "no events in this range")); return; }
  const step = h.interval_seconds * 1000;
  const lo = buckets[0].start_ms, hi = buckets[buckets.length - 1].start_ms + step;
  const x = (t) => (t - lo) / (hi - lo) * width;
  const peak = Math.max(1, ...buckets.map((b) => b.count));
  const plot = H - TOP - AXIS;
  s.append(svg("line", { class: "axis", x1: 0, x2: width, y1: H - AXIS, y2: H - AXIS }));
  const bw = Math.max(1, x(lo + step) - 1);
  for (const b of buckets) {
    const g = svg("g", { "data-start": b.start_ms, "data-count": b.count });
    let y = H - AXIS;
    const split = b.levels ? LEVELS.filter((l) => b.levels[l]).map((l) => [l, b.levels[l]]) : [["info", b.count]];
    const counted = split.reduce((a, [, n]) => a + n, 0);
    if (b.levels && counted < b.count) split.push(["unknown", b.count - counted]);
    for (const [level, n] of split.reverse()) {
      const hgt = n / peak * plot;
      y -= hgt;
      g.append(svg("rect", { class: "lv-" + level, x: x(b.start_ms), y: y, width: bw, height: Math.max(hgt, 0) }));
    }
    title(g, show(b.start_ms) + ": " + b.count);
    s.append(g);
  }
  // Axis labels at about every 110 pixels, on bucket boundaries.
  const every = Math.max(1, Math.round(buckets.length / Math.max(1, Math.floor(width / 110))));
  for (let i = 0; i < buckets.length; i += every) {
    const t = buckets[i].start_ms;
    s.append(svg("line", { class: "axis", x1: x(t), x2: x(t), y1: H - AXIS, y2: H - AXIS + 4 }));
    s.append(svg("text", { x: Math.min(x(t) + 2, width - 60), y: H - 4, class: "tick" }, tick(t, hi - lo)));
  }
  const at = (ev) => {
    const r = s.getBoundingClientRect();
    return lo + (ev.clientX - r.left) / r.width * (hi - lo);
  };
  const bucketAt = (t) => buckets[Math.min(buckets.length - 1, Math.max(0, Math.floor((t - lo) / step)))];
  let dragFrom = null, sel = null;
  s.onmousemove = (ev) => {
    const t = at(ev);
    const b = bucketAt(t);
    const lines = [show(b.start_ms) + "  " + b.count + " events"];
    if (b.levels) for (const l of LEVELS) if (b.levels[l]) lines.push("  " + l + ": " + b.levels[l]);
    tip.textContent = lines.join("\n");
    tip.classList.remove("hidden");
    const r = s.getBoundingClientRect();
    tip.style.left = Math.min(ev.clientX - r.left + 12, r.width - 220) + "px";
    if (dragFrom !== null) {
      const a = Math.min(dragFrom, t), z = Math.max(dragFrom, t);
      sel.setAttribute("x", x(a)); sel.setAttribute("width", Math.max(1, x(z) - x(a)));
    }
  };
  s.onmouseleave = () => { tip.classList.add("hidden"); };
  s.onmousedown = (ev) => {
    ev.preventDefault();
    dragFrom = at(ev);
    sel = svg("rect", { class: "sel", x: x(dragFrom), y: TOP, width: 1, height: plot });
    s.append(sel);
  };
  s.onmouseup = (ev) => {
    if (dragFrom === null) return;
    const t = at(ev);
    const a = Math.min(dragFrom, t), z = Math.max(dragFrom, t);
    dragFrom = null;
    if (sel) sel.remove();
    // A click (under 4 px) zooms into its bucket; a drag into the dragged span.
    const r = s.getBoundingClientRect();
    if ((z - a) / (hi - lo) * r.width < 4) { const b = bucketAt(t); onZoom(b.start_ms, b.start_ms + step - 1); }
    else onZoom(Math.floor(a), Math.ceil(z));
  };
}
