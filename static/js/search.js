// Progressive enhancement for the listings search: results update as one types.
// Without JavaScript the same form submits normally and the server renders the page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-search]");
  var results = document.querySelector("[data-results]");
  var status = document.getElementById("results-status");
  if (!form || !results || !window.fetch || !window.URLSearchParams) { return; }

  var timer = null;
  var controller = null;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && value.trim() !== "") { params.append(name, value.trim()); }
    });
    return params.toString();
  }

  function update() {
    var qs = query();
    var url = form.action.split("?")[0] + (qs ? "?" + qs : "");
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    results.setAttribute("aria-busy", "true");
    fetch(url, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      results.innerHTML = html;
      results.removeAttribute("aria-busy");
      var summary = results.querySelector("[data-status]");
      if (summary && status) { status.textContent = summary.getAttribute("data-status").trim(); }
      window.history.replaceState(null, "", url);
    }).catch(function (error) {
      if (error.name === "AbortError") { return; }
      results.removeAttribute("aria-busy");
      // Fall back to an ordinary page load, which always works.
      form.submit();
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    update();
  });
})();
