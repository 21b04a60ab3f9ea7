// The summary of a form's errors: it has focus when the page opens (autofocus, repeated here for
// browsers that restore a page from their cache), and each link moves focus to the field to
// correct, scrolling its label into view.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  if (document.activeElement === document.body) { summary.focus(); }
  var FOCUSABLE = "input:not([type=hidden]), select, textarea, button";
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    if (!target.matches(FOCUSABLE)) { target = target.querySelector(FOCUSABLE) || target; }
    for (var d = target.closest("details"); d; d = d.parentElement.closest("details")) { d.open = true; }
    event.preventDefault();
    var label = (target.id && document.querySelector("label[for='" + target.id + "']")) || target.closest("fieldset");
    (label || target).scrollIntoView();
    target.focus({ preventScroll: true });
  });
})();
