/// The pages' keyboard shortcuts and the annotation page's lease heartbeat, served from `/static/app.js`. The pages
/// work without it (plain radio buttons and a submit button; the task is then held for the lease duration only); the
/// Content-Security-Policy allows scripts from this server only, never inline ones.
///
/// The heartbeat posts the form's CSRF token and task id to `/annotate/heartbeat` every `data-heartbeat-seconds`
/// while the page is open, so a person who takes long over a task keeps it; when the server answers that the task is
/// no longer held, the page says so before they type more.
enum ScriptAsset {
    static let text = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var form = document.getElementById("label-form");
          if (!form) { return; }
          var rowKeys = { o: "overall", h: "helpfulness", s: "safety", f: "fluency" };
          var choiceKeys = { "1": "a", "2": "b", "3": "tie", "4": "both_bad", "0": "" };
          var active = "overall";
          function highlight() {
            var rows = form.querySelectorAll("fieldset.choice-row");
            for (var i = 0; i < rows.length; i++) {
              rows[i].classList.toggle("active", rows[i].getAttribute("data-row") === active);
            }
          }
          function submit() {
            if (form.requestSubmit) { form.requestSubmit(); } else if (form.reportValidity()) { form.submit(); }
          }
          form.addEventListener("click", function (event) {
            var row = event.target.closest ? event.target.closest("fieldset.choice-row") : null;
            if (row) { active = row.getAttribute("data-row"); highlight(); }
          });
          document.addEventListener("keydown", function (event) {
            var target = event.target;
            var typing = target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "radio"));
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submit(); return; }
            if (typing) { if (event.key === "Escape") { target.blur(); } return; }
            if (event.altKey || event.ctrlKey || event.metaKey) { return; }
            if (Object.prototype.hasOwnProperty.call(rowKeys, event.key)) {
              active = rowKeys[event.key]; highlight(); event.preventDefault(); return;
            }
            if (Object.prototype.hasOwnProperty.call(choiceKeys, event.key)) {
              var value = choiceKeys[event.key];
              if (active === "overall" && value === "") { return; }
              var inputs = form.querySelectorAll("input[type=radio]");
              for (var i = 0; i < inputs.length; i++) {
                if (inputs[i].name === active && inputs[i].value === value) { inputs[i].checked = true; }
              }
              event.preventDefault();
              return;
            }
            if (event.key === "c") { event.preventDefault(); document.getElementById("comment").focus(); return; }
            if (event.key === "Enter") { event.preventDefault(); submit(); return; }
            if (event.key === "?") {
              var help = document.getElementById("shortcuts");
              if (help) { help.open = !help.open; }
            }
          });
          highlight();
          var beat = Number(form.getAttribute("data-heartbeat-seconds"));
          if (beat > 0 && window.fetch && window.URLSearchParams) {
            var timer = setInterval(function () {
              var body = new URLSearchParams();
              body.set("csrf", form.elements["csrf"].value);
              body.set("task_id", form.elements["task_id"].value);
              fetch("/annotate/heartbeat", { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
                if (response.status === 409 || response.status === 404 || response.status === 401 || response.status === 403) {
                  clearInterval(timer);
                  var status = document.getElementById("lease-status");
                  if (status) { status.hidden = false; }
                }
              }).catch(function () { /* offline for now: the next beat tries again */ });
            }, beat * 1000);
          }
        });

        """
}
