// Entry of the partial plotly.js bundle for the wijk pages (assets/vendor/plotly-wijk.min.js):
// their buurt map (choroplethmap, with plotly.js's own MapLibre) and charts. See README.md.
'use strict';
var Plotly = require('plotly.js/lib/core'); // includes scatter
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choroplethmap'),
]);
module.exports = Plotly;
