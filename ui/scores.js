// One radar chart per scorecard: the six metrics' points (0 to 5); a metric without data sits at 0, marked n/a.
import { $, el, svg } from "./dom.js";
import { api } from "./api.js";

function radar(card) {
  const box = el("div", null, "card");
  const total = card.total == null ? "n/a" : card.total;
  box.append(el("b", (card.inputs && card.inputs.scope || "?") + ": " + total));
  const s = svg("svg", { width: 300, height: 200, viewBox: "-150 -100 300 200", role: "img" });
  const n = card.metrics.length, at = (i, r) => [Math.sin(2 * Math.PI * i / n) * r, -Math.cos(2 * Math.PI * i / n) * r];
  for (const level of [1, 2, 3, 4, 5]) s.append(svg("polygon", { class: "grid", points: card.metrics.map((_, i) => at(i, level * 14).join(",")).join(" ") }));
  s.append(svg("polygon", { class: "area", points: card.metrics.map((m, i) => at(i, (m.points || 0) * 14).join(",")).join(" ") }));
  card.metrics.forEach((m, i) => {
    const [x, y] = at(i, 84);
    s.append(svg("text", { x: x, y: y + 3, "text-anchor": x > 5 ? "start" : x < -5 ? "end" : "middle" }, m.metric.replace("_", " ") + " " + (m.points == null ? "n/a" : m.points)));
  });
  box.append(s);
  return box;
}

export async function renderScores(range) {
  const d = await api("/api/v1/score?" + new URLSearchParams(range));
  const t = $("score");
  t.replaceChildren();
  for (const c of d.scorecards) t.append(radar(c));
}
