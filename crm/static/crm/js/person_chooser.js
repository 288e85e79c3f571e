/* The person chooser (crm/admin/widgets.py): a hidden <select> holding the chosen people, chips to
 * show and remove them, and a type-ahead box asking the lookup endpoint for up to 20 matches.
 * Every change to the select dispatches a bubbling "change" event, so scripts watching the
 * form (e.g. the campaign builder's live audience count) see it. Staff strings come from the
 * template's data attributes (translated there). */
(() => {
    "use strict";

    const DEBOUNCE_MS = 250;
    let uid = 0;

    const fill = (text, values) =>
        text.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));

    function setUp(root) {
        if (root.dataset.personChooserReady) return;
        root.dataset.personChooserReady = "true";
        const select = root.querySelector("select");
        const chips = root.querySelector("[data-chips]");
        const input = root.querySelector("[data-search]");
        const results = root.querySelector("[data-results]");
        const status = root.querySelector("[data-status]");
        const multiple = root.dataset.multiple === "true";
        const text = root.dataset;
        const prefix = `crm-person-chooser-${++uid}`;
        let timer = null;
        let controller = null;
        let active = -1;

        const announce = (message) => {
            status.textContent = message;
        };
        const changed = () => select.dispatchEvent(new Event("change", { bubbles: true }));
        const chosen = () => Array.from(select.options).filter((o) => o.value && o.selected);

        function close() {
            results.hidden = true;
            results.replaceChildren();
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }

        function makeChip(value, label) {
            const chip = document.createElement("li");
            chip.className = "crm-person-chooser__chip";
            chip.dataset.value = value;
            const span = document.createElement("span");
            span.className = "crm-person-chooser__chip-label";
            span.textContent = label;
            const button = document.createElement("button");
            button.type = "button";
            button.className = "crm-person-chooser__remove";
            button.dataset.remove = "";
            button.setAttribute("aria-label", fill(text.removeLabel, { name: label }));
            button.textContent = "×";
            chip.append(span, button);
            return chip;
        }

        function remove(chip) {
            const value = chip.dataset.value;
            const label = chip.querySelector(".crm-person-chooser__chip-label").textContent;
            for (const option of Array.from(select.options)) {
                if (option.value === value) option.remove();
            }
            if (!multiple) {
                const empty = select.querySelector('option[value=""]');
                if (empty) empty.selected = true;
            }
            const next = chip.nextElementSibling || chip.previousElementSibling;
            chip.remove();
            (next ? next.querySelector("[data-remove]") : input).focus();
            announce(fill(text.removed, { name: label }));
            changed();
        }

        function add(value, label) {
            if (!chosen().some((o) => o.value === value)) {
                if (!multiple) {
                    for (const option of chosen()) option.remove();
                    chips.replaceChildren();
                }
                const option = new Option(label, value, true, true);
                select.add(option);
                chips.append(makeChip(value, label));
                changed();
            }
            input.value = "";
            close();
            input.focus();
            announce(fill(text.added, { name: label }));
        }

        function note(message) {
            const item = document.createElement("li");
            item.className = "crm-person-chooser__option crm-person-chooser__option--note";
            item.setAttribute("role", "option");
            item.setAttribute("aria-disabled", "true");
            item.textContent = message;
            return item;
        }

        function show(data) {
            results.replaceChildren();
            active = -1;
            const taken = new Set(chosen().map((o) => o.value));
            data.results.forEach((person, index) => {
                const item = document.createElement("li");
                item.id = `${prefix}-option-${index}`;
                item.className = "crm-person-chooser__option";
                item.setAttribute("role", "option");
                item.setAttribute("aria-selected", "false");
                item.dataset.value = String(person.id);
                item.dataset.label = person.label;
                const name = document.createElement("span");
                name.textContent = person.label;
                item.append(name);
                if (person.detail) {
                    const detail = document.createElement("span");
                    detail.className = "crm-person-chooser__option-detail";
                    detail.textContent = person.detail;
                    item.append(detail);
                }
                if (taken.has(item.dataset.value)) item.setAttribute("aria-disabled", "true");
                results.append(item);
            });
            if (!data.results.length) results.append(note(data.message || text.noResults));
            if (data.more) results.append(note(text.moreResults));
            results.hidden = false;
            input.setAttribute("aria-expanded", "true");
            announce(
                data.results.length
                    ? fill(text.resultsCount, { count: data.results.length })
                    : data.message || text.noResults,
            );
        }

        async function search() {
            const query = input.value.trim();
            if (controller) controller.abort();
            if (!query) {
                close();
                return;
            }
            controller = new AbortController();
            try {
                const url = `${text.lookupUrl}?q=${encodeURIComponent(query)}`;
                const response = await fetch(url, {
                    headers: { Accept: "application/json" },
                    credentials: "same-origin",
                    signal: controller.signal,
                });
                if (!response.ok) throw new Error(String(response.status));
                const data = await response.json();
                if (input.value.trim() === query) show(data);
            } catch (error) {
                if (error.name !== "AbortError") announce(text.error);
            }
        }

        const choosable = () =>
            Array.from(results.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));

        function highlight(index) {
            const items = choosable();
            if (!items.length) return;
            active = (index + items.length) % items.length;
            items.forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
            input.setAttribute("aria-activedescendant", items[active].id);
            items[active].scrollIntoView({ block: "nearest" });
        }

        input.addEventListener("input", (event) => {
            // Typing a search is not a change to the form: keep it from the form's listeners
            // (live counts, unsaved-changes warning). Choosing a person is, via the select.
            event.stopPropagation();
            clearTimeout(timer);
            timer = setTimeout(search, DEBOUNCE_MS);
        });
        input.addEventListener("change", (event) => event.stopPropagation());
        input.addEventListener("keydown", (event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                if (results.hidden) return search();
                highlight(active + (event.key === "ArrowDown" ? 1 : -1));
            } else if (event.key === "Enter") {
                // Never submit the whole form from the search box.
                event.preventDefault();
                const items = choosable();
                const item = items[active] || (items.length === 1 ? items[0] : null);
                if (item) add(item.dataset.value, item.dataset.label);
            } else if (event.key === "Escape" && !results.hidden) {
                event.preventDefault();
                close();
            }
        });
        input.addEventListener("blur", () => {
            // Let a click on a result land first.
            setTimeout(() => {
                if (!root.contains(document.activeElement)) close();
            }, 150);
        });
        results.addEventListener("mousedown", (event) => event.preventDefault());
        results.addEventListener("click", (event) => {
            const item = event.target.closest('[role="option"]');
            if (item && item.dataset.value && item.getAttribute("aria-disabled") !== "true") {
                add(item.dataset.value, item.dataset.label);
            }
        });
        chips.addEventListener("click", (event) => {
            const button = event.target.closest("[data-remove]");
            if (button) remove(button.closest("li"));
        });
    }

    const setUpAll = (scope) =>
        scope.querySelectorAll("[data-person-chooser]").forEach((root) => setUp(root));

    window.crmPersonChooser = { setUp, setUpAll };
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", () => setUpAll(document));
    } else {
        setUpAll(document);
    }
    // Forms added later (inline panels, modals) get their choosers too.
    new MutationObserver((mutations) => {
        for (const mutation of mutations) {
            for (const node of mutation.addedNodes) {
                if (node.nodeType === Node.ELEMENT_NODE) {
                    if (node.matches("[data-person-chooser]")) setUp(node);
                    else setUpAll(node);
                }
            }
        }
    }).observe(document.documentElement, { childList: true, subtree: true });
})();
