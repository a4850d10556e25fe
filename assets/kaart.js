/* Client-side rendering of the map page's legend and table from the compact view data,
   so that an indicator switch sends only values and colours over the network. */
(function () {
  var H = "dash_html_components";
  function el(type, props) { return {type: type, namespace: H, props: props || {}}; }
  function num(text, lang) {
    if (!text) { return null; }
    var s = lang === "nl" ? text.replace(/\./g, "").replace(",", ".") : text.replace(/,/g, "");
    var v = parseFloat(s);
    return isNaN(v) ? null : v;
  }
  var SORT_BUTTON = "kaart-sort-button";
  var AREA_BUTTON = "kaart-area-button";

  function header(cols, sort) {
    return el("Tr", {children: cols.map(function (c) {
      var ariaSort = sort.col === c.key ? (sort.asc ? "ascending" : "descending") : "none";
      var arrow = sort.col === c.key ? (sort.asc ? " ▲" : " ▼") : "";
      return el("Th", {scope: "col", "aria-sort": ariaSort, className: "col-" + c.key,
                       children: el("Button", {
        id: {type: SORT_BUTTON, col: c.key}, className: "sort-button", n_clicks: 0,
        children: c.label + arrow})});
    })});
  }

  /* The visible data trace carries the view in its meta (see dashboard/figures.py). */
  function viewOf(figure) {
    if (!figure || !figure.data) { return null; }
    var trace = [1, 3].map(function (i) { return figure.data[i]; }).filter(function (t) {
      return t && t.visible === true && t.meta; })[0];
    if (!trace) { return null; }
    var m = trace.meta, scale = trace.colorscale || [];
    // one stop per class (dashboard/figures.py discrete_colorscale); a single class repeats
    var colours = scale.map(function (s) { return s[1]; });
    if (colours.length === 2 && colours[0] === colours[1]) { colours = [colours[0]]; }
    return {trace: trace, source: m[2], indicator: m[3], level: m[4], period: m[5],
            unit: m[6] || String(m[1] || "").trim(), polarity: m[8], coverage: m[9] || [], notes: m[10] || [],
            chosenPeriod: m[11] || null,
            legend: m[7].map(function (lbl, k) {
              return [k < colours.length ? colours[k] : "#b4b4b4", lbl]; })};
  }

  function render(figure, sort, selected, areas) {
    var view = viewOf(figure);
    if (!view || !areas) { return window.dash_clientside.no_update; }
    var text = areas.text, level = areas[view.level], lang = areas.lang;
    var trace = view.trace;
    var z = trace.z || [], shown = trace.text || [];
    sort = sort || {col: "area", asc: true};
    var notes = {};
    view.notes.forEach(function (n) { notes[n[0]] = n; });
    var legendItems = view.legend.map(function (item) {
      return el("Li", {className: "legend-item", children: [
        el("Span", {className: "swatch", style: {background: item[0]}, "aria-hidden": "true"}),
        el("Span", {children: item[1]})]});
    });
    legendItems.push(el("Li", {className: "legend-item", children: [
      el("Span", {className: "swatch swatch-focus", "aria-hidden": "true"}),
      el("Span", {children: text.focus})]}));
    var legend = [
      el("P", {className: "legend-note", children: (view.polarity === "neutral" ?
        text.legend_darker_neutral : text.legend_darker) + (view.unit ? " · " + view.unit : "")}),
      el("Ul", {className: "legend-list", children: legendItems})];
    var rows = level.codes.map(function (code, i) {
      var cls = (z[i] === null || z[i] === undefined) ? null : z[i];
      var note = notes[i];
      return {code: code, name: level.names[i], wijk: level.wijk[i],
              text: shown[i] === null || shown[i] === undefined ? null : shown[i], cls: cls,
              status: note ? note[1] : (shown[i] === null || shown[i] === undefined ?
                "missing" : (view.coverage[i] ? "derived" : "published")),
              cov: view.coverage[i] || null,
              value: num(shown[i], lang)};
    });
    var key = sort.col, dir = sort.asc ? 1 : -1;
    rows.sort(function (a, b) {
      var x = key === "value" ? a.value : key === "wijk" ? a.wijk : a.name;
      var y = key === "value" ? b.value : key === "wijk" ? b.wijk : b.name;
      if (x === null && y === null) { return 0; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      if (typeof x === "string") { return x.localeCompare(y, lang) * dir; }
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    var cols = [{key: "area", label: text.col_area}];
    if (view.level === "buurt") { cols.push({key: "wijk", label: text.wijk_col}); }
    cols.push({key: "value", label: text.col_value + (view.unit ? " (" + view.unit + ")" : "")});
    cols.push({key: "class", label: text.col_class});
    cols.push({key: "note", label: text.col_note});
    var body = rows.map(function (r) {
      var cells = [el("Th", {scope: "row", children: el("Button", {
        id: {type: AREA_BUTTON, code: r.code}, className: "link-button", n_clicks: 0,
        "aria-pressed": r.code === selected ? "true" : "false", children: r.name})})];
      if (view.level === "buurt") { cells.push(el("Td", {className: "col-wijk", children: r.wijk})); }
      cells.push(el("Td", {className: "num", children: r.text === null ? text.no_data : r.text}));
      cells.push(el("Td", {className: "col-class", children: [
        el("Span", {className: "swatch", "aria-hidden": "true", style: {background:
          r.cls === null ? "#b4b4b4" : view.legend[r.cls][0]}}),
        el("Span", {children: r.cls === null ? text.no_data : view.legend[r.cls][1]})]}));
      var note = areas.status[r.status] || "";
      if (r.cov) { note += " (" + r.cov.replace(":", " " + text.of + " ") + " " + text.buurten + ")"; }
      cells.push(el("Td", {children: r.status === "published" ? "" : note}));
      return el("Tr", {className: r.code === selected ? "selected" : "",
                       "data-code": r.code, children: cells});
    });
    var head = header(cols, sort);
    var indicator = areas.labels[view.indicator];
    var lvl = view.level === "wijk" ? text.level_wijk : text.level_buurt;
    var caption = indicator + " – " + lvl + " (" + view.period + ")";
    return [legend, head, body, caption, view.source, indicator];
  }

  function sort(clicks, current) {
    var trig = window.dash_clientside.callback_context.triggered;
    if (!trig.length || !trig[0].value) { return window.dash_clientside.no_update; }
    var id = JSON.parse(trig[0].prop_id.split(".")[0]);
    if (id.col === "class" || id.col === "note") { id.col = "value"; }
    current = current || {col: "area", asc: true};
    return {col: id.col, asc: current.col === id.col ? !current.asc : true};
  }

  function syncUrl(figure, selected, areas) {
    var view = viewOf(figure);
    if (!view || window.location.pathname !== "/") { return window.dash_clientside.no_update; }
    var q = new URLSearchParams();
    q.set("indicator", view.indicator);
    q.set("niveau", view.level);
    if (view.chosenPeriod) { q.set("periode", view.chosenPeriod); }
    if (selected) { q.set("gebied", selected); }
    if (areas && areas.lang && areas.lang !== "nl") { q.set("taal", areas.lang); }
    var keep = new URLSearchParams(window.location.search);
    ["presentatie", "stap"].forEach(function (k) { if (keep.get(k)) { q.set(k, keep.get(k)); } });
    var url = "/?" + q.toString();
    var other = new URLSearchParams(q);
    if (areas && areas.lang === "en") { other.delete("taal"); } else { other.set("taal", "en"); }
    var sw = document.querySelector(".lang-switch");
    if (sw) { sw.setAttribute("href", "/?" + other.toString()); }
    if (window.location.pathname + window.location.search !== url) {
      window.history.replaceState(window.history.state, "", url);
    }
    return url;
  }

  /* The period picker from [periods newest first, index of the default]: a year as it is,
     a month as "maart 2024" / "March 2024" (as indicators/periods.py format_period). */
  function periodOptions(list, areas) {
    if (!list) { return window.dash_clientside.no_update; }
    var lang = (areas && areas.lang) || "nl";
    var fmt = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "nl-NL",
                                      {month: "long", year: "numeric"});
    var latest = (areas && areas.text && areas.text.period_latest) || "{period}";
    return list[0].map(function (p, i) {
      var text = p;
      var parts = String(p).split("-");
      if (parts.length === 2) { text = fmt.format(new Date(+parts[0], +parts[1] - 1, 1)); }
      return {label: i === list[1] ? latest.replace("{period}", text) : text, value: p};
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    kaart: {render: render, sort: sort, syncUrl: syncUrl, periodOptions: periodOptions}
  });
})();
