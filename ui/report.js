// The weekly report as `report --format html` renders it, in a sandboxed frame (no scripts, its own origin),
// with a week picker and downloads of the Markdown, HTML and JSON.
import { $ } from "./dom.js";
import { api, download } from "./api.js";
import { isoWeek } from "./time.js";

// The page's nonce: the frame's document inherits the page's policy, so the report's one style sheet carries it.
const nonce = () => { const s = document.querySelector("script[nonce]"); return s ? s.nonce : ""; };

export function lastCompleteWeek() { return isoWeek(Date.now() - 7 * 86400000); }

export async function renderReport(week) {
  const w = week || lastCompleteWeek();
  $("week").value = w;
  const html = await api("/api/v1/report?" + new URLSearchParams({ format: "html", week: w }));
  const n = nonce();
  $("report").srcdoc = n ? html.replace("<style>", "<style nonce=\"" + n + "\">") : html;
  return w;
}

export function initReport(onWeek) {
  $("week").addEventListener("change", () => onWeek($("week").value));
  for (const [id, format, ext] of [["dl-md", "md", "md"], ["dl-html", "html", "html"], ["dl-json", "json", "json"]]) {
    $(id).addEventListener("click", (ev) => {
      ev.preventDefault();
      const w = $("week").value || lastCompleteWeek();
      download("/api/v1/report?" + new URLSearchParams({ format, week: w }), "logsift-report-" + w + "." + ext).catch((e) => { $(id).title = e.message; });
    });
  }
}
