// planscan review: boxes over the page images, the figure table and the editor, kept in step.
// Every piece of document text is set with textContent, never as HTML: OCR output is untrusted.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const who = document.getElementById("reviewer");
  if (who) {
    const saved = localStorage.getItem("planscan-reviewer");
    if (saved) who.value = saved;
    who.addEventListener("change", () => localStorage.setItem("planscan-reviewer", who.value));
  }
  const payloadEl = document.getElementById("payload");
  if (!payloadEl) return;
  const payload = JSON.parse(payloadEl.textContent);
  const docId = payload.document;
  const figures = new Map(payload.figures.map((f) => [f.id, f]));
  const order = payload.figures.map((f) => f.id);
  const pages = new Map(payload.pages.map((p) => [p.number, p]));
  const undoStack = [];
  let selected = null, zoom = 1, adding = false, draft = null;
  const $ = (id) => document.getElementById(id);
  const editor = $("editor"), message = $("message");

  function post(path, body) {
    body.reviewer = who ? who.value : "";
    return fetch(`/doc/${docId}/${path}`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    }).then((r) => r.json().then((j) => { if (!r.ok) throw new Error(j.error || r.statusText); return j; }));
  }
  function say(text, bad) { message.textContent = text; message.className = "message" + (bad ? " bad" : ""); }
  function fmt(v) { return v === null || v === undefined ? "" : String(v); }
  function num(v) { return Number.isInteger(v) ? v.toLocaleString("fr-FR") : fmt(v); }

  // --- overlays ---
  function sheet(n) { return document.querySelector(`.sheet[data-page="${n}"]`); }
  function place(el, box) {
    el.style.left = box[0] * 100 + "%"; el.style.top = box[1] * 100 + "%";
    el.style.width = box[2] * 100 + "%"; el.style.height = box[3] * 100 + "%";
  }
  function drawBox(f) {
    document.querySelectorAll(`[data-fig="${f.id}"]`).forEach((e) => e.remove());
    const s = sheet(f.page);
    if (!s) return;
    if (f.box && pages.get(f.page).image) {
      const b = document.createElement("div");
      b.className = `box kind-${f.kind} status-${f.status}`;
      b.dataset.fig = f.id;
      b.title = `${f.indicator}: ${f.value} ${f.unit} (${f.kind}, confidence ${f.confidence.toFixed(2)})`;
      place(b, f.box);
      const c = document.createElement("span");
      c.className = "conf"; c.textContent = f.confidence.toFixed(2);
      b.appendChild(c);
      b.addEventListener("click", (ev) => { if (!adding) { ev.stopPropagation(); select(f.id, false); } });
      s.appendChild(b);
    } else {
      const li = s.querySelector(`li[data-line="${f.line}"]`);
      if (li) { li.classList.add("has-figure", `kind-${f.kind}`); li.dataset.figs = (li.dataset.figs || "") + " " + f.id; }
    }
  }
  document.querySelectorAll(".sheet").forEach((s) => {
    const p = pages.get(Number(s.dataset.page));
    if (p.image) s.style.aspectRatio = `1 / ${p.aspect}`;
    s.querySelectorAll("li[data-line]").forEach((li) => li.addEventListener("click", () => {
      if (adding) { startDraft(p.number, null, Number(li.dataset.line)); return; }
      const ids = (li.dataset.figs || "").trim().split(/\s+/).filter(Boolean).map(Number);
      if (ids.length) select(ids[(ids.indexOf(selected) + 1) % ids.length], false);
    }));
  });
  payload.figures.forEach(drawBox);

  // --- table ---
  function row(id) { return document.querySelector(`#figures tr[data-id="${id}"]`); }
  function fillRow(f) {
    let tr = row(f.id);
    if (!tr) {
      tr = document.createElement("tr"); tr.dataset.id = f.id; tr.tabIndex = -1;
      for (const cls of ["", "c-indicator", "c-key", "c-value num", "c-unit", "c-period", "c-kind", "num", "c-status"]) {
        const td = document.createElement("td"); td.className = cls; tr.appendChild(td);
      }
      tr.children[0].textContent = f.page; tr.children[7].textContent = f.confidence.toFixed(2);
      document.querySelector("#figures tbody").appendChild(tr);
      tr.addEventListener("click", () => select(f.id, true));
    }
    tr.className = `status-${f.status} kind-${f.kind}` + (f.id === selected ? " selected" : "");
    tr.querySelector(".c-indicator").textContent = f.indicator;
    tr.querySelector(".c-indicator").title = f.kind_reason;
    tr.querySelector(".c-key").textContent = f.key;
    tr.querySelector(".c-value").textContent = num(f.value);
    tr.querySelector(".c-unit").textContent = f.unit;
    tr.querySelector(".c-period").textContent = fmt(f.period);
    tr.querySelector(".c-period").title = f.period_reason;
    tr.querySelector(".c-kind").textContent = f.kind;
    tr.querySelector(".c-status").textContent = f.status;
  }
  document.querySelectorAll("#figures tbody tr").forEach((tr) =>
    tr.addEventListener("click", () => select(Number(tr.dataset.id), true)));

  // --- selection and the editor ---
  function select(id, scroll) {
    const f = figures.get(id);
    if (!f) return;
    draft = null;
    document.querySelectorAll(".selected").forEach((e) => e.classList.remove("selected"));
    selected = id;
    const tr = row(id);
    tr.classList.add("selected");
    tr.scrollIntoView({ block: "nearest" });
    const box = document.querySelector(`.box[data-fig="${id}"]`);
    const target = box || document.querySelector(`#page-${f.page} li[data-line="${f.line}"]`) || $(`page-${f.page}`);
    if (box) box.classList.add("selected");
    else if (target && target.tagName === "LI") target.classList.add("selected");
    if (scroll && target) target.scrollIntoView({ block: "center" });
    showCaption(f, box);
    $("editor-title").textContent = `${f.indicator}`;
    $("editor-status").textContent = `${f.status} · p.${f.page}:${f.line}`;
    for (const name of payload.editable) editor.elements[name].value = fmt(f[name]);
    $("why").textContent = `kind: ${f.kind_reason} · period: ${f.period_reason} · text: ${f.text}`;
    say("");
  }
  function showCaption(f, box) {
    const cap = $("caption"), text = $("caption-text");
    const p = pages.get(f.page);
    const ln = p && p.lines[f.line - 1];
    text.textContent = ln ? ln.text : f.text;
    text.title = ln && ln.original ? `OCR: ${ln.original}` : "";
    if (box) { box.parentElement.appendChild(cap); cap.style.left = box.style.left; cap.style.top = `calc(${box.style.top} + ${box.style.height})`; cap.classList.add("on-page"); }
    else { editor.parentElement.insertBefore(cap, editor); cap.classList.remove("on-page"); cap.style.left = cap.style.top = ""; }
    cap.hidden = false;
  }
  function update(f) { figures.set(f.id, f); if (!order.includes(f.id)) order.push(f.id); fillRow(f); drawBox(f); }
  function act(action, fields) {
    if (draft) return saveDraft();
    if (selected === null) return say("select a figure first", true);
    const body = { figure: selected, action };
    if (fields) body.fields = fields;
    post("review", body).then((j) => {
      if (editor.contains(document.activeElement)) document.activeElement.blur();  // j/k/a/r work again at once
      undoStack.push(j.action); update(j.figure); j.figures.forEach(update); select(j.figure.id, false);
      say(`${j.figure.status}` + (j.figures.length ? ` · ${j.figures.length} derived value(s) follow` : ""));
    }).catch((e) => say(e.message, true));
  }
  function changedFields() {
    const f = figures.get(selected), out = {};
    for (const name of payload.editable) if (editor.elements[name].value !== fmt(f[name])) out[name] = editor.elements[name].value;
    return out;
  }
  editor.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (draft) return saveDraft();
    const fields = changedFields();
    if (!Object.keys(fields).length) return say("nothing changed");
    act("correct", fields);
  });
  $("accept").addEventListener("click", () => act("accept"));
  $("reject").addEventListener("click", () => act("reject"));
  $("cancel").addEventListener("click", () => { if (selected !== null) select(selected, false); draft = null; editor.blur(); });

  function undo() {
    post("undo", undoStack.length ? { action: undoStack.pop() } : {}).then((j) => {
      j.figures.forEach(update);
      j.removed.forEach((id) => { figures.delete(id); order.splice(order.indexOf(id), 1);
        document.querySelectorAll(`[data-fig="${id}"]`).forEach((e) => e.remove()); const tr = row(id); if (tr) tr.remove(); });
      say(`undone`);
      if (selected !== null && figures.has(selected)) select(selected, false);
    }).catch((e) => say(e.message, true));
  }
  $("undo").addEventListener("click", undo);

  // --- adding a figure: draw its box on a page image, or pick a line of a text page ---
  function setAdding(on) { adding = on; document.body.classList.toggle("adding", on); $("add-mode").classList.toggle("on", on); }
  $("add-mode").addEventListener("click", () => setAdding(!adding));
  function startDraft(page, box, line) {
    setAdding(false);
    draft = { page, box, line };
    selected = null;
    document.querySelectorAll(".selected").forEach((e) => e.classList.remove("selected"));
    $("editor-title").textContent = `new figure on page ${page}`;
    $("editor-status").textContent = "added";
    for (const name of payload.editable) editor.elements[name].value = "";
    editor.elements.kind.value = "actual";
    editor.elements.value.focus();
    say("fill in what the words do not say; an empty value is read from the words in the box");
  }
  function saveDraft() {
    const body = { page: draft.page, box: draft.box || [0, 0, 0, 0], line: draft.line };
    for (const name of payload.editable) if (editor.elements[name].value) body[name] = editor.elements[name].value;
    post("add", body).then((j) => { undoStack.push(j.action); update(j.figure); j.figures.forEach(update); draft = null; select(j.figure.id, true); say("added"); })
      .catch((e) => say(e.message, true));
  }
  document.querySelectorAll(".sheet").forEach((s) => {
    let start = null, rect = null;
    s.addEventListener("mousedown", (ev) => {
      if (!adding || !pages.get(Number(s.dataset.page)).image) return;
      ev.preventDefault();
      const r = s.getBoundingClientRect();
      start = [(ev.clientX - r.left) / r.width, (ev.clientY - r.top) / r.height];
      rect = document.createElement("div"); rect.className = "box drawing"; s.appendChild(rect);
    });
    s.addEventListener("mousemove", (ev) => {
      if (!start) return;
      const r = s.getBoundingClientRect();
      const x = (ev.clientX - r.left) / r.width, y = (ev.clientY - r.top) / r.height;
      place(rect, [Math.min(x, start[0]), Math.min(y, start[1]), Math.abs(x - start[0]), Math.abs(y - start[1])]);
    });
    s.addEventListener("mouseup", (ev) => {
      if (!start) return;
      const r = s.getBoundingClientRect();
      const x = Math.max(0, Math.min(1, (ev.clientX - r.left) / r.width)), y = Math.max(0, Math.min(1, (ev.clientY - r.top) / r.height));
      const box = [Math.min(x, start[0]), Math.min(y, start[1]), Math.abs(x - start[0]), Math.abs(y - start[1])];
      start = null;
      startDraft(Number(s.dataset.page), box, null);
    });
  });

  // --- zoom and keys ---
  function setZoom(z) { zoom = Math.max(0.5, Math.min(4, z)); $("pages").style.setProperty("--zoom", zoom); }
  $("zoom-in").addEventListener("click", () => setZoom(zoom * 1.25));
  $("zoom-out").addEventListener("click", () => setZoom(zoom / 1.25));
  function step(d) {
    if (!order.length) return;
    const i = selected === null ? (d > 0 ? -1 : 0) : order.indexOf(selected);
    select(order[(i + d + order.length) % order.length], true);
  }
  document.addEventListener("keydown", (ev) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (ev.key === "Escape") { document.activeElement.blur(); setAdding(false); if (selected !== null) select(selected, false); return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const keys = {
      j: () => step(1), ArrowDown: () => step(1), k: () => step(-1), ArrowUp: () => step(-1),
      a: () => act("accept"), r: () => act("reject"), u: undo, n: () => setAdding(!adding),
      e: () => { if (selected !== null) { editor.elements.value.focus(); editor.elements.value.select(); } },
      "+": () => setZoom(zoom * 1.25), "=": () => setZoom(zoom * 1.25), "-": () => setZoom(zoom / 1.25),
    };
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });
  const hash = location.hash.match(/^#fig-(\d+)$/);
  if (hash && figures.has(Number(hash[1]))) select(Number(hash[1]), true);
})();
