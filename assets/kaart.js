/* The map page in the browser: a MapLibre GL map (assets/vendor, loaded on this page only)
   recoloured with feature-state from the view payload, and legend, table and period picker
   drawn from the same payload. A switch therefore sends one small request and repaints without
   handing MapLibre the geometry again.
   The payloads and the constants this file reads (element ids, URL names, colours, number
   locale, status codes, period labels) are defined once in dashboard/mapcontract.py (JSON
   Schema: assets/map-contract.json); tests/test_map_contract.py checks every key read here
   against it. Names: `view`, `areas`, `meta`, `text`, `consts`, `levelAreas` are always the
   payload parts of those names. */
(function () {
  var H = "dash_html_components";
  var state = {map: null, loading: null, ready: null, sources: {}, view: null, areas: null,
               selected: null, focus: true, labels: true, labelLevel: null, moved: false,
               applied: 0, hover: null, positions: {}, painted: {}, protocol: null};
  window.wijkveiligheidKaart = state;
  state.log = [];
  function mark(what) { if (state.log.length < 500) { state.log.push([what, performance.now()]); } }  // for the browser tests and benchmarks/browser_switch.py

  function el(type, props) { return {type: type, namespace: H, props: props || {}}; }
  function noUpdate() { return window.dash_clientside.no_update; }
  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  /* The contract's constants (dashboard/mapcontract.py map_constants), sent in the areas
     payload; null before the page's first callback. */
  function constants() { return state.areas ? state.areas.constants : null; }
  function colour(name) { return state.areas.constants.colours[name]; }

  /* Numbers as indicators/formatting.py writes them (1.234,5 in nl, 1,234.5 in en): the
     locale, the decimals and the suffix ("%") come from Python. */
  var formatters = {};
  function metaOf(view) { return (state.areas && state.areas.meta[view.indicator]) || {}; }
  function format(value, view) {
    if (value === null || value === undefined) { return null; }
    var meta = metaOf(view), locale = state.areas.constants.locale;
    var sign = view.change ? "exceptZero" : "auto";  // a change reads +5 / -5
    var key = locale + meta.decimals + sign;
    if (!formatters[key]) {
      formatters[key] = new Intl.NumberFormat(locale, {
        minimumFractionDigits: meta.decimals, maximumFractionDigits: meta.decimals,
        useGrouping: true, signDisplay: sign});
    }
    // the minus sign (U+2212) as Python's format_signed writes it, not Intl's hyphen
    return formatters[key].format(value).replace("-", "\u2212") + meta.suffix;
  }
  function ageText(view) {
    return view.ageYears ? state.areas.text.age.replace("{n}", view.ageYears) : "";
  }
  function classOf(view, i) {
    var c = view.classes.charAt(i);
    return c === "-" || c === "" ? null : +c;
  }
  function colourOf(view, i) {
    var c = classOf(view, i);
    return c === null ? colour("missing") : view.colours[c];
  }
  function statusOf(view, i) {
    return state.areas.constants.statusCodes[view.statuses.charAt(i)];
  }
  /* The change mode's class that cannot be tested is hatched (a pattern on the map, this
     CSS in legend and table), never told by colour alone. */
  function hatched(view, c) { return !!view.change && c === view.change.hatchClass; }
  function swatchOf(view, c) {
    if (c === null) { return colour("missing"); }
    if (!hatched(view, c)) { return view.colours[c]; }
    return "repeating-linear-gradient(45deg, " + colour("hatch") + " 0 2px, " +
      view.colours[c] + " 2px 6px)";
  }
  /* The table's note: in the change mode the verdict with its test or reason (the server's
     words, changemap.verdict_note), else the status of a figure that is not simply published. */
  function noteOf(r, view, areas) {
    if (view.change) {
      var k = view.change.noteOf[r.i];
      return k === null || k === undefined ? "" : view.change.notes[k];
    }
    return r.status === "published" ? "" : areas.status[r.status] || "";
  }

  /* ---------- legend and table ---------- */
  function node(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { n.textContent = attrs[k]; } else if (k === "background") {
        n.style.background = attrs[k]; } else { n.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { n.appendChild(c); } });
    return n;
  }

  /* The table is plain DOM (Dash leaves the empty thead and tbody to us): 62 rows of Dash
     components took the browser most of a second; these take a few milliseconds. Every row is
     sorted (on the raw values, never on formatted text), then one page of them is shown:
     consts.tablePageSize rows (state.pageSize overrides it, for the browser tests), so a
     national map does not put 14,000 rows into the page; Hengelo's 62 buurten are one page. */
  function tableRows(view, sort, areas) {
    var order = sortedOrder(view, sort, areas), levelAreas = areas[view.level];
    return {length: order.length, order: order, codes: levelAreas.codes, row: function (i) {
      return {i: i, code: levelAreas.codes[i], name: levelAreas.names[i],
              wijk: levelAreas.wijk[i], value: valueOf(view, i), cls: classOf(view, i),
              status: statusOf(view, i), cov: view.coverage ? view.coverage[i] || null : null};
    }};
  }
  function valueOf(view, i) { return view.values[i] === undefined ? null : view.values[i]; }

  /* The areas' positions sorted on the column: names and wijk names by their rank in the
     language's collation (ranked once per level and language, so a sort compares numbers),
     values on the raw value; areas without a value last either way, ties in payload order. */
  function sortedOrder(view, sort, areas) {
    var n = areas[view.level].codes.length, dir = sort.asc ? 1 : -1, key;
    if (sort.col === "value") {
      key = function (i) { return valueOf(view, i); };
    } else {
      var rank = ranks(areas, view.level, sort.col === "wijk" ? "wijk" : "names");
      key = function (i) { return rank[i]; };
    }
    var keys = new Array(n), order = new Array(n);
    for (var i = 0; i < n; i++) { keys[i] = key(i); order[i] = i; }
    return order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      if (x === null && y === null) { return 0; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
  }
  var rankCache = new WeakMap();  // areas payload -> {level + field: rank per position}
  function ranks(areas, level, field) {
    if (!rankCache.has(areas)) { rankCache.set(areas, {}); }
    var cache = rankCache.get(areas), id = level + " " + field;
    if (!cache[id]) {
      var words = areas[level][field], collator = new Intl.Collator(areas.lang);
      var order = words.map(function (w, i) { return i; }).filter(function (i) {
        return words[i] !== null && words[i] !== undefined; });
      order.sort(function (a, b) { return collator.compare(words[a], words[b]); });
      var rank = words.map(function () { return null; }), r = 0;
      order.forEach(function (i, k) {
        if (k && collator.compare(words[order[k - 1]], words[i]) !== 0) { r = k; }
        rank[i] = r;
      });
      cache[id] = rank;
    }
    return cache[id];
  }

  function tableHead(view, sort, areas) {
    var text = areas.text, meta = areas.meta[view.indicator] || {};
    var cols = [{key: "area", label: text.col_area}];
    if (view.level === "buurt") { cols.push({key: "wijk", label: text.wijk_col}); }
    var head = view.change ? text.col_difference : text.col_value;  // a change: "Verschil"
    cols.push({key: "value", label: head + (meta.unit ? " (" + meta.unit + ")" : "")});
    cols.push({key: "class", label: text.col_class});
    cols.push({key: "note", label: text.col_note});
    return node("tr", {}, cols.map(function (c) {
      var sorted = sort.col === c.key;
      return node("th", {scope: "col", "aria-sort": sorted ? (sort.asc ? "ascending" : "descending")
                         : "none", "class": "col-" + c.key}, [
        node("button", {"class": "sort-button", type: "button", "data-col": c.key,
                        text: c.label + (sorted ? (sort.asc ? " ▲" : " ▼") : "")})]);
    }));
  }

  function tableRow(r, view, selected, areas) {
    var text = areas.text, shown = format(r.value, view);
    var note = noteOf(r, view, areas);
    if (r.cov) { note += " (" + r.cov.replace("/", " " + text.of + " ") + " " + text.buurten + ")"; }
    var cells = [node("th", {scope: "row"}, [node("button", {
      "class": "link-button area-button", type: "button", "data-code": r.code,
      "aria-pressed": r.code === selected ? "true" : "false", text: r.name})])];
    if (view.level === "buurt") { cells.push(node("td", {"class": "col-wijk", text: r.wijk})); }
    cells.push(node("td", {"class": "num", text: shown === null ? text.no_data : shown}));
    cells.push(node("td", {"class": "col-class"}, [
      node("span", {"class": "swatch", "aria-hidden": "true", background: swatchOf(view, r.cls)}),
      node("span", {text: r.cls === null ? text.no_data : view.legend[r.cls]})]));
    cells.push(node("td", {"class": "col-note", text: note}));
    return node("tr", {"class": r.code === selected ? "selected" : "", "data-code": r.code}, cells);
  }

  /* The page to show: the first after a new level or sort order, the selected area's page
     when the selection changes (a click on the map finds its row), else the page the user
     turned to. */
  function tablePage(view, sort, selected, rows, size) {
    var t = state.table || {}, page = t.page || 0, sortKey = sort.col + (sort.asc ? "+" : "-");
    if (t.level !== view.level || t.sortKey !== sortKey) { page = 0; }
    if (selected && selected !== t.selected) {
      var at = rows.order.findIndex(function (i) { return rows.codes[i] === selected; });
      if (at >= 0) { page = Math.floor(at / size); }
    }
    return Math.max(0, Math.min(page, Math.ceil(rows.length / size) - 1));
  }

  function fillTable(view, sort, selected, areas) {
    var consts = areas.constants;
    var head = document.getElementById(consts.ids.tableHead);
    var bodyEl = document.getElementById(consts.ids.tableBody);
    if (!head || !bodyEl) { return; }
    var rows = tableRows(view, sort, areas), size = state.pageSize || consts.tablePageSize;
    var page = tablePage(view, sort, selected, rows, size);
    state.table = {view: view, sort: sort, selected: selected, areas: areas, page: page,
                   level: view.level, sortKey: sort.col + (sort.asc ? "+" : "-")};
    var keep = focusedIn(head, "data-col") || focusedIn(bodyEl, "data-code");
    head.replaceChildren(tableHead(view, sort, areas));
    var fragment = document.createDocumentFragment();
    rows.order.slice(page * size, (page + 1) * size).forEach(function (i) {
      fragment.appendChild(tableRow(rows.row(i), view, selected, areas));
    });
    bodyEl.replaceChildren(fragment);
    fillPager(page, size, rows.length, areas);
    if (keep) { refocus(keep); }
    mark("table-end");
  }

  /* A button of the table that has keyboard focus is made again with the table: the new
     button for the same column or area gets it back (else focus would fall to the page). */
  function focusedIn(box, attribute) {
    var active = document.activeElement;
    if (!active || !box.contains(active) || !active.hasAttribute(attribute)) { return null; }
    return {box: box, attribute: attribute, value: active.getAttribute(attribute)};
  }

  function refocus(keep) {
    var buttons = keep.box.querySelectorAll("button[" + keep.attribute + "]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].getAttribute(keep.attribute) === keep.value) {
        buttons[i].focus({preventScroll: true});
        return document.activeElement === buttons[i];
      }
    }
    return false;
  }

  /* Under the table: "Rijen 101–200 van 14.000" (a polite live region, so turning a page is
     heard) and, when there is more than one page, first/previous/next/last buttons. The nodes
     are made once and then only updated (a live region must exist before it changes);
     buttons that lead nowhere are aria-disabled, not disabled, so keyboard focus stays. */
  function fillPager(page, size, total, areas) {
    var box = document.getElementById(areas.constants.ids.tablePager);
    if (!box) { return; }
    var text = areas.text, last = Math.max(0, Math.ceil(total / size) - 1);
    if (!box.firstChild) {
      var words = {first: text.page_first, previous: text.page_previous, next: text.page_next,
                   last: text.page_last};
      var buttons = Object.keys(words).map(function (which) {
        return node("button", {type: "button", "class": "button pager-button", "data-page": which,
                               text: words[which]});
      });
      box.appendChild(node("p", {"class": "table-rows", "aria-live": "polite"}));
      box.appendChild(node("div", {role: "group", "class": "pager-buttons",
                                   "aria-label": text.table_pages}, buttons));
    }
    var number = new Intl.NumberFormat(areas.constants.locale);
    var rows = text.table_rows.replace("{first}", number.format(total ? page * size + 1 : 0))
      .replace("{last}", number.format(Math.min(total, (page + 1) * size)))
      .replace("{n}", number.format(total));
    var count = box.querySelector(".table-rows");
    if (count.textContent !== rows) { count.textContent = rows; }
    box.querySelector(".pager-buttons").hidden = last === 0;
    box.querySelectorAll(".pager-button").forEach(function (b) {
      var which = b.getAttribute("data-page");
      var nowhere = (which === "first" || which === "previous") ? page === 0 : page === last;
      b.setAttribute("aria-disabled", nowhere ? "true" : "false");
    });
  }

  function turnPage(button) {
    var t = state.table;
    if (!t || button.getAttribute("aria-disabled") === "true") { return; }
    var which = button.getAttribute("data-page"), size = state.pageSize ||
      t.areas.constants.tablePageSize, total = t.areas[t.view.level].codes.length;
    var last = Math.max(0, Math.ceil(total / size) - 1);
    t.page = which === "first" ? 0 : which === "previous" ? t.page - 1 :
      which === "next" ? t.page + 1 : last;
    fillTable(t.view, t.sort, t.selected, t.areas);
  }

  function render(view, sort, selected, areas) {
    if (!view || !areas) { return noUpdate(); }
    state.areas = state.areas || areas;
    var text = areas.text;
    var meta = areas.meta[view.indicator] || {};
    sort = sort || {col: "area", asc: true};
    var items = view.legend.map(function (lbl, k) {
      return el("Li", {className: "legend-item", children: [
        el("Span", {className: "swatch", style: {background: swatchOf(view, k)}, "aria-hidden": "true"}),
        el("Span", {children: lbl})]});
    });
    if (view.classes.indexOf("-") >= 0) {
      items.push(el("Li", {className: "legend-item", children: [
        el("Span", {className: "swatch", style: {background: colour("missing")},
                    "aria-hidden": "true"}),
        el("Span", {children: text.no_data})]}));
    }
    items.push(el("Li", {className: "legend-item", children: [
      el("Span", {className: "swatch swatch-focus", "aria-hidden": "true"}),
      el("Span", {children: text.focus})]}));
    var legend = [
      el("P", {className: "legend-note", children: view.change ? view.change.note :
        (meta.polarity === "neutral" ? text.legend_darker_neutral : text.legend_darker) +
        (meta.unit ? " · " + meta.unit : "")}),
      el("Ul", {className: "legend-list", children: items}),
      el("P", {className: "legend-method",
               children: view.change ? view.change.method : meta.method})];
    var indicator = areas.labels[view.indicator];
    var lvl = text["level_" + view.level];
    var age = ageText(view);
    var period = (view.periodLabel || view.period) + (age ? " · " + age : "");
    var caption = indicator + " – " + lvl + " (" + period + ")";
    nameMap(indicator, lvl);
    var source = view.source + (age ? " · " + age : "");
    // the table after the map has painted its new colours
    window.requestAnimationFrame(function () {
      setTimeout(function () { fillTable(view, sort, selected, areas); }, 0);
    });
    return [legend, caption, source, indicator];
  }

  /* The map's name and description (screen readers) follow the indicator and level shown. */
  function nameMap(indicator, lvl) {
    var text = state.areas.text, ids = state.areas.constants.ids;
    var fill = function (s) {
      return s.split("{indicator}").join(indicator).split("{level}").join(lvl.toLowerCase());
    };
    var container = document.getElementById(ids.canvas);
    var description = document.getElementById(ids.description);
    if (container) { container.setAttribute("aria-label", fill(text.map_region)); }
    if (state.map) { state.map.getCanvas().setAttribute("aria-label", fill(text.map_region)); }
    if (description) { description.textContent = fill(text.map_alt); }
  }

  /* The map as PNG: the canvas is read right after a repaint (no preserveDrawingBuffer). */
  function savePng() {
    var map = state.map;
    if (!map) { return; }
    map.once("render", function () {
      var link = document.createElement("a");
      var view = state.view || {};
      link.download = "wijkveiligheid-kaart-" + (view.indicator || "") + "-" +
        (view.level || "") + "-" + (view.period || "") + ".png";
      link.href = map.getCanvas().toDataURL("image/png");
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    map.triggerRepaint();
  }

  /* Table buttons: one listener for all (no Dash callback per button, no request). */
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null, consts = constants();
    if (!target || !consts) { return; }
    if (target.closest("#" + consts.ids.png)) { savePng(); return; }
    var pager = target.closest("#" + consts.ids.tablePager + " .pager-button");
    if (pager) { turnPage(pager); return; }
    var area = target.closest("#" + consts.ids.tableBody + " .area-button");
    if (area) { setProps(consts.ids.selected, {data: area.getAttribute("data-code")}); return; }
    var sortButton = target.closest("#" + consts.ids.tableHead + " .sort-button");
    if (sortButton) {
      var col = sortButton.getAttribute("data-col");
      if (col === "class" || col === "note") { col = "value"; }
      var current = state.sort || {col: "area", asc: true};
      state.sort = {col: col, asc: current.col === col ? !current.asc : true};
      setProps(consts.ids.sort, {data: state.sort});
    }
  });

  /* ---------- the map ---------- */
  /* MapLibre GL from npm maplibre-gl (assets/vendor/README.md; the ?v= is its version, so the
     files are cached for a year). Only the map page loads it. */
  var MAPLIBRE_VERSION = "5.24.1";
  var MAPLIBRE_JS = "/assets/vendor/maplibre-gl.js?v=" + MAPLIBRE_VERSION;
  var MAPLIBRE_CSS = "/assets/vendor/maplibre-gl.css?v=" + MAPLIBRE_VERSION;
  // npm pmtiles (assets/vendor/README.md): reads the map's vector tiles from one archive per
  // level with HTTP Range requests (/tegels/<level>.pmtiles, dashboard/tiles.py)
  var PMTILES_JS = "/assets/vendor/pmtiles.js?v=4.5.0";
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src; script.onload = resolve; script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function loadLibrary() {
    if (window.maplibregl && state.protocol) { return Promise.resolve(); }
    if (!state.loading) {
      var css = document.createElement("link");
      css.rel = "stylesheet"; css.href = MAPLIBRE_CSS;
      document.head.appendChild(css);
      state.loading = Promise.all([loadScript(MAPLIBRE_JS), loadScript(PMTILES_JS)])
        .then(function () {
          state.protocol = new window.pmtiles.Protocol();
          window.maplibregl.addProtocol("pmtiles", state.protocol.tile);
        });
    }
    return state.loading;
  }
  // on the map page, start loading while Dash is still starting (the first paint comes sooner)
  if (window.location.pathname === "/") { loadLibrary(); }

  function fit(animate) {
    var areas = state.areas, box = state.map.getContainer();
    var pad = Math.max(8, Math.min(box.clientWidth, box.clientHeight) * 0.04);
    state.map.fitBounds([[areas.bounds[0], areas.bounds[1]], [areas.bounds[2], areas.bounds[3]]],
                        {padding: pad, animate: !!animate});
  }

  /* The vector tiles of a level: its archive (cached by the browser for a year, the URL
     carries the geometry version) read with Range requests; the layer `<level>` holds the
     polygons with their code, which is the feature id for feature-state (promoteId). */
  function geometry(areas, level) {
    var url = new URL(areas.tegels[level], window.location.href).href;
    return {type: "vector", url: "pmtiles://" + url, promoteId: "code"};
  }
  function featureRef(level, code) { return {source: level, sourceLayer: level, id: code}; }
  /* The position of each area in the payload's lists (values, classes, names), by code. */
  function positions(level) {
    if (!state.positions[level]) {
      var found = Object.create(null);
      state.areas[level].codes.forEach(function (c, i) { found[c] = i; });
      state.positions[level] = found;
    }
    return state.positions[level];
  }

  function createMap(container, areas) {
    // no paint transitions: a switch shows its new colours at once (and the map is idle)
    var style = {version: 8, sources: {}, transition: {duration: 0, delay: 0}, layers: [
      {id: "background", type: "background",
       paint: {"background-color": areas.constants.colours.background}}]};
    if (areas.tiles) {
      style.sources.basemap = {type: "raster", tiles: areas.tiles, tileSize: 256,
                               attribution: areas.attribution};
      style.layers.push({id: "basemap", type: "raster", source: "basemap"});
    }
    var b = areas.bounds;
    var map = new window.maplibregl.Map({
      container: container, style: style, bounds: [[b[0], b[1]], [b[2], b[3]]],
      fitBoundsOptions: {padding: 10}, attributionControl: areas.tiles ? {compact: true} : false,
      dragRotate: false, pitchWithRotate: false, touchPitch: false, maxZoom: 17,
      fadeDuration: 0,  // nothing fades in: the map is idle as soon as it has painted
      locale: {"NavigationControl.ZoomIn": areas.text.zoom_in,
               "NavigationControl.ZoomOut": areas.text.zoom_out}
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    // bottom right: on a phone the controls do not cover the top of the map
    map.addControl(new window.maplibregl.NavigationControl({showCompass: false}), "bottom-right");
    // the container is the map's landmark (role region, named); the focusable canvas inside
    // keeps the name but is no second region of the same name (axe landmark-unique)
    map.getCanvas().setAttribute("aria-label", container.getAttribute("aria-label") || "");
    map.getCanvas().removeAttribute("role");
    map.on("dragstart", function () { state.moved = true; });
    map.on("wheel", function () { state.moved = true; });
    new ResizeObserver(function () {
      map.resize();
      if (!state.moved) { fit(false); }
    }).observe(container);
    return map;
  }

  function addLevel(level, source) {
    var map = state.map, areas = state.areas, consts = areas.constants;
    map.addSource(level, source);
    // only the level shown is laid out (a hidden layer's tiles are not processed): the other
    // is visibility none until a level switch shows it and MapLibre tiles it then
    map.addLayer({id: level + "-fill", type: "fill", source: level, "source-layer": level,
      layout: {visibility: "none"},
      paint: {"fill-color": ["coalesce", ["feature-state", "colour"], consts.colours.missing],
              "fill-opacity": 0.9, "fill-antialias": false}});
    // the change mode's untestable areas: a hatching over their (white) fill, by a filter on
    // their codes (a pattern cannot follow feature-state); empty in every other view
    map.addLayer({id: level + "-hatch", type: "fill", source: level, "source-layer": level,
      filter: ["in", ["get", "code"], ["literal", []]], layout: {visibility: "none"},
      paint: {"fill-pattern": "hatch"}});
    // the outlines from the zoom where the level's areas are wide enough to show them
    // (areas.outlineZoom, from the server): a national map opened at zoom 8 draws 14,000
    // buurten without 14,000 outlines; the fill draws no outline of its own
    map.addLayer({id: level + "-line", type: "line", source: level, "source-layer": level,
      minzoom: areas.outlineZoom[level], layout: {visibility: "none"},
      paint: {"line-color": consts.colours.line, "line-width": 0.7}});
    // the selected area: a filter on its code (no feature-state on the outlines, so a switch
    // recomputes the fill only)
    map.addLayer({id: level + "-selected", type: "line", source: level, "source-layer": level,
      filter: ["==", ["get", "code"], ""], layout: {visibility: "none"},
      paint: {"line-color": consts.colours.selected, "line-width": 3.5}});
    map.on("click", level + "-fill", function (e) {
      var f = e.features && e.features[0];
      if (f && state.view && state.view.level === level) {
        setProps(consts.ids.selected, {data: f.properties.code});
      }
    });
    map.on("mousemove", level + "-fill", function (e) { hover(e, level); });
    map.on("mouseleave", level + "-fill", function () {
      if (state.view && state.view.level !== level) { return; }
      map.getCanvas().style.cursor = "";
      if (state.hover) { state.hover.remove(); }
    });
    state.sources[level] = true;
  }

  function hover(e, level) {
    var view = state.view, f = e.features && e.features[0];
    if (!view || view.level !== level || !f) { return; }
    state.map.getCanvas().style.cursor = "pointer";
    var i = positions(level)[f.properties.code], areas = state.areas;
    var box = document.createElement("div");
    box.className = "map-hover";
    var name = document.createElement("strong");
    name.textContent = areas[level].names[i];
    var value = document.createElement("div");
    var shown = format(view.values[i], view), meta = metaOf(view);
    value.textContent = areas.labels[view.indicator] +
      (view.change ? " (" + view.periodLabel + ")" : "") + ": " +
      (shown === null ? areas.text.no_data : shown + meta.hoverUnit);
    var source = document.createElement("div");
    source.className = "map-hover-source";
    var age = ageText(view);
    source.textContent = view.source + (age ? " · " + age : "");
    box.appendChild(name); box.appendChild(value); box.appendChild(source);
    if (!state.hover) {
      state.hover = new window.maplibregl.Popup({closeButton: false, closeOnClick: false,
                                                 maxWidth: "280px", className: "map-popup"});
    }
    state.hover.setLngLat(e.lngLat).setDOMContent(box).addTo(state.map);
  }

  function ensureMap(areas) {
    if (state.ready && state.map && document.body.contains(state.map.getContainer())) {
      return state.ready;
    }
    var container = document.getElementById(areas.constants.ids.canvas);
    if (!container) { return Promise.reject(new Error("no map container")); }
    state.areas = areas; state.moved = false; state.sources = {};
    state.positions = {}; state.painted = {};
    state.view = null; state.selectedCodes = {};  // a new map: nothing shown or painted yet
    state.ready = loadLibrary().then(function () {
      state.map = createMap(container, areas);
      return new Promise(function (resolve) { state.map.on("load", resolve); });
    }).then(function () {
      state.map.addImage("hatch", hatchImage(), {pixelRatio: 2});
      state.hatched = {};
      areas.constants.levels.forEach(function (lv) { addLevel(lv, geometry(areas, lv)); });
      // focus wijken outlined on top of either level
      state.map.addLayer({id: "focus-line", type: "line", source: "wijk", "source-layer": "wijk",
                          filter: ["in", ["get", "code"], ["literal", areas.focus]],
                          paint: {"line-color": areas.constants.colours.focus,
                                  "line-width": 3.5}});
      addLabelLayers(areas);
    });
    return state.ready;
  }

  function applyView(view) {
    mark("view-start");
    var map = state.map, old = state.view;
    if (!old || old.level !== view.level) {
      state.areas.constants.levels.forEach(function (lv) {
        var shown = lv === view.level ? "visible" : "none";
        ["-fill", "-hatch", "-line", "-selected"].forEach(function (part) {
          map.setLayoutProperty(lv + part, "visibility", shown);
        });
      });
    }
    // only the areas whose colour changes: MapLibre recomputes a changed area's vertices in
    // every tile that holds it
    var codes = state.areas[view.level].codes, n = codes.length;
    var painted = state.painted[view.level] = state.painted[view.level] || [];
    for (var i = 0; i < n; i++) {
      var c = colourOf(view, i);
      if (painted[i] !== c) {
        painted[i] = c;
        map.setFeatureState(featureRef(view.level, codes[i]), {colour: c});
      }
    }
    applyHatch(view, codes);
    state.view = view;
    state.applied += 1;
    mark("view-end");
  }

  /* The hatched areas of the view (none outside the change mode): the filter changes only
     when the set does. */
  function applyHatch(view, codes) {
    var list = [];
    if (view.change) {
      for (var i = 0; i < codes.length; i++) {
        if (hatched(view, classOf(view, i))) { list.push(codes[i]); }
      }
    }
    var key = list.join(",");
    state.hatched = state.hatched || {};
    if ((state.hatched[view.level] || "") !== key) {
      state.hatched[view.level] = key;
      state.map.setFilter(view.level + "-hatch", ["in", ["get", "code"], ["literal", list]]);
    }
  }

  /* The hatching's image: diagonal lines on a clear ground (the class colour shows through),
     drawn once (no image file). */
  function hatchImage() {
    var size = 16, canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    var g = canvas.getContext("2d");
    g.strokeStyle = colour("hatch"); g.lineWidth = 2.5;
    g.beginPath();
    [-size, 0, size].forEach(function (o) { g.moveTo(o, size); g.lineTo(o + size, 0); });
    g.stroke();
    return g.getImageData(0, 0, size, size);
  }

  function applySelection(selected) {
    var view = state.view, code = selected && view && positions(view.level)[selected] !==
      undefined ? selected : "";
    state.areas.constants.levels.forEach(function (lv) {
      var want = view && lv === view.level ? code : "";
      if ((state.selectedCodes[lv] || "") !== want) {
        state.selectedCodes[lv] = want;
        state.map.setFilter(lv + "-selected", ["==", ["get", "code"], want]);
      }
    });
  }

  /* ---------- the names: a MapLibre symbol layer per level ---------- */
  /* Glyphs built from DejaVu Sans Condensed by assets/vendor/build_glyphs.py and served by the
     app (no glyph server elsewhere); the ?v= changes when the files do. MapLibre places the
     names so that none overlaps another (a name that does not fit is left out until the user
     zooms in; shorter names are placed first), tries four positions around the point before
     giving up, and draws them with a white halo (contrast with the text 17:1 on any fill). */
  var GLYPHS_VERSION = "1";
  var GLYPHS = "/assets/vendor/glyphs/{fontstack}/{range}.pbf?v=" + GLYPHS_VERSION;
  var LABEL_FONT = {wijk: ["DejaVuSansCondensed-Bold"], buurt: ["DejaVuSansCondensed"]};
  var LABEL_SIZE = {wijk: 13, buurt: 12};

  /* Where the label points of a level come from: for now a GeoJSON source made from the
     payload's points and names (labelPoints); with vector tiles this becomes
     {source: level, "source-layer": level + "_punt"} (features with code and name). */
  function labelSource(level) {  // the label points of the level's vector tiles (geodata/tiles.py)
    return {source: level, "source-layer": level + "_punt"};
  }

  function addLabelLayers(areas) {
    var map = state.map, colours = areas.constants.colours;
    map.setGlyphs(GLYPHS);
    state.labelLevel = null;
    areas.constants.levels.forEach(function (level) {
      var from = labelSource(level);
      map.addLayer(Object.assign({id: level + "-label", type: "symbol", layout: {
        visibility: "none",
        "text-field": ["get", "name"],
        "text-font": LABEL_FONT[level],
        "text-size": LABEL_SIZE[level],
        "text-max-width": 8,  // ems: long names wrap onto two lines
        "text-variable-anchor": ["center", "top", "bottom", "left", "right"],
        "text-radial-offset": 0.6,
        "text-justify": "auto",
        "text-padding": 3,
        "symbol-sort-key": ["length", ["get", "name"]],  // short names first: more of them fit
        "text-allow-overlap": false,
        "text-ignore-placement": false
      }, paint: {"text-color": colours.label, "text-halo-color": colours.halo,
                 "text-halo-width": 1.6}}, from));
    });
  }

  function applyLabels(show, level) {
    state.areas.constants.levels.forEach(function (lv) {
      state.map.setLayoutProperty(lv + "-label", "visibility",
                                  show && lv === level ? "visible" : "none");
    });
    state.labelLevel = level;
  }

  /* The one clientside callback that draws: view, selection, focus, names and zoom target. */
  function draw(view, selected, focus, labels, zoomTo, areas) {
    if (!view || !areas) { return noUpdate(); }
    mark("draw");
    var trig = (window.dash_clientside.callback_context.triggered || []).map(function (t) {
      return t.prop_id; });
    ensureMap(areas).then(function () {
      var levelChanged = !state.view || state.view.level !== view.level;
      if (state.view !== view) { applyView(view); }
      applySelection(selected);
      state.map.setLayoutProperty("focus-line", "visibility",
                                  (focus || []).indexOf("focus") >= 0 ? "visible" : "none");
      var showLabels = (labels || []).indexOf("labels") >= 0;
      if (levelChanged || showLabels !== state.labels || state.labelLevel !== view.level) {
        state.labels = showLabels;
        applyLabels(showLabels, view.level);
        mark("labels-end");
      }
      if (levelChanged && state.moved && !selected) {
        // the area zoomed to is gone with the other level: show the whole city again
        state.moved = false;
        fit(true);
      }
      if (zoomTo && zoomTo.bounds && trig.indexOf(areas.constants.ids.zoomTo + ".data") >= 0) {
        var b = zoomTo.bounds;
        state.moved = true;
        state.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {padding: 30, maxZoom: 15});
      }
    }).catch(function (err) { if (window.console) { console.error(err); } });
    return state.applied;
  }

  /* Another level offers its own indicators (sent once in the layout, no request); a
     selection of the other level is cleared. */
  function levelOptions(level, areas, selected) {
    if (!areas || !areas.options[level]) { return noUpdate(); }
    if (selected && areas[level].codes.indexOf(selected) < 0) {
      setProps(areas.constants.ids.selected, {data: null});
    }
    return areas.options[level];
  }

  /* Closing the panel: the area's row in the table (or the search box) gets focus next. */
  function clear(n) {
    if (!n) { return noUpdate(); }
    state.closed = state.table && state.table.selected;
    return null;
  }

  /* On a phone the answer to a tap or a search is the side panel: bring it into view. For
     the keyboard, the panel's area name gets focus when the choice came from the table or
     the search (whose button is gone), and on closing the panel the area's row does; a click
     on the map keeps focus where it is. */
  function showPanel(children, selected) {
    var consts = constants();
    if (!consts) { return noUpdate(); }
    var closed = state.closed;
    state.closed = null;
    requestAnimationFrame(function () { focusAfterPanel(consts, selected, closed); });
    if (!selected || !window.matchMedia("(max-width: 767px)").matches) {
      return noUpdate();
    }
    var panel = document.getElementById(consts.ids.panel);
    if (panel) { panel.scrollIntoView({behavior: "smooth", block: "start"}); }
    return selected;
  }

  function focusAfterPanel(consts, selected, closed) {
    var active = document.activeElement, panel = document.getElementById(consts.ids.panel);
    var lost = !active || active === document.body || active === document.documentElement;
    var body = document.getElementById(consts.ids.tableBody);
    if (!panel) { return; }
    if (selected) {
      if (!lost && !(body && body.contains(active))) { return; }
      var heading = panel.querySelector(".panel-area");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    } else if (closed && (lost || panel.contains(active))) {
      var found = body && refocus({box: body, attribute: "data-code", value: closed});
      var search = document.getElementById(consts.ids.search);
      if (!found && search) { search.focus(); }
    }
  }

  /* Escape in the panel closes it, as its button does. */
  document.addEventListener("keydown", function (event) {
    var consts = constants();
    if (event.key !== "Escape" || !consts) { return; }
    var panel = document.getElementById(consts.ids.panel);
    var close = document.getElementById(consts.ids.clear);
    if (panel && close && panel.contains(document.activeElement)) { close.click(); }
  });

  /* The view in the URL (names from Python), keeping the presentation mode's parameters
     (shared.js); the language switch leads to the same view in the other language. */
  function syncUrl(view, selected, areas) {
    if (!view || !areas || window.location.pathname !== "/") { return noUpdate(); }
    var consts = areas.constants, names = consts.url, params = {};
    params[names.indicator] = view.urlIndicator || view.indicator;  // a rate: its count
    params[names.measure] = view.measure || null;
    params[names.level] = view.level;
    params[names.period] = view.chosenPeriod;
    params[names.area] = selected;
    params[names.lang] = areas.lang !== consts.defaultLang ? areas.lang : null;
    // the change mode keeps weergave, van and tot (names and values from Python)
    if (view.change) { Object.assign(params, view.change.url); }
    var url = window.wijkveiligheid.replaceQuery("/", params);
    var other = new URLSearchParams(url.split("?")[1]);
    if (consts.switchLang === consts.defaultLang) { other.delete(names.lang); }
    else { other.set(names.lang, consts.switchLang); }
    var sw = document.querySelector(".lang-switch");
    if (sw) { sw.setAttribute("href", "/?" + other.toString()); }
    return url;
  }

  /* The period picker from [periods newest first, index of the default]; a period reads as
     Python formats it (areas.periodLabels: "maart 2024"), else as it is ("2024"). */
  function periodOptions(list, areas) {
    if (!list || !areas) { return noUpdate(); }
    var text = areas.text;
    // the default is the latest well-covered period: "nieuwste" only when nothing is newer
    var marked = list[1] === 0 ? text.period_latest : text.period_default;
    return list[0].map(function (p, i) {
      var label = areas.periodLabels[p] || p;
      return {label: i === list[1] ? marked.replace("{period}", label) : label, value: p};
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    kaart: {render: render, draw: draw, levelOptions: levelOptions, clear: clear,
            showPanel: showPanel, syncUrl: syncUrl, periodOptions: periodOptions}
  });
})();
