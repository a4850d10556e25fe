/* The wijk page's buurt map: the server writes the SVG (dashboard/svgmap.py, every name escaped)
   and this inserts it as it is, parsed as XML (never as HTML, so nothing in it runs).
   Called by a clientside callback whenever the markup changes (indicator picker).
   The names or the numbers: where the names would be drawn smaller than MIN_PX (a wide wijk on a
   phone), the map shows each buurt's number (the markup holds both sets) in its own view box
   (without the names' column) and a key of number and name under it; measured again when the
   map's width changes (a phone turned sideways). */
(function () {
  "use strict";
  var MIN_PX = 11;
  var observer = null;

  function key(svg) {
    var list = document.createElement("ol");
    list.className = "svgmap-key";
    svg.querySelectorAll(".svgmap-number").forEach(function (marker) {
      var item = document.createElement("li");
      var number = document.createElement("span");
      number.className = "svgmap-key-number";
      number.setAttribute("aria-hidden", "true");
      number.textContent = marker.textContent;
      item.appendChild(number);
      item.appendChild(document.createTextNode(" " + marker.getAttribute("data-name")));
      list.appendChild(item);
    });
    return list;
  }

  /* Names when they stay at least MIN_PX on screen, else numbers and the key. */
  function choose(box) {
    var svg = box.querySelector("svg.svgmap"), list = box.querySelector(".svgmap-key");
    if (!svg || !list) { return; }
    svg.classList.remove("svgmap-numbered");
    svg.setAttribute("viewBox", svg.getAttribute("data-names-box"));
    var ctm = svg.getScreenCTM();
    if (!ctm || !ctm.a) { return; }  // not laid out (hidden): keep the names
    var numbered = parseFloat(svg.getAttribute("data-name-size")) * ctm.a < MIN_PX;
    if (numbered) {
      svg.classList.add("svgmap-numbered");
      svg.setAttribute("viewBox", svg.getAttribute("data-numbers-box"));
    }
    list.hidden = !numbered;
  }

  window.wijkSvgMap = {
    choose: choose,
    draw: function (containerId, markup) {
      var box = document.getElementById(containerId);
      if (!box || typeof markup !== "string" || !markup) { return ""; }
      var doc = new DOMParser().parseFromString(markup, "image/svg+xml");
      var svg = doc.documentElement;
      if (!svg || svg.nodeName !== "svg") { return ""; }
      var shown = document.importNode(svg, true);
      box.replaceChildren(shown, key(shown));
      choose(box);
      if (observer) { observer.disconnect(); }
      var width = box.clientWidth;
      observer = new ResizeObserver(function () {
        if (box.clientWidth !== width) { width = box.clientWidth; choose(box); }
      });
      observer.observe(box);
      return markup.length;
    }
  };
})();
