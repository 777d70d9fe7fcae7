// A "Copy link" button (data-copy-target: the id of the input holding the link) copies
// the input's text and says so in the page's status line; without the Clipboard API the
// link is selected for the user to copy by hand.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(input.id + "-status");
    var done = function () {
      if (status) status.textContent = button.getAttribute("data-copied-text");
    };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });
})();
