/* The phone menu (dashboard/shell.py menu_button): the button opens and closes the list and
   says so in aria-expanded; Escape closes it and gives focus back to the button. */
(function () {
  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".nav-toggle") : null;
    if (!button) { return; }
    setOpen(button, button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var nav = event.target.closest ? event.target.closest(".site-nav") : null;
    var button = nav ? nav.querySelector(".nav-toggle[aria-expanded='true']") : null;
    if (!button) { return; }
    setOpen(button, false);
    button.focus();
  });
})();
