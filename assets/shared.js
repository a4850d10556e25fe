/* Shared by the pages that keep their state in the URL: replace the query without a reload
   (so Dash's page router does not render the page again), keeping the language and the
   presentation-mode parameters. */
window.wijkveiligheid = Object.assign({}, window.wijkveiligheid, {
  replaceQuery: function (path, params, lang) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      if (Array.isArray(value)) { value = value.filter(Boolean).join(","); }
      if (value) { q.set(key, value); }
    });
    if (lang && lang !== "nl") { q.set("taal", lang); }
    var current = new URLSearchParams(window.location.search);
    ["presentatie", "stap"].forEach(function (k) { if (current.get(k)) { q.set(k, current.get(k)); } });
    var url = path + "?" + q.toString().replace(/%2C/g, ",");
    window.history.replaceState(window.history.state, "", url);
    return url;
  }
});
