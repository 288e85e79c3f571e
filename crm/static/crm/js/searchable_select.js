// Searchable pickers (crm.admin.pickers): every <select data-searchable-select> becomes a
// Tom Select box that filters as you type; a multiple one shows its choices as removable chips.
(function () {
  "use strict";
  function enhance(root) {
    for (const select of root.querySelectorAll("select[data-searchable-select]")) {
      if (select.tomselect || select.closest("[id$='__prefix__']")) continue;
      const multiple = select.multiple;
      const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
      const box = new TomSelect(select, {
        plugins: multiple ? ["remove_button"] : [],
        maxOptions: null,
        searchField: ["text", "value"],
        allowEmptyOption: !multiple,
        hidePlaceholder: false,
        closeAfterSelect: !multiple,
      });
      // The typed-in box is what the label names (Tom Select adds an input of its own); the
      // original <select>, kept for the form's values, is hidden from assistive technology.
      const name = label ? label.textContent.replace(/\s+/g, " ").replace(/\*$/, "").trim() : "";
      if (name && box.control_input) box.control_input.setAttribute("aria-label", name);
      select.setAttribute("aria-hidden", "true");
    }
  }
  // Wagtail's tag field (tag-it) adds a text input without a label: name it by its field's.
  function labelTagInputs() {
    for (const input of document.querySelectorAll("input.ui-autocomplete-input:not([aria-label])")) {
      let node = input.parentElement;
      while (node && !node.querySelector("label")) node = node.parentElement;
      const label = node ? node.querySelector("label") : null;
      if (label) input.setAttribute("aria-label", label.textContent.replace(/\s+/g, " ").trim());
    }
  }
  function start() {
    enhance(document);
    labelTagInputs();
    // Inline panels add forms later (an affiliation row, a content language).
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node.nodeType === 1) enhance(node);
        }
      }
      labelTagInputs();
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
