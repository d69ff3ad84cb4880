// keikaku search: substring search over the plan's text, in the browser, with no server and
// no other host. Japanese needs no word splitting this way; English queries match plurals.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !results) return;
  var input = form.querySelector("input[name=q]");
  var lang = document.documentElement.lang;
  var root = form.getAttribute("data-root");
  var strings = JSON.parse(form.getAttribute("data-strings"));
  var docs = null;

  // Curly quotes count as straight ones (the text has “…” and ’ where the query may have
  // " and '); one character for one, so positions in the normalised text hold.
  function norm(s) { return s.normalize("NFKC").toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"'); }
  // English: "targets" finds "target" and the other way round.
  function variants(term) {
    if (lang !== "en") return [term];
    var stem = term.replace(/(ies)$/, "y").replace(/(es|s)$/, "");
    return stem.length > 2 && stem !== term ? [term, stem] : [term];
  }
  function find(text, term) {
    var vs = variants(term), best = -1, len = 0;
    for (var i = 0; i < vs.length; i++) {
      var at = text.indexOf(vs[i]);
      if (at >= 0 && (best < 0 || at < best)) { best = at; len = vs[i].length; }
    }
    return best < 0 ? null : [best, len];
  }
  // The normalised text of `raw` with, for each of its UTF-16 units, where the raw text
  // it comes from starts and ends. NFKC changes lengths (ｶﾞ → ガ, ㈱ → (株), ﬁ → fi), so the
  // text is normalised cluster by cluster: a character with the marks that follow it.
  function mapped(raw) {
    var text = "", from = [], to = [];
    var clusters = raw.match(/[\s\S][\p{M}\uFF9E\uFF9F\u3099\u309A]*/gu) || [];
    var at = 0;
    for (var i = 0; i < clusters.length; i++) {
      var n = norm(clusters[i]);
      for (var k = 0; k < n.length; k++) { from.push(at); to.push(at + clusters[i].length); }
      text += n;
      at += clusters[i].length;
    }
    return { text: text, from: from, to: to };
  }
  // A snippet of the raw text around the first place `term` is found in its normalised form.
  function snippet(raw, term) {
    var m = mapped(raw), hit = find(m.text, term);
    if (!hit) return null;
    var at = m.from[hit[0]], end0 = m.to[hit[0] + hit[1] - 1];
    var start = Math.max(0, at - 40), end = Math.min(raw.length, end0 + 60);
    var frag = document.createDocumentFragment();
    if (start > 0) frag.appendChild(document.createTextNode("…"));
    frag.appendChild(document.createTextNode(raw.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = raw.slice(at, end0);
    frag.appendChild(mark);
    frag.appendChild(document.createTextNode(raw.slice(end0, end)));
    if (end < raw.length) frag.appendChild(document.createTextNode("…"));
    return frag;
  }
  function run(q) {
    results.textContent = "";
    var terms = norm(q).split(/[\s\u3000]+/).filter(Boolean);
    if (!terms.length) { status.textContent = ""; return; }
    var hits = [];
    docs.forEach(function (d) {
      var title = norm(d.t), text = norm(d.x), score = 0, first = null;
      for (var i = 0; i < terms.length; i++) {
        var inTitle = find(title, terms[i]), inText = find(text, terms[i]);
        if (!inTitle && !inText) return;
        score += inTitle ? 10 : 1;
        if (!first && inText) first = terms[i];
      }
      hits.push({ d: d, score: score, at: first });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    status.textContent = strings.count.replace("{n}", hits.length).replace("{q}", q);
    hits.slice(0, 50).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + h.d.u;
      a.textContent = h.d.t;
      var where = document.createElement("span");
      where.className = "search-where";
      where.textContent = h.d.s;
      var p = document.createElement("p");
      p.className = "search-snippet";
      var frag = h.at && snippet(h.d.x, h.at);
      if (frag) p.appendChild(frag);
      li.appendChild(a);
      li.appendChild(where);
      li.appendChild(p);
      results.appendChild(li);
    });
  }
  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  function json(path) {
    return fetch(root + "search/" + path).then(function (r) { return r.json(); });
  }
  // The index comes in parts (a large plan's would be one big file); load them all at once.
  json(lang + ".json").then(function (index) {
    var parts = [];
    for (var i = 0; i < index.shards; i++) parts.push(json(lang + "/" + i + ".json"));
    return Promise.all(parts);
  }).then(function (parts) {
    docs = [].concat.apply([], parts);
    run(input.value);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    if (docs) run(input.value);
  });
})();
