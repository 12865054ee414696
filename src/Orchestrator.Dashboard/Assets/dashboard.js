// Orchestrator dashboard: plain script, no build step. Refreshes open pages while runs go on, renders the plan graph
// with the vendored Mermaid, and sends approval decisions.
(function () {
  "use strict";

  // The runs table: fetch the fragment again and swap it in when it changed.
  document.querySelectorAll("[data-refresh]").forEach(function (element) {
    var interval = parseInt(element.getAttribute("data-interval"), 10) || 2000;
    setInterval(function () {
      fetch(element.getAttribute("data-refresh"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null && html !== element.innerHTML) { element.innerHTML = html; } })
        .catch(function () { /* the next tick tries again */ });
    }, interval);
  });

  // A run's page: reload when the run changed, unless someone is typing a comment.
  var run = document.getElementById("run");
  if (run) {
    var interval = parseInt(run.getAttribute("data-interval"), 10) || 2000;
    setInterval(function () {
      fetch(run.getAttribute("data-version-url"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (version) {
          var typing = Array.prototype.some.call(document.querySelectorAll("textarea"), function (t) { return t.value !== ""; });
          if (version !== null && version !== run.getAttribute("data-version") && !typing) { location.reload(); }
        })
        .catch(function () { });
    }, interval);
  }

  // The plan graph: Mermaid renders the planner's flowchart in place.
  var graph = document.getElementById("graph");
  if (graph && window.mermaid) {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral", flowchart: { htmlLabels: false } });
    window.mermaid.run({ querySelector: "#graph pre.mermaid" })
      .then(function () { graph.setAttribute("data-rendered", "true"); })
      .catch(function (error) { graph.setAttribute("data-rendered", "error"); graph.insertAdjacentText("beforeend", "The graph could not be drawn: " + error); });
  }

  // Approve / reject as the signed-in user.
  document.querySelectorAll("form.decide").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.querySelectorAll("button[data-approved]").forEach(function (button) {
      button.addEventListener("click", function () {
        var result = form.querySelector(".result");
        var comment = form.querySelector("textarea").value;
        if (form.getAttribute("data-require-comment") === "true" && comment.trim() === "") {
          result.className = "result error";
          result.textContent = "This approval requires a comment.";
          return;
        }
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        fetch(form.getAttribute("data-url"), {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-Orchestrator-Dashboard": "1" },
          body: JSON.stringify({ approved: button.getAttribute("data-approved") === "true", comment: comment === "" ? null : comment })
        }).then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        }).then(function (reply) {
          result.className = reply.ok ? "result" : "result error";
          result.textContent = reply.ok ? reply.body.message : (reply.body.detail || "The decision was refused.");
          if (reply.ok) { form.querySelector("textarea").value = ""; form.setAttribute("data-done", "true"); }
          else { form.querySelectorAll("button").forEach(function (b) { b.disabled = false; }); }
        }).catch(function (error) {
          result.className = "result error";
          result.textContent = "The decision could not be sent: " + error;
          form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        });
      });
    });
  });
})();
