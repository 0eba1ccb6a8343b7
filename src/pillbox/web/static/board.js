// Boards: drag a card onto another column. The card's own "Move to" form is posted with that
// column chosen (the same form a keyboard or a browser without JavaScript posts), and the board
// comes back redrawn; a refusal (422) comes back with its message beside the card.
(function () {
  "use strict";
  var dragged = null;

  function columnAt(target) {
    return target && target.closest ? target.closest(".column[data-target]") : null;
  }

  function clearOver() {
    document.querySelectorAll(".column.over").forEach(function (column) {
      column.classList.remove("over");
    });
  }

  function announce(text) {
    var status = document.getElementById("board-status");
    if (status) status.textContent = text;
  }

  function swapBoard(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board");
    var board = document.getElementById("board");
    if (!fresh || !board) {
      window.location.reload();
      return null;
    }
    board.replaceWith(fresh);
    return fresh;
  }

  function send(form, columnName) {
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": form.elements.csrf.value },
    }).then(function (response) {
      if (!response.ok && response.status !== 422) {
        form.submit(); // the error page, as without JavaScript
        return;
      }
      response.text().then(function (html) {
        var board = swapBoard(html);
        var invalid = board && board.querySelector("[aria-invalid=true]");
        if (invalid) {
          invalid.focus();
          announce("Not moved: " + (document.getElementById(invalid.id + "-error") || {}).textContent);
        } else {
          announce("Moved to " + columnName + ".");
        }
      });
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".card[data-record]") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.setData("text/plain", card.dataset.record);
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearOver();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnAt(event.target);
    if (!dragged || !column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("over")) {
      clearOver();
      column.classList.add("over");
    }
  });

  document.addEventListener("drop", function (event) {
    var column = columnAt(event.target);
    if (!dragged || !column) return;
    event.preventDefault();
    clearOver();
    var form = dragged.querySelector("form.move");
    if (!form || form.elements.to.value === column.dataset.target) return;
    form.elements.to.value = column.dataset.target;
    var heading = column.querySelector("h2");
    send(form, heading ? heading.textContent : "");
  });
})();
