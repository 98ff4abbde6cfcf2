// Progressive enhancement only: every form and link works without this file.
(function () {
  "use strict";
  // A language or filter <select data-autosubmit> submits its form when changed.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
      target.form.requestSubmit();
    }
  });
  // After htmx swaps a list, announce it and move focus to the result heading on purpose.
  document.addEventListener("htmx:afterSwap", function (event) {
    var region = document.getElementById("live-region");
    var target = event.detail.target;
    var summary = target.querySelector("[data-announce]");
    if (region && summary) {
      region.textContent = summary.getAttribute("data-announce");
    }
    var focus = target.querySelector("[data-focus-after-swap]");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  });
})();
