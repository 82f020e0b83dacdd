// Saved searches: a name for the query and its range, kept in the store (also `logsift search --saved NAME`).
import { $, el, button } from "./dom.js";
import { api } from "./api.js";

export async function listSaved(onOpen) {
  const list = $("saved-list");
  try {
    const r = await api("/api/v1/saved");
    list.replaceChildren();
    if (!r.saved.length) list.append(el("li", "no saved searches yet", "muted"));
    for (const s of r.saved) {
      const li = el("li");
      li.dataset.name = s.name;
      const open = button(s.name, () => onOpen(s), "open");
      open.title = s.query + "  [" + (s.from || "…") + " → " + (s.to || "now") + "]";
      const del = button("×", async () => { await api("/api/v1/saved/" + encodeURIComponent(s.name), { method: "DELETE" }); listSaved(onOpen); }, "small");
      del.title = "delete";
      li.append(open, del);
      list.append(li);
    }
  } catch (e) { list.replaceChildren(el("li", e.message, "muted")); }
}

export async function saveSearch(name, q, from, to) {
  return api("/api/v1/saved", { method: "POST", body: { name, query: q, from, to } });
}
