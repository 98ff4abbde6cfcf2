// Progressive enhancement only: every form and link works without this file.
(function () {
  "use strict";
  // A language or filter <select data-autosubmit> submits its form when changed with the
  // pointer. From the keyboard, the arrows and letters change a closed select at once: there
  // the choice waits for Enter (or the form's [data-autosubmit-apply] button, shown then), so
  // one can go past Ελληνικά to Deutsch without landing on the Greek page (WCAG 3.2.2).
  var keyed = null;
  var isAutosubmit = function (node) {
    return node instanceof HTMLSelectElement && node.hasAttribute("data-autosubmit");
  };
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!isAutosubmit(target)) {
      return;
    }
    if (event.key === "Enter") {
      if (target.hasAttribute("data-autosubmit-pending")) {
        event.preventDefault();
        target.form.requestSubmit();
      }
      return;
    }
    if (event.key !== "Tab" && event.key !== "Escape") {
      keyed = target;
    }
  });
  document.addEventListener("pointerdown", function () {
    keyed = null;
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!isAutosubmit(target)) {
      return;
    }
    if (keyed === target) {
      keyed = null;
      target.setAttribute("data-autosubmit-pending", "");
      var apply = target.form.querySelector("[data-autosubmit-apply]");
      if (apply) {
        apply.hidden = false;
      }
      return;
    }
    target.form.requestSubmit();
  });
  // Header disclosure menus (<details data-header-menu>): Escape closes the open one and gives
  // focus back to its button; a click elsewhere closes it. Without this file they still open
  // and close with their button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = document.querySelector("details[data-header-menu][open]");
    if (open && open.contains(document.activeElement)) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-header-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target) && getComputedStyle(menu.querySelector("summary")).display !== "none") {
        menu.removeAttribute("open");
      }
    });
  });
  // From 64rem the main menu is a row (site.css); a browser without ::details-content shows
  // it by opening the disclosure here.
  var supportsDetailsContent = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  var menu = document.querySelector(".header-menu");
  if (menu && !supportsDetailsContent && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 64rem)");
    var place = function () {
      menu.classList.toggle("is-inline", wide.matches);
      if (wide.matches) {
        menu.setAttribute("open", "");
      }
    };
    place();
    wide.addEventListener("change", place);
  }
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
