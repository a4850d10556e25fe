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

/* Keyboard focus survives a page that is made again for a new URL (the map's change mode and
   its periods, an indicator or level switch in that mode): when the focused control leaves
   the document and focus falls back to <body>, the control with the same id in the new page
   gets it back (a radio: the checked choice of its group). Only controls with an id of their
   own (the page's inputs and selects; a table's rebuilt buttons are not matched to another),
   only for a few seconds after the loss, and never when the user had moved focus on. */
(function () {
  var WAIT = 5000;
  var last = null;
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    last = target && target.id && target !== document.body
      ? {element: target, id: target.id, lost: null} : null;
  });
  document.addEventListener("focusout", function (event) {
    var left = event.target;
    // a click on the page or a Tab away leaves the control in the page: forget it (a control
    // that is removed with the old page is not there any more one task later)
    setTimeout(function () {
      if (last && last.element === left && left.isConnected && document.activeElement !== left) {
        last = null;
      }
    }, 0);
  });
  function place(element) {
    var target = element;
    if (element.type === "radio" && !element.checked && element.name) {
      var group = document.getElementsByName(element.name);
      for (var i = 0; i < group.length; i++) { if (group[i].checked) { target = group[i]; } }
    }
    target.focus({preventScroll: true});
    return document.activeElement === target;
  }
  function restore() {
    if (!last || last.element.isConnected) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) {
      last = null;  // the user (or the page) put focus somewhere
      return;
    }
    var now = Date.now();
    if (last.lost === null) { last.lost = now; }
    if (now - last.lost > WAIT) { last = null; return; }
    var element = document.getElementById(last.id);
    if (element && place(element)) { last = null; }
  }
  function start() {
    new MutationObserver(restore).observe(document.body, {childList: true, subtree: true});
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
