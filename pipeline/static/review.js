// The review page's filters, inlined into the page by pipeline/review.py.
"use strict";
const rows = Array.from(document.querySelectorAll("#record-table tbody tr"));
const value = (id) => { const el = document.getElementById(id); return el ? el.value : ""; };
function apply() {
  const statuses = new Set(Array.from(document.querySelectorAll("input[name=status]:checked"), (b) => b.value));
  const country = value("f-country"), province = value("f-province"), change = value("f-change");
  const from = value("f-from"), to = value("f-to");
  let shown = 0;
  for (const row of rows) {
    const d = row.dataset;
    const dated = !(from || to) || (d.from !== "" && (!from || d.to >= from) && (!to || d.from <= to));
    const keep = statuses.has(d.status) && (!country || d.country === country)
      && (!province || d.province === province) && (!change || d.change === change) && dated;
    row.hidden = !keep;
    if (keep) shown += 1;
  }
  document.getElementById("shown").textContent = shown + " of " + rows.length + " records";
}
document.getElementById("filters").addEventListener("input", apply);
document.getElementById("filters").addEventListener("change", apply);
for (const link of document.querySelectorAll("a.show")) {
  link.addEventListener("click", (event) => {
    const mark = document.querySelector('mark[data-records~="' + link.dataset.key + '"]');
    if (!mark) return;
    event.preventDefault();
    document.querySelectorAll("mark.flash").forEach((m) => m.classList.remove("flash"));
    document.querySelectorAll('mark[data-records~="' + link.dataset.key + '"]').forEach((m) => m.classList.add("flash"));
    mark.scrollIntoView({ block: "center" });
  });
}
apply();
