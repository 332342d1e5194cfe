/* Small behaviours for the staff workspace; everything works without them, only less smoothly. */
(function () {
  "use strict";

  // Filter forms marked data-drop-empty send only the fields that are set: shorter, shareable URLs.
  document.addEventListener("htmx:configRequest", function (e) {
    if (!e.detail.elt.closest || !e.detail.elt.closest("[data-drop-empty]")) return;
    var params = e.detail.parameters;
    Object.keys(params).forEach(function (k) {
      if (params[k] === "") delete params[k];
    });
  });

  function closeModal() {
    var host = document.querySelector(".modal-host");
    if (host) host.innerHTML = "";
  }

  document.addEventListener("click", function (e) {
    var host = e.target.closest && e.target.closest(".modal-host");
    if (!host) return;
    if (e.target === host || e.target.closest("[data-close-modal]")) {
      e.preventDefault();
      closeModal();
    }
  });

  // The routing suggestion's "Use" button puts its unit into the handling-unit field (no inline
  // handler: the Content-Security-Policy allows none that carries data).
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-use-unit]");
    if (!button) return;
    var field = document.querySelector("[name=handling_unit]");
    if (field) field.value = button.getAttribute("data-use-unit");
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeModal();
  });

  // Put the cursor in the first field of a freshly loaded action form.
  document.addEventListener("htmx:afterSwap", function (e) {
    var host = e.target.closest && e.target.closest(".modal-host");
    if (!host) return;
    var field = host.querySelector(".has-error textarea, .has-error input, .has-error select, " +
      "textarea, input:not([type=hidden]), select");
    if (field) field.focus();
  });
})();
