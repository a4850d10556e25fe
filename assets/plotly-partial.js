/* Charts draw with a partial plotly.js bundle (assets/vendor/plotly-partial.min.js: scatter, bar,
   scatterpolar, choropleth, scattergeo: about a third of plotly.min.js on the wire; the wijk
   pages' buurt map is an SVG from the server, dashboard/svgmap.py). Dash's
   dcc.Graph loads plotly.js from window._dashPlotlyJSURL the first time a chart mounts (unless
   window.Plotly exists), and the renderer sets that URL to the full bundle when it starts: here
   the URL is fixed to the partial bundle, so pages without a chart (the map) load no plotly.js
   at all. The ?v= is the plotly.js version (a year's cache; change it when rebuilding). */
(function () {
  "use strict";
  var PLOTLY_PARTIAL = "/assets/vendor/plotly-partial.min.js?v=4.1.1";
  try {
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true,
      get: function () { return PLOTLY_PARTIAL; },
      set: function () { /* the renderer's full bundle URL is not used */ }
    });
  } catch (e) { /* an older browser keeps the full bundle */ }
})();
