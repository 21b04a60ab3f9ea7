// Asks before a destructive action is sent. A form, or one of its submit buttons, that carries
// data-confirm="question" (and optionally data-confirm-detail and data-confirm-button) opens the
// page's confirmation dialog instead of submitting. Focus moves into the dialog; Escape or
// "No, go back" closes it and returns focus to the button that opened it. Without JavaScript or
// <dialog>, the form is sent as before, so every action still works.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var title = document.getElementById("confirm-dialog-title");
  var detail = document.getElementById("confirm-dialog-detail");
  var accept = dialog.querySelector("[data-confirm-accept]");
  var dismiss = dialog.querySelector("[data-confirm-dismiss]");
  var pending = null;

  function askingElement(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) { return submitter; }
    return form.hasAttribute("data-confirm") ? form : null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var asking = askingElement(form, submitter);
    if (!asking) { return; }
    if (form.getAttribute("data-confirmed") === "yes") {
      form.removeAttribute("data-confirmed");
      return;
    }
    event.preventDefault();
    pending = { form: form, submitter: submitter, trigger: submitter || document.activeElement };
    title.textContent = asking.getAttribute("data-confirm");
    var text = asking.getAttribute("data-confirm-detail") || "";
    detail.textContent = text;
    detail.hidden = !text;
    if (text) { dialog.setAttribute("aria-describedby", detail.id); } else { dialog.removeAttribute("aria-describedby"); }
    accept.textContent = asking.getAttribute("data-confirm-button") ||
      (submitter ? submitter.textContent.replace(/\s+/g, " ").trim() : "") || accept.getAttribute("data-default-label");
    dialog.showModal();
    dismiss.focus();
  });

  accept.addEventListener("click", function () {
    var confirmed = pending;
    pending = null;
    dialog.close();
    if (!confirmed) { return; }
    confirmed.form.setAttribute("data-confirmed", "yes");
    confirmed.form.requestSubmit(confirmed.submitter || undefined);
  });

  dismiss.addEventListener("click", function () { dialog.close(); });

  // Closing without accepting (the button or Escape) puts focus back where the person was.
  dialog.addEventListener("close", function () {
    if (!pending) { return; }
    var trigger = pending.trigger;
    pending = null;
    if (trigger && typeof trigger.focus === "function") { trigger.focus(); }
  });
})();
