// Entry of the partial plotly.js bundle (assets/vendor/plotly-partial.min.js): only the trace
// types the pages draw. Rebuild: see assets/vendor/README.md.
'use strict';
var Plotly = require('plotly.js/lib/core'); // includes scatter
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);
module.exports = Plotly;
