/* Charts draw with a partial plotly.js bundle (assets/vendor/plotly-partial.min.js: scatter, bar,
   scatterpolar, choropleth, scattergeo: about a third of plotly.min.js on the wire; the wijk pages
   plotly-wijk.min.js: scatter, bar, choroplethmap). Dash's
   dcc.Graph loads plotly.js from window._dashPlotlyJSURL the first time a chart mounts (unless
   window.Plotly exists), and the renderer sets that URL to the full bundle when it starts: here
   the URL is fixed to the partial bundle, so pages without a chart (the map) load no plotly.js
   at all. The ?v= is the plotly.js version (a year's cache; change it when rebuilding). */
(function () {
  "use strict";
  // the wijk pages draw their buurt map with plotly.js's choroplethmap (MapLibre inside): their
  // own bundle; every other page: scatter, bar, scatterpolar, choropleth, scattergeo
  var WIJK = window.location.pathname.indexOf("/wijk/") === 0;
  var PLOTLY_PARTIAL = "/assets/vendor/plotly-" + (WIJK ? "wijk" : "partial") + ".min.js?v=4.1.1";
  try {
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true,
      get: function () { return PLOTLY_PARTIAL; },
      set: function () { /* the renderer's full bundle URL is not used */ }
    });
  } catch (e) { /* an older browser keeps the full bundle */ }
})();
