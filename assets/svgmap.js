/* The wijk page's buurt map: the server writes the SVG (dashboard/svgmap.py, every name escaped)
   and this inserts it as it is, parsed as XML (never as HTML, so nothing in it runs).
   Called by a clientside callback whenever the markup changes (indicator picker). */
(function () {
  "use strict";
  window.wijkSvgMap = {
    draw: function (containerId, markup) {
      var box = document.getElementById(containerId);
      if (!box || typeof markup !== "string" || !markup) { return ""; }
      var doc = new DOMParser().parseFromString(markup, "image/svg+xml");
      var svg = doc.documentElement;
      if (!svg || svg.nodeName !== "svg") { return ""; }
      box.replaceChildren(document.importNode(svg, true));
      return markup.length;
    }
  };
})();
