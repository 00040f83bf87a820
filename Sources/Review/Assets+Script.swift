// The review page's script (keyboard, list, map, decisions). Text from the run or users goes in via textContent.
extension Assets {
    static let appJS = #"""
    "use strict";
    (function () {
      const $ = (id) => document.getElementById(id);
      const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
      const SVG = "http://www.w3.org/2000/svg";
      const REVIEWER_KEY = "outfall.review.reviewer";
      const app = { info: null, all: [], byId: new Map(), view: [], current: null, rejecting: false, busy: false };

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
      function fillSelect(select, values) {
        for (const v of values) { const o = el("option", v === "" ? "(none)" : v); o.value = v === "" ? "\u0000none" : v; select.appendChild(o); }
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

      function stateBadge(state) { return el("span", state, "state " + state); }

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
          const signs = el("td", c.signs.map((s) => s.replace("thermal_", "")).join("+")); signs.title = c.signs.join(", "); tr.appendChild(signs);
          const w = el("td", c.water); w.title = c.water; tr.appendChild(w);
          const s = el("td"); s.appendChild(stateBadge(c.decision.state)); tr.appendChild(s);
          tr.addEventListener("click", () => select(c.id));
          tbody.appendChild(tr);
        }
        $("list-empty").hidden = app.view.length > 0;
        const reviewed = app.all.filter((c) => c.decision.state !== "unreviewed").length;
        $("progress").textContent = reviewed + " / " + app.all.length + " reviewed";
        const sel = tbody.querySelector("tr.selected");
        if (sel) sel.scrollIntoView({ block: "nearest" });
      }

      // ---- detail -----------------------------------------------------------------------------------------
      function describe(d) {
        if (d.version === 0) return "unreviewed";
        let s = d.state + (d.reason ? " (" + d.reason + ")" : "") + " by " + (d.reviewer || "?") + ", " + d.decidedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC") + " · v" + d.version;
        return s;
      }

      function select(id) {
        const c = app.byId.get(id);
        if (!c) return;
        app.current = c;
        setRejecting(false);
        $("cand-title").textContent = c.id + " · confidence " + c.confidence.toFixed(2) + " · " + (c.signs.join(" + ") || "no sign");
        renderDecision();
        $("note").value = c.decision.note || "";
        $("evidence-line").textContent = c.evidence;
        const tb = $("evidence").tBodies[0];
        tb.replaceChildren();
        const rows = [["water body", c.water || "—"], ["WGS 84 lon / lat", c.lon.toFixed(6) + " / " + c.lat.toFixed(6)]].concat(c.fields);
        for (const [k, v] of rows) { const tr = document.createElement("tr"); tr.appendChild(el("td", k)); tr.appendChild(el("td", v)); tb.appendChild(tr); }
        const eid = encodeURIComponent(c.id);
        const layers = app.info.layers;
        $("chip-rgb").hidden = !layers.includes("ortho");
        $("chip-thermal").hidden = !layers.includes("thermal");
        if (layers.includes("ortho")) $("chip-rgb").src = "/chips/" + eid + "/rgb.png";
        if (layers.includes("thermal")) $("chip-thermal").src = "/chips/" + eid + "/thermal.png";
        history.replaceState(null, "", "#" + eid);
        map.centre(c.x, c.y, true);
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
          ol.appendChild(el("li", "v" + h.version + " " + h.state + (h.reason ? " (" + h.reason + ")" : "") + " by " + h.reviewer + " at " + h.decidedAt +
            " — was " + h.previousState + " (v" + h.previousVersion + ")" + (h.note ? " · note: " + h.note : "")));
        }
        if (!r.body.length) ol.appendChild(el("li", "no decision yet"));
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
        if (!reviewer) { banner("Enter your name in the Reviewer box first (it is remembered in this browser).", true); $("reviewer").focus(); return; }
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
            status("Saved: " + c.id + " " + state + (reason ? " (" + reason + ")" : ""));
            renderList();
            if (app.current === c) { renderDecision(); loadHistory(c); }
            if (!keepHere && app.current === c) move(1);
          } else if (r.status === 409 && r.body && r.body.current) {
            c.decision = r.body.current;
            renderList();
            if (app.current === c) { renderDecision(); $("note").value = c.decision.note || ""; loadHistory(c); }
            banner("Conflict: " + r.body.message + " The page now shows their decision; decide again if you still disagree.", false);
            status("");
          } else {
            banner("Not saved: " + ((r.body && r.body.error) || ("HTTP " + r.status)), true);
          }
        } catch (e) {
          banner("Not saved: the server did not answer (" + e + ").", true);
        } finally {
          app.busy = false;
        }
      }

      // ---- map --------------------------------------------------------------------------------------------
      const map = {
        z: 0, cx: 0, cy: 0, layer: "ortho", imgs: new Map(),
        el: null, tiles: null, svg: null,
        init() {
          this.el = $("map"); this.tiles = $("tiles"); this.svg = $("overlay");
          const p = app.info.pyramid;
          const sel = $("layer");
          for (const l of app.info.layers) { const o = el("option", l); o.value = l; sel.appendChild(o); }
          if (!p || !app.info.layers.length) { this.el.hidden = true; return; }
          this.layer = app.info.layers[0];
          sel.addEventListener("change", () => { this.layer = sel.value; this.draw(); });
          $("zoom-in").addEventListener("click", () => this.zoom(1));
          $("zoom-out").addEventListener("click", () => this.zoom(-1));
          this.el.addEventListener("wheel", (e) => { e.preventDefault(); this.zoom(e.deltaY < 0 ? 1 : -1); }, { passive: false });
          let drag = null;
          this.el.addEventListener("pointerdown", (e) => { if (e.target.closest("#map-controls")) return; drag = { x: e.clientX, y: e.clientY, cx: this.cx, cy: this.cy }; this.el.setPointerCapture(e.pointerId); });
          this.el.addEventListener("pointermove", (e) => {
            if (!drag) return;
            const r = this.res();
            this.cx = drag.cx - (e.clientX - drag.x) * r; this.cy = drag.cy + (e.clientY - drag.y) * r; this.draw();
          });
          const end = () => { drag = null; };
          this.el.addEventListener("pointerup", end); this.el.addEventListener("pointercancel", end);
        },
        res() { return app.info.pyramid.resolutions[this.z]; },
        zoom(dz) { const p = app.info.pyramid; if (!p) return; this.z = Math.max(0, Math.min(p.resolutions.length - 1, this.z + dz)); this.draw(); },
        centre(x, y, resetZoom) {
          const p = app.info.pyramid; if (!p) return;
          this.cx = x; this.cy = y;
          if (resetZoom) {
            // About 120 m across, or the finest level.
            const w = this.el.clientWidth || 560;
            let z = 0;
            while (z < p.resolutions.length - 1 && p.resolutions[z] * w > 120) z++;
            this.z = z;
          }
          this.draw();
        },
        draw() {
          const p = app.info.pyramid; if (!p) return;
          const W = this.el.clientWidth, H = this.el.clientHeight, r = this.res(), span = r * p.tileSize;
          const left = this.cx - W / 2 * r, top = this.cy + H / 2 * r;
          const x0 = Math.max(0, Math.floor((left - p.originX) / span)), x1 = Math.min(p.columns[this.z] - 1, Math.floor((left + W * r - p.originX) / span));
          const y0 = Math.max(0, Math.floor((p.originY - top) / span)), y1 = Math.min(p.rows[this.z] - 1, Math.floor((p.originY - (top - H * r)) / span));
          const keep = new Set();
          for (let ty = y0; ty <= y1; ty++) {
            for (let tx = x0; tx <= x1; tx++) {
              const key = this.layer + "/" + this.z + "/" + tx + "/" + ty;
              keep.add(key);
              let img = this.imgs.get(key);
              if (!img) {
                img = document.createElement("img");
                img.alt = ""; img.draggable = false;
                img.src = "/tiles/" + key + ".png";
                img.addEventListener("error", () => { img.style.visibility = "hidden"; });
                this.imgs.set(key, img);
                this.tiles.appendChild(img);
              }
              img.style.left = Math.round((p.originX + tx * span - left) / r) + "px";
              img.style.top = Math.round((top - (p.originY - ty * span)) / r) + "px";
            }
          }
          for (const [k, img] of this.imgs) if (!keep.has(k)) { img.remove(); this.imgs.delete(k); }
          this.overlay(left, top, r, W, H);
          const m = r * W / 4, nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000].filter((n) => n <= m).pop() || 1;
          $("scale").textContent = Math.round(nice / r) + " px = " + nice + " m · z" + this.z;
        },
        overlay(left, top, r, W, H) {
          const svg = this.svg;
          svg.replaceChildren();
          svg.setAttribute("viewBox", "0 0 " + W + " " + H);
          const sx = (x) => ((x - left) / r).toFixed(1), sy = (y) => ((top - y) / r).toFixed(1);
          for (const c of app.all) {
            const isCur = app.current && c.id === app.current.id;
            for (const ring of c.plume) {
              const poly = document.createElementNS(SVG, "polygon");
              poly.setAttribute("points", ring.map((q) => sx(q[0]) + "," + sy(q[1])).join(" "));
              poly.setAttribute("fill", isCur ? "rgba(0,220,255,0.15)" : "none");
              poly.setAttribute("stroke", isCur ? "#00dcff" : "rgba(255,255,255,0.6)");
              poly.setAttribute("stroke-width", isCur ? "2" : "1");
              svg.appendChild(poly);
            }
            const circle = document.createElementNS(SVG, "circle");
            circle.setAttribute("cx", sx(c.x)); circle.setAttribute("cy", sy(c.y)); circle.setAttribute("r", isCur ? "9" : "5");
            const colour = { accepted: "#2fbf4f", rejected: "#e5483d", unsure: "#f2c200" }[c.decision.state] || "#ffffff";
            circle.setAttribute("fill", "none"); circle.setAttribute("stroke", colour); circle.setAttribute("stroke-width", isCur ? "3" : "2");
            svg.appendChild(circle);
            const label = document.createElementNS(SVG, "text");
            label.setAttribute("x", String(parseFloat(sx(c.x)) + 11)); label.setAttribute("y", String(parseFloat(sy(c.y)) - 8));
            label.setAttribute("fill", "#fff"); label.setAttribute("font-size", "12"); label.setAttribute("paint-order", "stroke");
            label.setAttribute("stroke", "#000"); label.setAttribute("stroke-width", "3");
            label.textContent = c.id;
            svg.appendChild(label);
          }
        },
      };

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
        switch (e.key) {
          case "a": decide("accepted"); break;
          case "r": setRejecting(true); break;
          case "u": decide("unsure"); break;
          case "n": case "j": case "ArrowDown": move(1); break;
          case "p": case "k": case "ArrowUp": move(-1); break;
          case "+": case "=": map.zoom(1); break;
          case "-": case "_": map.zoom(-1); break;
          case "t": {
            const ls = app.info.layers; if (ls.length > 1) { map.layer = ls[(ls.indexOf(map.layer) + 1) % ls.length]; $("layer").value = map.layer; map.draw(); }
            break;
          }
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
        const [info, list] = await Promise.all([api("/api/run"), api("/api/candidates")]);
        if (info.status !== 200 || list.status !== 200) { banner("Cannot load the run (HTTP " + info.status + "/" + list.status + ").", true); return; }
        app.info = info.body;
        app.all = list.body;
        for (const c of app.all) app.byId.set(c.id, c);
        fillSelect($("f-sign"), [...new Set(app.all.flatMap((c) => c.signs))].sort());
        fillSelect($("f-water"), [...new Set(app.all.map((c) => c.water))].sort());
        for (const s of app.info.states) { const o = el("option", s); o.value = s; $("f-state").appendChild(o); }
        app.info.reasons.forEach((reason, i) => {
          const b = el("button", "", "rejected"); b.type = "button"; b.dataset.reason = reason;
          b.appendChild(el("kbd", String(i + 1))); b.appendChild(document.createTextNode(" " + reason));
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
        map.init();
        applyFilters();
        const wanted = decodeURIComponent(location.hash.slice(1));
        if (app.byId.has(wanted)) select(wanted);
        else if (app.view.length) select(app.view[0].id);
        else $("cand-title").textContent = "No candidates in this run.";
        document.body.dataset.ready = "1";
      }
      document.addEventListener("DOMContentLoaded", start);
    })();
    """#
}
