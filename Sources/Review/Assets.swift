import Handover

/// The page, script and style of the review app, embedded so the binary serves them with nothing else
/// installed (no CDN, no resource bundle). Text from the run or from users reaches the page only through
/// `textContent` (script) or `HTMLText.escape` (server-rendered HTML).
enum Assets {
    static func page(runName: String) -> String {
        let name = HTMLText.escape(runName)
        return #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Review · \#(name)</title>
        <link rel="stylesheet" href="/assets/app.css">
        <script src="/assets/app.js" defer></script>
        </head>
        <body>
        <header>
          <h1>Outfall review <span id="run-name">\#(name)</span></h1>
          <span id="progress"></span>
          <label>Reviewer <input id="reviewer" autocomplete="name" maxlength="100" placeholder="your name"></label>
          <a id="export" href="/api/export.csv" download>Export CSV</a>
          <a id="export-history" href="/api/export.csv?history=1" download>History CSV</a>
        </header>
        <div id="banner" role="alert" hidden><span id="banner-text"></span> <button id="banner-close" type="button" title="Dismiss">×</button></div>
        <main>
          <aside id="side">
            <div id="filters">
              <label>Sort <select id="sort">
                <option value="rank">confidence ↓</option><option value="confidence-asc">confidence ↑</option>
                <option value="id">id</option><option value="water">water body</option><option value="state">review state</option>
              </select></label>
              <label>Min. confidence <input id="min-conf" type="number" min="0" max="1" step="0.05" value="0"></label>
              <label>Sign <select id="f-sign"><option value="">all</option></select></label>
              <label>Water <select id="f-water"><option value="">all</option></select></label>
              <label>State <select id="f-state"><option value="">all</option></select></label>
            </div>
            <table id="list">
              <thead><tr><th>id</th><th>conf.</th><th>signs</th><th>water</th><th>state</th></tr></thead>
              <tbody></tbody>
            </table>
            <p id="list-empty" hidden>No candidate matches the filters.</p>
          </aside>
          <section id="detail">
            <div id="title-row"><h2 id="cand-title">Loading…</h2><span id="cand-decision"></span></div>
            <div id="actions">
              <button type="button" id="btn-accept" class="accepted"><kbd>a</kbd> accept</button>
              <button type="button" id="btn-reject" class="rejected"><kbd>r</kbd> reject…</button>
              <button type="button" id="btn-unsure" class="unsure"><kbd>u</kbd> unsure</button>
              <button type="button" id="btn-prev"><kbd>p</kbd>/<kbd>k</kbd> previous</button>
              <button type="button" id="btn-next"><kbd>n</kbd>/<kbd>j</kbd> next</button>
              <span id="status" aria-live="polite"></span>
            </div>
            <div id="reasons" hidden><span>Reason:</span></div>
            <div id="note-row">
              <label for="note">Note</label>
              <textarea id="note" rows="2" maxlength="2000" placeholder="saved with the next decision (Ctrl+Enter saves it now)"></textarea>
              <button type="button" id="btn-note">save note</button>
            </div>
            <div id="views">
              <div id="map" tabindex="-1">
                <div id="tiles"></div>
                <svg id="overlay" xmlns="http://www.w3.org/2000/svg"></svg>
                <div id="map-controls">
                  <button type="button" id="zoom-in" title="zoom in (+)">+</button>
                  <button type="button" id="zoom-out" title="zoom out (−)">−</button>
                  <select id="layer" title="layer (t)"></select>
                  <span id="scale"></span>
                </div>
              </div>
              <div id="chips">
                <figure><img id="chip-rgb" alt="RGB chip"><figcaption>RGB, 60 m</figcaption></figure>
                <figure><img id="chip-thermal" alt="thermal chip"><figcaption>thermal, 60 m</figcaption></figure>
              </div>
            </div>
            <p id="evidence-line"></p>
            <table id="evidence"><tbody></tbody></table>
            <details id="history-box"><summary>History</summary><ol id="history"></ol></details>
          </section>
        </main>
        <footer>Keys: <kbd>a</kbd> accept · <kbd>r</kbd> reject then <kbd>1</kbd>–<kbd>6</kbd> reason · <kbd>u</kbd> unsure ·
          <kbd>n</kbd>/<kbd>j</kbd> next · <kbd>p</kbd>/<kbd>k</kbd> previous · <kbd>+</kbd>/<kbd>−</kbd> zoom · <kbd>t</kbd> ortho/thermal ·
          <kbd>Esc</kbd> cancel. Every decision is saved at once in the run's candidates.gpkg.</footer>
        </body>
        </html>

        """#
    }

    static let appCSS = #"""
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1d2430; background: #f3f5f8; height: 100vh; display: flex; flex-direction: column; }
    header { display: flex; gap: 1em; align-items: center; padding: .4em 1em; background: #1d2b3a; color: #fff; }
    header h1 { font-size: 1.1em; margin: 0; font-weight: 600; }
    header #run-name { font-weight: 400; opacity: .8; margin-left: .5em; }
    header a { color: #9cd0ff; }
    header input { width: 12em; }
    #progress { margin-left: auto; }
    #banner { background: #ffe1c2; border-bottom: 2px solid #e07b00; padding: .5em 1em; }
    #banner.error { background: #ffd6d6; border-color: #c00; }
    main { flex: 1; display: flex; min-height: 0; }
    #side { width: 30em; display: flex; flex-direction: column; border-right: 1px solid #cbd3dd; background: #fff; min-height: 0; }
    #filters { display: grid; grid-template-columns: 1fr 1fr; gap: .3em .6em; padding: .5em; border-bottom: 1px solid #e2e7ee; }
    #filters label { display: flex; flex-direction: column; font-size: .85em; color: #556; }
    #list { border-collapse: collapse; width: 100%; display: block; overflow-y: auto; flex: 1; }
    #list thead th { position: sticky; top: 0; background: #eef2f6; text-align: left; font-weight: 600; padding: .3em .4em; }
    #list td { padding: .25em .4em; border-bottom: 1px solid #eef1f4; white-space: nowrap; max-width: 8em; overflow: hidden; text-overflow: ellipsis; }
    #list tbody tr { cursor: pointer; }
    #list tbody tr:hover { background: #f1f6fc; }
    #list tbody tr.selected { background: #d5e8ff; }
    .state { display: inline-block; padding: 0 .4em; border-radius: .6em; font-size: .85em; background: #e4e7eb; }
    .state.accepted, button.accepted { background: #c9f0d3; }
    .state.rejected, button.rejected { background: #ffd3d0; }
    .state.unsure, button.unsure { background: #fff0b8; }
    #detail { flex: 1; overflow: auto; padding: .6em 1em; min-width: 0; }
    #title-row { display: flex; align-items: baseline; gap: 1em; }
    #title-row h2 { margin: .2em 0; }
    #actions, #reasons, #note-row { display: flex; gap: .4em; align-items: center; flex-wrap: wrap; margin: .3em 0; }
    #reasons { background: #fff3f2; padding: .3em .5em; border: 1px solid #f0b8b3; border-radius: 4px; }
    button { font: inherit; padding: .25em .7em; border: 1px solid #aab4c0; border-radius: 4px; background: #fff; cursor: pointer; }
    button:hover { filter: brightness(.95); }
    kbd { font: .85em ui-monospace, monospace; border: 1px solid #99a; border-radius: 3px; padding: 0 .25em; background: #f7f7fa; }
    #status { color: #2a6a2a; }
    #note { flex: 1; min-width: 20em; font: inherit; }
    #views { display: flex; gap: .8em; flex-wrap: wrap; }
    #map { position: relative; width: 560px; height: 420px; overflow: hidden; background: #2c3138; border-radius: 4px; cursor: grab; touch-action: none; }
    #map:active { cursor: grabbing; }
    #tiles, #overlay { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
    #tiles img { position: absolute; width: 256px; height: 256px; image-rendering: auto; user-select: none; -webkit-user-drag: none; pointer-events: none; }
    #overlay { pointer-events: none; }
    #map-controls { position: absolute; right: 6px; top: 6px; display: flex; gap: 4px; align-items: center; }
    #scale { background: rgba(255,255,255,.85); padding: 0 .4em; border-radius: 3px; font-size: .85em; }
    #chips { display: flex; flex-direction: column; gap: .4em; }
    #chips figure { margin: 0; }
    #chips img { width: 200px; height: 200px; background: #2c3138; display: block; border-radius: 4px; }
    #chips figcaption { font-size: .8em; color: #667; }
    #evidence { border-collapse: collapse; margin-top: .4em; }
    #evidence td { padding: .1em .8em .1em 0; border-bottom: 1px solid #e6e9ee; }
    #evidence td:first-child { color: #556; }
    #history { margin: .3em 0; padding-left: 1.5em; }
    footer { padding: .3em 1em; background: #e6eaf0; font-size: .85em; color: #445; }
    """#
}
