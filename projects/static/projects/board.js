// The project pipeline board: drag a card onto another column to move the project. The move is
// posted (with the page's CSRF token) to the same endpoint as each card's keyboard form, which
// keeps working without this script.
(function () {
  "use strict";
  const board = document.querySelector(".pool-board");
  if (!board || board.dataset.canMove !== "1") return;
  const status = document.getElementById("pool-status");
  let dragged = null;

  function csrfToken(card) {
    const input = card.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function move(card, column) {
    const stage = column.dataset.stage;
    const body = new FormData();
    body.append("stage", stage);
    let reason = "";
    const stages = Array.from(board.querySelectorAll(".pool-column")).map((c) => c.dataset.stage);
    const from = card.closest(".pool-column").dataset.stage;
    if (stages.indexOf(stage) < stages.indexOf(from)) {
      reason = window.prompt(board.dataset.reasonPrompt || "Reason") || "";
    }
    body.append("reason", reason);
    const response = await fetch(card.dataset.moveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(card), Accept: "application/json" },
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      status.textContent = data.detail || response.statusText;
      return;
    }
    column.querySelector(".pool-cards").appendChild(card);
    const select = card.querySelector("select[name=stage]");
    if (select) select.value = data.stage;
    status.textContent = card.querySelector("a").textContent + " → " + column.querySelector("h2").firstChild.textContent.trim();
  }

  board.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".pool-card");
    if (dragged) event.dataTransfer.setData("text/plain", dragged.dataset.id);
  });
  board.querySelectorAll(".pool-column").forEach((column) => {
    column.addEventListener("dragover", (event) => {
      event.preventDefault();
      column.classList.add("is-over");
    });
    column.addEventListener("dragleave", () => column.classList.remove("is-over"));
    column.addEventListener("drop", (event) => {
      event.preventDefault();
      column.classList.remove("is-over");
      if (dragged && dragged.closest(".pool-column") !== column) move(dragged, column);
      dragged = null;
    });
  });
})();
