// Search results as a keyboard list: from a search box (its aria-controls names the results),
// ArrowDown goes to the first result; ArrowDown and ArrowUp move through them, ArrowUp from the
// first goes back to the box, Escape closes the list under the header's box. Enter opens a
// result, as any link. Without this script the results are plain links.
(function () {
  "use strict";

  function resultsFor(element) {
    if (element.matches && element.matches("input[aria-controls]")) {
      return { box: element, list: document.getElementById(element.getAttribute("aria-controls")) };
    }
    var list = element.closest ? element.closest("[data-arrow-nav]") : null;
    if (!list) return null;
    return { box: document.querySelector('input[aria-controls="' + list.id + '"]'), list: list };
  }

  document.addEventListener("keydown", function (event) {
    var found = resultsFor(event.target);
    if (!found || !found.list) return;
    var links = Array.prototype.slice.call(found.list.querySelectorAll("a[href]"));
    var here = links.indexOf(event.target);
    if (event.key === "ArrowDown" && links.length) {
      links[Math.min(here + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && here >= 0) {
      (here === 0 && found.box ? found.box : links[Math.max(here - 1, 0)]).focus();
    } else if (event.key === "Escape" && found.list.id === "quick-results") {
      found.list.innerHTML = "";
      if (found.box) found.box.focus();
    } else {
      return;
    }
    event.preventDefault();
  });
})();
