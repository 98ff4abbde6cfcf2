// Time zones without homework (docs/events.md): the browser's own zone, from the Intl API.
// Progressive enhancement only: without this file times are shown in the site's zone and the
// footer's form (visitors) or the profile (signed-in people) chooses another.
//
// * A visitor who has chosen no zone: the zone goes into the cocity_tz cookie (read and checked
//   by cocity.core.middleware; the page cache keeps one copy per zone) and a page that shows
//   times is loaded once more, now in the visitor's zone.
// * A signed-in person without a zone: the offer "Show times in <zone>?" (includes/
//   timezone_offer.html) is filled in and shown; "Use it" posts the zone to their profile.
// * The sign-up form: its hidden time_zone field gets the zone, so a new account starts with it.
(function () {
  "use strict";
  var script = document.currentScript;
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  // An IANA name ("America/Sao_Paulo", "UTC"); the server checks it against its own list.
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/.test(zone) || zone.length > 64) {
    return;
  }
  var data = script ? script.dataset : {};

  document.querySelectorAll("input[data-device-zone]").forEach(function (input) {
    if (!input.value) {
      input.value = zone;
    }
  });

  if (data.signedIn !== "1" && data.zoneChosen !== "1") {
    var secure = location.protocol === "https:" ? "; secure" : "";
    // As is: the name's characters (letters, digits, "_", "+", "-", "/") are all allowed in a
    // cookie, and the server reads the value without decoding it.
    document.cookie = "cocity_tz=" + zone + "; path=/; max-age=31536000; samesite=lax" + secure;
    var stored = document.cookie.split("; ").indexOf("cocity_tz=" + zone) !== -1;
    var once = "cocity-tz-reloaded";
    var reloaded = false;
    try {
      reloaded = sessionStorage.getItem(once) === zone;
      sessionStorage.setItem(once, zone);
    } catch (error) {
      reloaded = true; // no storage: never risk a loop
    }
    // Only a page that shows times, whose zone differs, and once: the cookie is then sent.
    if (stored && !reloaded && zone !== data.zone && document.querySelector("time[datetime]")) {
      location.reload();
    }
    return;
  }

  var offer = document.getElementById("timezone-offer");
  if (!offer) {
    return;
  }
  var dismissed = "cocity-tz-offer-dismissed";
  try {
    if (localStorage.getItem(dismissed) === zone) {
      return;
    }
  } catch (error) {
    // No storage: the offer shows on every page until it is answered.
  }
  offer.querySelectorAll("[data-offer-zone]").forEach(function (element) {
    element.textContent = zone;
  });
  offer.querySelectorAll("input[name=time_zone]").forEach(function (input) {
    input.value = zone;
  });
  offer.hidden = false;
  var dismiss = offer.querySelector("[data-offer-dismiss]");
  if (dismiss) {
    dismiss.hidden = false;
    dismiss.addEventListener("click", function () {
      try {
        localStorage.setItem(dismissed, zone);
      } catch (error) {
        // Nothing to remember it in: it hides for this page only.
      }
      offer.hidden = true;
    });
  }
})();
