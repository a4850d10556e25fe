/* Presentation mode: large type, high contrast, and keys to step through a sequence of views.
   The sequence is chosen on /presentatie and kept in sessionStorage; every step is a full
   page load of a permalink with ?presentatie=1&stap=N. */
(function () {
  var KEY = "wijkveiligheid-presentation";
  var TEXT = {
    nl: {step: "Dia", of: "van", help: "→ volgende · ← vorige · F volledig scherm · Esc stoppen"},
    en: {step: "Slide", of: "of", help: "→ next · ← previous · F full screen · Esc stop"}
  };

  function load() {
    try { return JSON.parse(sessionStorage.getItem(KEY)); } catch (e) { return null; }
  }
  function save(state) { sessionStorage.setItem(KEY, JSON.stringify(state)); }

  function withParams(path, step, lang) {
    var url = new URL(path, window.location.origin);
    url.searchParams.set("presentatie", "1");
    url.searchParams.set("stap", String(step + 1));
    if (lang === "en") { url.searchParams.set("taal", "en"); }
    return url.pathname + "?" + url.searchParams.toString().replace(/%2C/g, ",");
  }

  function go(state, step) {
    if (step < 0 || step >= state.views.length) { return; }
    state.step = step;
    save(state);
    var view = state.views[step];
    window.location.assign(withParams(view.slide || view.path, step, state.lang));
  }

  function stop(state) {
    sessionStorage.removeItem(KEY);
    // a slide is not a page of its own: stopping on it opens the view it shows
    var view = state.views[state.step];
    if (window.location.pathname.indexOf("/presentatie/dia") === 0 && view) {
      var back = new URL(view.path, window.location.origin);
      if (state.lang === "en") { back.searchParams.set("taal", "en"); }
      window.location.assign(back.pathname + back.search);
      return;
    }
    document.body.classList.remove("presentation-mode");
    var bar = document.getElementById("presentation-bar");
    if (bar) { bar.remove(); }
    if (document.fullscreenElement) { document.exitFullscreen(); }
    var url = new URL(window.location.href);
    url.searchParams.delete("presentatie");
    url.searchParams.delete("stap");
    window.history.replaceState(window.history.state, "", url.pathname + url.search);
  }

  function showBar(state) {
    var t = TEXT[state.lang] || TEXT.nl;
    var bar = document.createElement("div");
    bar.id = "presentation-bar";
    bar.setAttribute("role", "status");
    bar.textContent = t.step + " " + (state.step + 1) + " " + t.of + " " + state.views.length +
      ": " + state.views[state.step].title + " — " + t.help;
    document.body.appendChild(bar);
  }

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "select" || tag === "textarea" || target.isContentEditable;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#presentation-start");
    if (!button) { return; }
    var views = JSON.parse(button.getAttribute("data-sequence"));
    go({views: views, step: 0, lang: button.getAttribute("data-lang") || "nl"}, 0);
  });

  document.addEventListener("keydown", function (event) {
    var state = load();
    if (!state || !document.body.classList.contains("presentation-mode")) {
      // on the overview a clicker's "next" (→ / PageDown) starts the presentation
      var start = document.getElementById("presentation-start");
      var next = event.key === "ArrowRight" || event.key === "PageDown";
      if (start && next && !typing(event.target)) { event.preventDefault(); start.click(); }
      return;
    }
    if (typing(event.target)) { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown") { event.preventDefault(); go(state, state.step + 1); }
    else if (key === "ArrowLeft" || key === "PageUp") { event.preventDefault(); go(state, state.step - 1); }
    else if (key === "Home") { event.preventDefault(); go(state, 0); }
    else if (key === "End") { event.preventDefault(); go(state, state.views.length - 1); }
    else if (key === "Escape") { event.preventDefault(); stop(state); }
    else if (key === "f" || key === "F") {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    }
  });

  function init() {
    var params = new URLSearchParams(window.location.search);
    if (params.get("presentatie") !== "1") { return; }
    var state = load();
    if (!state || !state.views || !state.views.length) { return; }
    var step = parseInt(params.get("stap") || "1", 10) - 1;
    if (!isNaN(step) && step >= 0 && step < state.views.length) { state.step = step; save(state); }
    document.body.classList.add("presentation-mode");
    showBar(state);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
