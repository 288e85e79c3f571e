// The person form asks, while a name, email or phone is typed, who this might already be
// (crm.duplicate_views.person_duplicate_check), and fills in the native full name and the
// Latin (pinyin) form of a Chinese name unless staff wrote their own.
(function () {
  "use strict";

  function setup(box) {
    var form = box.closest("form");
    if (!form) return;
    var list = box.querySelector("[data-duplicate-list]");
    var heading = box.querySelector("[data-duplicate-heading]");
    var timer = null;
    var lastQuery = "";
    var autoFilled = { full_name_native: "", name_latin: "" };

    function field(name) {
      return form.querySelector('[name="' + name + '"]');
    }

    function query() {
      var params = new URLSearchParams();
      ["family_name", "given_name", "name_order", "full_name_native", "name_chinese", "name_latin", "city", "country"].forEach(function (name) {
        var input = field(name);
        if (input && input.value) params.append(name, input.value);
      });
      form.querySelectorAll('input[name^="emails-"][name$="-email"]').forEach(function (input) {
        if (input.value) params.append("email", input.value);
      });
      form.querySelectorAll('input[name^="phones-"][name$="-number"]').forEach(function (input) {
        if (input.value) params.append("phone", input.value);
      });
      form.querySelectorAll('[name^="affiliations-"][name$="-organization"]').forEach(function (input) {
        if (input.value) params.append("organization", input.value);
      });
      if (box.dataset.person) params.append("person", box.dataset.person);
      return params.toString();
    }

    function fill(name, value) {
      var input = field(name);
      if (!input || !value) return;
      if (input.value === "" || input.value === autoFilled[name]) {
        input.value = value;
        autoFilled[name] = value;
      }
    }

    function show(data) {
      fill("full_name_native", data.native);
      fill("name_latin", data.latin);
      list.textContent = "";
      if (!data.matches.length) {
        box.hidden = true;
        return;
      }
      heading.textContent = data.heading;
      data.matches.forEach(function (match) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = match.url;
        link.target = "_blank";
        link.textContent = match.label;
        item.appendChild(link);
        var detail = [match.detail, match.reason_labels.join(", ")].filter(Boolean).join(" · ");
        item.appendChild(document.createTextNode(" — " + detail + " (" + match.score + ")"));
        list.appendChild(item);
      });
      box.hidden = false;
    }

    function check() {
      var q = query();
      if (q === lastQuery) return;
      lastQuery = q;
      fetch(box.dataset.url + "?" + q, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) show(data); })
        .catch(function () {});
    }

    form.addEventListener("input", function (event) {
      var name = event.target.name || "";
      if (name === "full_name_native" || name === "name_latin") autoFilled[name] = null;
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
  }

  function init() {
    document.querySelectorAll("[data-duplicate-check]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
