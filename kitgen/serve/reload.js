// kitgen serve: reload this tab when a new build is ready; show content errors over the last good page.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-build") : "";
  var listed = me ? me.getAttribute("data-errors") : "";
  var own = document.querySelector("main.kitgen-index");  // the preview's own pages list errors themselves
  var source = new EventSource("/__kitgen/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (own && state.errors.join("\n") !== listed) { source.close(); location.reload(); return; }
    if (state.errors.length) { if (!own) { show(state.errors); } return; }
    hide();
    if (state.build && state.build !== shown) { source.close(); location.reload(); }
  };
  function hide() {
    var old = document.getElementById("kitgen-errors");
    if (old) { old.remove(); }
  }
  function show(errors) {
    hide();
    var box = document.createElement("div");
    box.id = "kitgen-errors";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.textContent = "kitgen: the last save has " + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      ". This is the last good build; fix and save to update.";
    var list = document.createElement("pre");
    list.textContent = errors.join("\n");
    box.appendChild(title);
    box.appendChild(list);
    document.body.appendChild(box);
  }
})();
