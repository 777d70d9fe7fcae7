// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:responseError", function (event) {
  var target = event.detail.target;
  if (target && event.detail.xhr.responseText) {
    target.innerHTML = event.detail.xhr.responseText;
    htmx.process(target); // keep the re-rendered form wired to htmx
  }
});

// Autosave of typed text on the fill page: an answer's fieldset posts on "change"
// (htmx); typing in its boxes also saves after a pause, and leaving the page while
// a box holds text not yet saved asks first.
(function () {
  var PAUSE_MS = 800; // save this long after the last keystroke
  var TYPED = "textarea, input[type=url], input[type=text]";
  var timers = new Map(); // field -> pending debounce timer
  var edits = new WeakMap(); // fieldset -> keystrokes so far
  var sent = new WeakMap(); // fieldset -> keystrokes when its last save was sent
  var unsaved = new Set(); // fieldsets holding text the server has not confirmed

  // 422: the answer saved but its evidence link was refused. Swap it like a success
  // (with the progress out of band); the refused field is marked below.
  if (window.htmx) {
    htmx.config.responseHandling.unshift({ code: "422", swap: true, error: false });
  }

  function answerBox(element) {
    return element.closest ? element.closest("fieldset[hx-post]") : null;
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    var box = answerBox(field);
    if (!box || !field.matches(TYPED)) return;
    edits.set(box, (edits.get(box) || 0) + 1);
    unsaved.add(box);
    clearTimeout(timers.get(field));
    timers.set(
      field,
      setTimeout(function () {
        timers.delete(field);
        htmx.trigger(field, "change"); // bubbles to the fieldset: one autosave
      }, PAUSE_MS),
    );
  });

  document.addEventListener("change", function (event) {
    if (event.isTrusted && timers.has(event.target)) {
      clearTimeout(timers.get(event.target)); // leaving the box saves it now
      timers.delete(event.target);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = event.detail.elt;
    if (unsaved.has(box)) sent.set(box, edits.get(box) || 0);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var box = event.detail.elt;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    // Saved, and nothing typed since the request left: nothing is at risk any more.
    if (status === 200 && sent.get(box) === (edits.get(box) || 0)) unsaved.delete(box);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = answerBox(event.detail.target);
    if (!box) return;
    box.querySelectorAll("[data-marked-invalid]").forEach(function (field) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
      field.removeAttribute("data-marked-invalid");
      field.removeAttribute("aria-errormessage");
    });
    event.detail.target.querySelectorAll("[data-refused-field]").forEach(function (message) {
      var field = document.getElementById(message.getAttribute("data-refused-field"));
      if (!field) return;
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-errormessage", message.id);
      field.setAttribute("data-marked-invalid", "");
    });
  });

  // The page's own Save / Next buttons post every answer: no warning for those.
  document.addEventListener("submit", function () {
    unsaved.clear();
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved.size === 0) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to show their own warning
  });
})();

// The people picker (templates/partials/person_picker.html): a click on a suggestion
// fills in the person; typing again forgets the previous choice.
(function () {
  document.addEventListener("click", function (event) {
    var pick = event.target.closest ? event.target.closest("[data-pick]") : null;
    if (!pick) return;
    var picker = pick.closest("[data-picker]");
    if (!picker) return;
    if (picker.dataset.pickerMulti) {
      addPerson(picker, pick);
      return;
    }
    picker.querySelector("[data-picker-text]").value = pick.dataset.label;
    var chosen = picker.querySelector("[data-picker-id]");
    if (chosen.tagName === "SELECT") {
      var option = document.createElement("option");
      option.value = pick.dataset.pick;
      option.textContent = pick.dataset.label;
      chosen.appendChild(option);
    }
    chosen.value = pick.dataset.pick;
    pick.parentNode.innerHTML = "";
  });
  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-picker-text]")) return;
    var chosen = event.target.closest("[data-picker]").querySelector("input[data-picker-id]");
    if (chosen) chosen.value = "";
  });
  // Several people: the chosen one joins the ticked list (or is ticked again), and the
  // search box empties for the next name.
  function addPerson(picker, pick) {
    var name = picker.dataset.pickerMulti;
    var list = picker.querySelector("[data-picker-chosen]");
    var box = list.querySelector('input[value="' + pick.dataset.pick + '"]');
    if (!box) {
      var none = list.querySelector("[data-picker-none]");
      if (none) none.remove();
      var text = picker.querySelector("[data-picker-text]");
      var item = document.createElement("li");
      item.className = "form-check";
      box = document.createElement("input");
      box.className = "form-check-input";
      box.type = "checkbox";
      box.name = name;
      box.value = pick.dataset.pick;
      box.id = text.id + "-" + pick.dataset.pick;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = box.id;
      label.textContent = pick.dataset.label;
      item.appendChild(box);
      item.appendChild(label);
      list.appendChild(item);
    }
    box.checked = true;
    var search = picker.querySelector("[data-picker-text]");
    search.value = "";
    pick.parentNode.innerHTML = "";
    search.focus();
  }
})();
