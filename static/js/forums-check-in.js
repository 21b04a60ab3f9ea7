// Check-in desk: one tap checks a participant in (or undoes it) without reloading the page.
// Without JavaScript the forms post and the page reloads with the same search.
(function () {
  "use strict";
  var list = document.querySelector("[data-check-in-list]");
  if (!list || !window.fetch) return;
  var counter = document.querySelector("[data-checked-in-count]");

  list.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-check-in-form]");
    if (!form) return;
    event.preventDefault();
    var button = event.submitter;
    var data = new FormData(form);
    data.set("action", button ? button.value : "in");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    // form.action would be the button named "action": read the attribute.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (!result.ok) { window.alert(result.body.error || ""); return; }
        var row = form.closest(".check-in__row");
        var checkedIn = result.body.checked_in;
        row.classList.toggle("is-checked-in", checkedIn);
        form.querySelector("[data-in]").hidden = checkedIn;
        form.querySelector("[data-undo]").hidden = !checkedIn;
        form.querySelector("[data-time]").textContent = result.body.label;
        if (counter) {
          counter.textContent = String(parseInt(counter.textContent, 10) + (checkedIn ? 1 : -1));
        }
        (checkedIn ? form.querySelector("[data-undo]") : form.querySelector("[data-in]")).focus();
      })
      .catch(function () { form.submit(); })
      .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  });
})();
