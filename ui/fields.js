// The field list (Discover's sidebar): the fields of the events on screen, their top values and shares;
// + and − add `field:value` or `not field:value` to the query, "col" makes the field a table column.
import { $, el, button } from "./dom.js";

export const LABELS = ["deployment", "namespace", "pod", "container", "stream", "level", "version", "source"];

// A field's value in an event: a label, "flags", or a structured field (nested objects by dotted name).
export function valueOf(e, name) {
  if (LABELS.includes(name)) return e[name] || null;
  if (name === "flags") return (e.flags || []).join(" ") || null;
  if (name === "where") return (e.deployment || e.source) + (e.pod ? "/" + e.pod : "");
  const f = e.fields || {};
  if (Object.prototype.hasOwnProperty.call(f, name)) return f[name];
  let v = f;
  for (const part of name.split(".")) {
    if (v && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, part)) v = v[part]; else return null;
  }
  return v;
}

export const display = (v) => v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

function flatten(prefix, obj, out) {
  for (const k of Object.keys(obj)) {
    const v = obj[k], name = prefix ? prefix + "." + k : k;
    if (v && typeof v === "object" && !Array.isArray(v)) flatten(name, v, out); else out.add(name);
  }
}

// Per field: how many events have it and its five commonest values with their counts.
export function fieldStats(events) {
  const names = new Set(LABELS);
  for (const e of events) { flatten("", e.fields || {}, names); if (e.flags && e.flags.length) names.add("flags"); }
  const stats = [];
  for (const name of names) {
    const counts = new Map();
    let present = 0;
    for (const e of events) {
      const v = valueOf(e, name);
      if (v == null || v === "") continue;
      present++;
      const key = display(v);
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    if (!present) continue;
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    stats.push({ name, present, distinct: counts.size, top, label: LABELS.includes(name) || name === "flags" });
  }
  return stats;
}

export function renderFields(events, opts) {
  const box = $("fields");
  box.replaceChildren();
  const stats = fieldStats(events);
  const section = (head, list) => {
    if (!list.length) return;
    box.append(el("h4", head));
    for (const f of list) box.append(fieldItem(f, events.length, opts));
  };
  section("labels", stats.filter((f) => f.label));
  section("fields", stats.filter((f) => !f.label).sort((a, b) => b.present - a.present || a.name.localeCompare(b.name)));
  if (!stats.length) box.append(el("p", "no events", "muted"));
}

function fieldItem(f, total, opts) {
  const item = el("div", null, "field");
  item.dataset.field = f.name;
  const head = el("div", null, "fname");
  const values = el("ul", null, "hidden");
  const name = button(f.name, () => values.classList.toggle("hidden"), "name");
  name.title = f.name + ": in " + f.present + " of " + total + " events, " + f.distinct + " values";
  const isCol = opts.columns.includes(f.name);
  const col = button(isCol ? "−col" : "+col", () => opts.toggleColumn(f.name), "small col");
  col.setAttribute("aria-pressed", String(isCol));
  col.title = isCol ? "remove the column" : "show as a column";
  head.append(name, el("span", f.present, "muted"), col);
  for (const [v, n] of f.top) {
    const li = el("li");
    const share = n / total;
    const vs = el("span", v, "v");
    vs.title = v;
    const plus = button("+", () => opts.filter(f.name, v, false), "small plus");
    plus.title = "filter for this value";
    const minus = button("−", () => opts.filter(f.name, v, true), "small minus");
    minus.title = "filter out this value";
    const bar = el("span", null, "bar");
    bar.style.width = Math.max(2, Math.round(share * 100)) + "%";
    li.append(vs, el("span", Math.round(share * 100) + "%", "muted"), plus, minus, bar);
    values.append(li);
  }
  item.append(head, values);
  return item;
}
