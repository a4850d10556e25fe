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

/* The skip link moves focus to the main content without touching the URL: a fragment
   navigation fires popstate, and Dash's router would then render the page again from a
   query that replaceQuery changed, losing the user's focus and choices. */
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.skip-link") : null;
  if (!link) { return; }
  var target = document.getElementById((link.getAttribute("href") || "").replace(/^#/, ""));
  if (!target) { return; }
  event.preventDefault();
  if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
  target.focus();
  target.scrollIntoView({block: "start"});
});

/* <html lang> follows the page language (?taal=en) after navigation inside the app; the
   server sets it in the first HTML answer. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wijkveiligheid: {
    setPageLanguage: function (search) {
      var lang = new URLSearchParams(search || "").get("taal") === "en" ? "en" : "nl";
      document.documentElement.lang = lang;
      return lang;
    }
  }
});
