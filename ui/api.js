// The server's API (same origin) with the read token the user typed (sessionStorage, never a cookie).
import { $ } from "./dom.js";

export function token() { return $("token").value; }

export async function api(path, options) {
  const headers = {};
  const t = token();
  if (t) headers["Authorization"] = "Bearer " + t;
  const init = { headers, credentials: "omit" };
  if (options && options.method) init.method = options.method;
  if (options && options.body !== undefined) { init.body = JSON.stringify(options.body); headers["Content-Type"] = "application/json"; }
  const r = await fetch(path, init);
  const body = await r.text();
  let j = null;
  try { j = JSON.parse(body); } catch (e) { /* not JSON: Markdown, HTML */ }
  if (!r.ok) throw new Error(j && j.error ? j.error.message + (j.error.caret ? "\n" + j.error.caret : "") : r.status + " " + r.statusText);
  return j === null ? body : j;
}

// A download of an API answer: fetched with the token, handed to the browser as a blob.
export async function download(path, filename) {
  const headers = {};
  const t = token();
  if (t) headers["Authorization"] = "Bearer " + t;
  const r = await fetch(path, { headers, credentials: "omit" });
  if (!r.ok) throw new Error(r.status + " " + r.statusText);
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = url; a.download = filename; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
