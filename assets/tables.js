/* Every table with a .csv-button above it can be downloaded as CSV, in the browser:
   semicolon-separated in Dutch (Excel NL), comma-separated in English. */
(function () {
  function cellText(cell) {
    return cell.innerText.replace(/\s+/g, " ").trim();
  }
  /* CSV injection: a cell that a spreadsheet would run as a formula gets a leading apostrophe
     (the rule of indicators/csvsafe.py); plain numbers such as "-3,5" stay numbers. */
  function neutralise(text) {
    return /^[=+\-@\t\r]/.test(text) && !/^[+\-]?\d[\d.,\u00a0 ]*%?$/.test(text) ? "'" + text : text;
  }
  function quote(text, sep) {
    text = neutralise(text);
    return /["\n\r]/.test(text) || text.indexOf(sep) >= 0 ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".csv-button");
    if (!button) { return; }
    var block = button.closest(".table-block");
    var table = block && block.querySelector("table");
    if (!table) { return; }
    var sep = button.getAttribute("data-lang") === "en" ? "," : ";";
    var lines = Array.prototype.map.call(table.querySelectorAll("tr"), function (tr) {
      return Array.prototype.map.call(tr.children, function (c) {
        return quote(cellText(c), sep); }).join(sep);
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = (button.getAttribute("data-csv") || "tabel") + ".csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  });

  /* A table wider than its box gets the class is-scrollable on its block: CSS then shows a
     shadow on the side that scrolls and the "scroll" hint. */
  function markScrollable() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), function (box) {
      var block = box.closest(".table-block") || box.parentElement;
      block.classList.toggle("is-scrollable", box.scrollWidth > box.clientWidth + 1);
    });
  }
  var queued = false;
  function queue() {
    if (queued) { return; }
    queued = true;
    setTimeout(function () { queued = false; markScrollable(); }, 100);
  }
  window.addEventListener("resize", queue);
  function watch() {
    new MutationObserver(queue).observe(document.body, {childList: true, subtree: true});
    queue();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); }
  else { watch(); }
})();
