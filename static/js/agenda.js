/* Agenda ordering by drag and drop (native HTML5), saved through the reorder form.
 * The form posts with htmx when it is loaded and as a plain POST otherwise; the Upp/Ned buttons
 * next to each item do the same job from the keyboard. Standing items are not draggable. */
(function () {
  "use strict";

  var dragged = null;

  function list() {
    return document.querySelector('[data-agenda-sortable="true"]');
  }

  function movableItems(ol) {
    return Array.prototype.slice.call(ol.querySelectorAll('li[draggable="true"]'));
  }

  function saveOrder(ol) {
    var form = document.getElementById("reorder-form");
    if (!form) { return; }
    form.elements.order.value = movableItems(ol).map(function (li) {
      return li.getAttribute("data-item-id");
    }).join(",");
    if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
  }

  document.addEventListener("dragstart", function (event) {
    var li = event.target.closest && event.target.closest('li[draggable="true"]');
    if (!li || !list() || !list().contains(li)) { return; }
    dragged = li;
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.getAttribute("data-item-id"));
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var target = event.target.closest && event.target.closest('li[draggable="true"]');
    if (!target || target === dragged || target.parentNode !== dragged.parentNode) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var box = target.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    target.parentNode.insertBefore(dragged, after ? target.nextSibling : target);
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    if (!dragged) { return; }
    var ol = dragged.parentNode;
    dragged.classList.remove("dragging");
    dragged = null;
    saveOrder(ol);
  });

  // Keep keyboard focus on the same button after htmx swaps the agenda in.
  var focusId = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusId = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusId) { return; }
    var element = document.getElementById(focusId);
    if (element && element.disabled) {
      // At the top or bottom: focus the other move button of the same item.
      var other = focusId.indexOf("move-up-") === 0 ? focusId.replace("move-up-", "move-down-")
        : focusId.replace("move-down-", "move-up-");
      element = document.getElementById(other);
    }
    if (element) { element.focus(); }
    focusId = null;
  });
})();
