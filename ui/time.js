// Times: shown in the browser's zone (or UTC) to the millisecond; ranges as the URL and the API take them.
import { $ } from "./dom.js";

export const utc = () => $("utc").checked;
const p2 = (n) => String(n).padStart(2, "0");
const p3 = (n) => String(n).padStart(3, "0");

// Milliseconds since the epoch of an RFC 3339 time with up to nanoseconds ("2026-11-20T10:00:00.123456789Z").
export function ms(rfc3339) {
  if (typeof rfc3339 === "number") return rfc3339;
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339 || "");
  if (!m) return Date.parse(rfc3339);
  const frac = m[2] ? Number((m[2].slice(1) + "00").slice(0, 3)) : 0;
  return Date.parse(m[1] + m[3]) + frac;
}

function parts(t) {
  const d = new Date(t);
  return utc() ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
               : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
}

// "2026-11-20 11:00:00.123" in the chosen zone (with a "Z" when UTC).
export function show(t) {
  const [y, mo, d, h, mi, s, ml] = parts(ms(t));
  return y + "-" + p2(mo) + "-" + p2(d) + " " + p2(h) + ":" + p2(mi) + ":" + p2(s) + "." + p3(ml) + (utc() ? "Z" : "");
}

// An axis label: the time of day, with the date when the span is a day or more.
export function tick(t, spanMs) {
  const [, mo, d, h, mi, s] = parts(t);
  if (spanMs >= 2 * 86400000) return p2(mo) + "-" + p2(d) + " " + p2(h) + ":" + p2(mi);
  if (spanMs <= 120000) return p2(h) + ":" + p2(mi) + ":" + p2(s);
  return p2(h) + ":" + p2(mi);
}

// The value of a datetime-local input for t, and back.
export function toLocalInput(t) {
  const [y, mo, d, h, mi, s, ml] = parts(t);
  return y + "-" + p2(mo) + "-" + p2(d) + "T" + p2(h) + ":" + p2(mi) + ":" + p2(s) + "." + p3(ml);
}
export function fromLocalInput(v) {
  if (!v) return null;
  const m = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+)(?::(\d+)(?:\.(\d+))?)?$/.exec(v);
  if (!m) return null;
  const a = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0), Number(((m[7] || "") + "000").slice(0, 3))];
  return utc() ? Date.UTC(...a) : new Date(...a).getTime();
}

export const iso = (t) => new Date(t).toISOString();

// Monday 00:00 of the ISO week holding t, in the chosen zone.
export function weekStart(t) {
  const d = new Date(t);
  if (utc()) {
    const day = (d.getUTCDay() + 6) % 7;
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
  }
  const day = (d.getDay() + 6) % 7;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - day).getTime();
}

// The ISO week ("2026-W47") holding t (UTC, as the report counts weeks).
export function isoWeek(t) {
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  const first = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((thursday - first) / 86400000 - 3 + (first.getUTCDay() + 6) % 7) / 7);
  return year + "-W" + p2(week);
}

const UNITS = { s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000 };
// "now", "now-15m", "15m" (that long ago), or RFC 3339: milliseconds (null for an open end).
export function resolve(text, now) {
  if (!text) return null;
  if (text === "now") return now;
  let m = /^now-(\d+)([smhdw])$/.exec(text) || /^(\d+)([smhdw])$/.exec(text);
  if (m) return now - Number(m[1]) * UNITS[m[2]];
  const t = ms(text);
  return Number.isNaN(t) ? null : t;
}

// A duration the server reads ("90s"), for a histogram bucket width.
export function seconds(msWidth) { return Math.max(1, Math.round(msWidth / 1000)) + "s"; }
