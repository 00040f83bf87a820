"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
  const REVIEWER_KEY = "outfall.review.reviewer";
  const app = { info: null, all: [], byId: new Map(), view: [], current: null, rejecting: false, busy: false };
  const lang = document.documentElement.dataset.lang === "en" ? "en" : "zh";
  let messages = {};
  // The page's text in its language (/assets/i18n/<lang>.json); {0}, {1}… are replaced by the arguments.
  function T(key) {
    const args = Array.prototype.slice.call(arguments, 1);
    const text = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key.replace(/^[a-z]+\./, "");
    return text.replace(/\{(\d)\}/g, (m, i) => String(args[Number(i)]));
  }
  const stateName = (s) => T("state." + s);
  const reasonName = (r) => T("reason." + r);
  const signName = (s) => T("sign." + s);
  let map = null;

  function banner(text, isError) {
    $("banner-text").textContent = text;
    $("banner").className = isError ? "error" : "";
    $("banner").hidden = false;
  }
  function status(text) { $("status").textContent = text; }

  async function api(path, options) {
    const r = await fetch(path, Object.assign({ credentials: "same-origin", cache: "no-store" }, options || {}));
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status, body: body };
  }

  // ---- list -------------------------------------------------------------------------------------------
  function fillSelect(select, values, label) {
    for (const v of values) { const o = el("option", v === "" ? T("none") : (label ? label(v) : v)); o.value = v === "" ? "\u0000none" : v; select.appendChild(o); }
  }

  function applyFilters() {
    const sign = $("f-sign").value, water = $("f-water").value, state = $("f-state").value;
    const minConf = parseFloat($("min-conf").value) || 0;
    let v = app.all.filter((c) =>
      c.confidence >= minConf &&
      (!sign || c.signs.includes(sign)) &&
      (!water || (water === "\u0000none" ? c.water === "" : c.water === water)) &&
      (!state || c.decision.state === state));
    const sort = $("sort").value;
    const cmp = {
      "rank": (a, b) => a.rank - b.rank,
      "confidence-asc": (a, b) => a.confidence - b.confidence || a.rank - b.rank,
      "id": (a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
      "water": (a, b) => a.water.localeCompare(b.water) || a.rank - b.rank,
      "state": (a, b) => a.decision.state.localeCompare(b.decision.state) || a.rank - b.rank,
    }[sort] || ((a, b) => a.rank - b.rank);
    v.sort(cmp);
    app.view = v;
    renderList();
  }

  function stateBadge(state) { const b = el("span", stateName(state), "state " + state); b.dataset.state = state; return b; }

  function renderList() {
    const tbody = $("list").tBodies[0];
    tbody.replaceChildren();
    for (const c of app.view) {
      const tr = document.createElement("tr");
      tr.dataset.id = c.id;
      tr.dataset.state = c.decision.state;
      if (app.current && c.id === app.current.id) tr.className = "selected";
      tr.appendChild(el("td", c.id));
      tr.appendChild(el("td", c.confidence.toFixed(2)));
      const signs = el("td", c.signs.map(signName).join("+")); signs.title = c.signs.join(", "); tr.appendChild(signs);
      const w = el("td", c.water); w.title = c.water; tr.appendChild(w);
      const s = el("td"); s.appendChild(stateBadge(c.decision.state)); tr.appendChild(s);
      tr.addEventListener("click", () => select(c.id));
      tbody.appendChild(tr);
    }
    $("list-empty").hidden = app.view.length > 0;
    const reviewed = app.all.filter((c) => c.decision.state !== "unreviewed").length;
    $("progress").textContent = T("progress", reviewed, app.all.length);
    const sel = tbody.querySelector("tr.selected");
    if (sel) sel.scrollIntoView({ block: "nearest" });
  }

  // ---- detail -----------------------------------------------------------------------------------------
  function describe(d) {
    if (d.version === 0) return stateName("unreviewed");
    return T("decided", stateName(d.state) + (d.reason ? " (" + reasonName(d.reason) + ")" : ""), d.reviewer || "?",
      d.decidedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"), d.version);
  }

  function select(id) {
    const c = app.byId.get(id);
    if (!c) return;
    app.current = c;
    setRejecting(false);
    $("cand-title").textContent = T("candTitle", c.id, c.confidence.toFixed(2), c.signs.map(signName).join(" + ") || T("noSign"));
    renderDecision();
    $("note").value = c.decision.note || "";
    $("evidence-line").textContent = lang === "zh" && c.evidenceZh ? c.evidenceZh : c.evidence;
    const tb = $("evidence").tBodies[0];
    tb.replaceChildren();
    const rows = [[T("waterBody"), c.water || "—"], [T("wgs84"), c.lon.toFixed(6) + " / " + c.lat.toFixed(6)]]
      .concat(c.fields.map((f) => [T("field." + f[0]), f[1]]));
    for (const [k, v] of rows) { const tr = document.createElement("tr"); tr.appendChild(el("td", k)); tr.appendChild(el("td", v)); tb.appendChild(tr); }
    const eid = encodeURIComponent(c.id);
    const layers = app.info.layers;
    $("chip-rgb").hidden = !layers.includes("ortho");
    $("chip-thermal").hidden = !layers.includes("thermal");
    if (layers.includes("ortho")) $("chip-rgb").src = "/chips/" + eid + "/rgb.png?lang=" + lang;
    if (layers.includes("thermal")) $("chip-thermal").src = "/chips/" + eid + "/thermal.png?lang=" + lang;
    history.replaceState(null, "", "#" + eid);
    if (map) { map.draw(app.all, c); map.centre(c.x, c.y); }
    loadHistory(c);
    for (const tr of $("list").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.id === c.id);
    const sel = $("list").tBodies[0].querySelector("tr.selected");
    if (sel) sel.scrollIntoView({ block: "nearest" });
  }

  function renderDecision() {
    const c = app.current;
    const box = $("cand-decision");
    box.replaceChildren(stateBadge(c.decision.state), el("span", " " + describe(c.decision)));
    box.dataset.state = c.decision.state;
    box.dataset.version = String(c.decision.version);
  }

  async function loadHistory(c) {
    const r = await api("/api/candidates/" + encodeURIComponent(c.id) + "/history");
    if (app.current !== c) return;
    const ol = $("history");
    ol.replaceChildren();
    if (r.status !== 200 || !Array.isArray(r.body)) return;
    for (const h of r.body) {
      ol.appendChild(el("li", T("historyItem", h.version, stateName(h.state) + (h.reason ? " (" + reasonName(h.reason) + ")" : ""), h.reviewer,
        h.decidedAt, stateName(h.previousState), h.previousVersion) + (h.note ? T("historyNote", h.note) : "")));
    }
    if (!r.body.length) ol.appendChild(el("li", T("noDecision")));
  }

  function move(step) {
    if (!app.view.length) return;
    let i = app.current ? app.view.findIndex((c) => c.id === app.current.id) : -1;
    if (i < 0) i = step > 0 ? -1 : app.view.length;
    const j = Math.min(app.view.length - 1, Math.max(0, i + step));
    select(app.view[j].id);
  }

  function setRejecting(on) {
    app.rejecting = on;
    $("reasons").hidden = !on;
  }

  async function decide(state, reason, keepHere) {
    const c = app.current;
    if (!c || app.busy) return;
    const reviewer = $("reviewer").value.trim();
    if (!reviewer) { banner(T("needName"), true); $("reviewer").focus(); return; }
    localStorage.setItem(REVIEWER_KEY, reviewer);
    setRejecting(false);
    app.busy = true;
    try {
      const r = await api("/api/candidates/" + encodeURIComponent(c.id) + "/decision", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ state: state, reason: reason || "", note: $("note").value, reviewer: reviewer, version: c.decision.version }),
      });
      if (r.status === 200 && r.body) {
        c.decision = r.body;
        $("banner").hidden = true;
        status(T("saved", c.id, stateName(state) + (reason ? " (" + reasonName(reason) + ")" : "")));
        renderList();
        if (map) map.draw(app.all, app.current);
        if (app.current === c) { renderDecision(); loadHistory(c); }
        if (!keepHere && app.current === c) move(1);
      } else if (r.status === 409 && r.body && r.body.current) {
        c.decision = r.body.current;
        renderList();
        if (app.current === c) { renderDecision(); $("note").value = c.decision.note || ""; loadHistory(c); }
        const cur = r.body.current;
        banner(T("conflict", c.id, cur.reviewer || T("someoneElse"), stateName(cur.state), cur.version), false);
        if (map) map.draw(app.all, app.current);
        status("");
      } else {
        banner(T("notSaved", (r.body && r.body.error) || ("HTTP " + r.status)), true);
      }
    } catch (e) {
      banner(T("noAnswer", e), true);
    } finally {
      app.busy = false;
    }
  }

  // ---- keyboard ---------------------------------------------------------------------------------------
  function onKey(e) {
    if (e.ctrlKey && e.key === "Enter" && e.target === $("note")) { e.preventDefault(); saveNote(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (app.rejecting) {
      const i = parseInt(e.key, 10);
      if (i >= 1 && i <= app.info.reasons.length) { e.preventDefault(); decide("rejected", app.info.reasons[i - 1]); return; }
      if (e.key === "Escape") { e.preventDefault(); setRejecting(false); return; }
    }
    if (e.key === "Escape" && map && map.measuring()) { e.preventDefault(); map.toggleMeasure(false); return; }
    switch (e.key) {
      case "a": decide("accepted"); break;
      case "r": setRejecting(true); break;
      case "u": decide("unsure"); break;
      case "n": case "j": case "ArrowDown": move(1); break;
      case "p": case "k": case "ArrowUp": move(-1); break;
      case "+": case "=": if (map) map.zoom(1); break;
      case "-": case "_": if (map) map.zoom(-1); break;
      case "t": if (map) map.nextLayer(); break;
      case "m": if (map) map.toggleMeasure(); break;
      case "Escape": setRejecting(false); $("banner").hidden = true; break;
      default: return;
    }
    e.preventDefault();
  }

  function saveNote() {
    const c = app.current; if (!c) return;
    decide(c.decision.state, c.decision.state === "rejected" ? c.decision.reason : "", true);
  }

  // ---- start ------------------------------------------------------------------------------------------
  async function start() {
    $("reviewer").value = localStorage.getItem(REVIEWER_KEY) || "";
    $("reviewer").addEventListener("change", () => localStorage.setItem(REVIEWER_KEY, $("reviewer").value.trim()));
    $("banner-close").addEventListener("click", () => { $("banner").hidden = true; });
    const [info, list, text] = await Promise.all([api("/api/run"), api("/api/candidates"), api("/assets/i18n/" + lang + ".json")]);
    if (text.status === 200 && text.body) messages = text.body;
    if (info.status !== 200 || list.status !== 200) { banner(T("cannotLoad", info.status, list.status), true); return; }
    app.info = info.body;
    app.all = list.body;
    for (const c of app.all) app.byId.set(c.id, c);
    fillSelect($("f-sign"), [...new Set(app.all.flatMap((c) => c.signs))].sort(), signName);
    fillSelect($("f-water"), [...new Set(app.all.map((c) => c.water))].sort());
    for (const s of app.info.states) { const o = el("option", stateName(s)); o.value = s; $("f-state").appendChild(o); }
    app.info.reasons.forEach((reason, i) => {
      const b = el("button", "", "rejected"); b.type = "button"; b.dataset.reason = reason;
      b.appendChild(el("kbd", String(i + 1))); b.appendChild(document.createTextNode(" " + reasonName(reason)));
      b.addEventListener("click", () => decide("rejected", reason));
      $("reasons").appendChild(b);
    });
    for (const id of ["sort", "min-conf", "f-sign", "f-water", "f-state"]) $(id).addEventListener("change", applyFilters);
    $("btn-accept").addEventListener("click", () => decide("accepted"));
    $("btn-reject").addEventListener("click", () => setRejecting(!app.rejecting));
    $("btn-unsure").addEventListener("click", () => decide("unsure"));
    $("btn-prev").addEventListener("click", () => move(-1));
    $("btn-next").addEventListener("click", () => move(1));
    $("btn-note").addEventListener("click", saveNote);
    document.addEventListener("keydown", onKey);
    for (const code of ["zh", "en"]) $("lang-" + code).classList.toggle("current", code === lang);
    map = window.ReviewMap ? window.ReviewMap.create($("map"), app.info, T, select) : null;
    if (!map && app.info.layers.length) {
      if (typeof L === "undefined") banner(T("noLeaflet"), true);
      $("map").hidden = true;
    }
    applyFilters();
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (app.byId.has(wanted)) select(wanted);
    else if (app.view.length) select(app.view[0].id);
    else $("cand-title").textContent = T("noCandidates");
    document.body.dataset.ready = "1";
  }
  document.addEventListener("DOMContentLoaded", start);
})();
