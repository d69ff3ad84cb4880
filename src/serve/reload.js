// keikaku serve: live reload and the error overlay. Served only by `keikaku serve`; the
// built site contains no script.
(function () {
  "use strict";
  var OVERLAY = "keikaku-errors";
  function clear() {
    var o = document.getElementById(OVERLAY);
    if (o) o.remove();
  }
  function show(diags) {
    clear();
    var o = document.createElement("div");
    o.id = OVERLAY;
    o.setAttribute("role", "alert");
    o.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#fff;color:#1a1a1a;border-top:6px solid #b3261e;box-shadow:0 -4px 24px rgba(0,0,0,.25);" +
      "padding:1rem 1.25rem;font:15px/1.6 system-ui,sans-serif";
    var h = document.createElement("h2");
    h.textContent = document.documentElement.lang === "en"
      ? "The site was not rebuilt: " + diags.length + " problem(s). The last good version is shown."
      : "サイトを更新できませんでした（" + diags.length + "件の問題）。前回の正常な内容を表示しています。";
    h.style.cssText = "margin:0 0 .5rem;font-size:1.05rem;color:#b3261e";
    o.appendChild(h);
    var ul = document.createElement("ul");
    ul.style.cssText = "margin:0;padding-left:1.2rem";
    diags.forEach(function (d) {
      var li = document.createElement("li");
      var where = d.file ? d.file + (d.line ? ":" + d.line + ":" + d.column : "") : "";
      var b = document.createElement("strong");
      b.textContent = where + " ";
      li.appendChild(b);
      li.appendChild(document.createTextNode("[" + d.code + "] " + d.message));
      (d.hints || []).forEach(function (hint) {
        var p = document.createElement("div");
        p.textContent = "→ " + hint;
        p.style.color = "#4a4f55";
        li.appendChild(p);
      });
      ul.appendChild(li);
    });
    o.appendChild(ul);
    document.body.appendChild(o);
  }
  function status() {
    fetch("/__keikaku/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.errors && s.errors.length) show(s.errors); else clear();
    }).catch(function () {});
  }
  var source = new EventSource("/__keikaku/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("errors", status);
  source.addEventListener("ok", clear);
  status();
})();
