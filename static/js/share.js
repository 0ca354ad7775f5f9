// Reveals the "Copy link" button, which needs JavaScript; without it the link stays in its field to copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-link"));
    var status = button.parentNode.querySelector(".share__copied");
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = status.getAttribute("data-copied-text");
      }, function () {
        field.select();
      });
    });
  });
})();
