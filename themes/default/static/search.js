// keikaku search: substring search over the plan's text, in the browser, with no server and
// no other host. Japanese needs no word splitting this way; English queries match plurals.
// A query loads only the parts of the index that hold its strings, and the text of the
// results it shows.
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
  // The index (see src/render/search/): which pages hold each string of one to three
  // characters, in parts by a hash of the string, and the pages' text a few pages a file.
  var meta = null, parts = {}, loaded = {}, files = {};
  function json(path) {
    return fetch(root + "search/" + path).then(function (r) { return r.json(); });
  }
  function cached(store, key, path) {
    if (!store[key]) store[key] = json(path);
    return store[key];
  }
  // The keys of a term: itself when short, else each string of max_gram characters of it.
  function keys(term) {
    var cs = Array.from(term), n = meta.max_gram, out = [];
    if (cs.length <= n) return [term];
    for (var i = 0; i + n <= cs.length; i++) out.push(cs.slice(i, i + n).join(""));
    return out;
  }
  // FNV-1a over the characters, as shard_of() in src/render/search/index.rs.
  function shardOf(key) {
    var h = 0x811c9dc5;
    for (var c of key) { h ^= c.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
    return h % meta.shards;
  }
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // A list of pages as encode() in index.rs writes it: gaps in base-32 digits, or after "!"
  // a bitmap of six pages a digit.
  function decode(s) {
    var out = [], i, d;
    if (s.charAt(0) === "!") {
      for (i = 1; i < s.length; i++) {
        d = DIGITS.indexOf(s.charAt(i));
        for (var j = 0; j < 6; j++) if (d & (1 << j)) out.push((i - 1) * 6 + j);
      }
      return out;
    }
    var last = -1, v = 0, shift = 0;
    for (i = 0; i < s.length; i++) {
      d = DIGITS.indexOf(s.charAt(i));
      v += (d & 31) * Math.pow(2, shift);
      shift += 5;
      if (!(d & 32)) { last += v + 1; out.push(last); v = 0; shift = 0; }
    }
    return out;
  }
  function intersect(a, b) {
    var set = new Set(b);
    return a.filter(function (x) { return set.has(x); });
  }
  // The pages whose text (field 0) or title (field 1) hold every key of a term.
  function pagesOf(term, field) {
    var ks = keys(term), got = null;
    for (var i = 0; i < ks.length; i++) {
      var entry = loaded[shardOf(ks[i])][ks[i]];
      var list = entry ? decode(entry[field]) : [];
      got = got ? intersect(got, list) : list;
    }
    return got;
  }
  // Loads the parts a query needs; each part once.
  function load(terms) {
    var need = [];
    terms.forEach(function (t) { variants(t).forEach(function (v) { keys(v).forEach(function (k) { need.push(shardOf(k)); }); }); });
    return Promise.all(need.map(function (n) {
      return cached(parts, n, lang + "/p" + n + ".json").then(function (v) { loaded[n] = v; });
    }));
  }
  // Each page that holds every term, with its score: a term in the title counts 10, in the
  // text 1. In page order, so equal scores keep the plan's order.
  function candidates(terms) {
    var score = null;
    terms.forEach(function (term) {
      var own = new Map();
      variants(term).forEach(function (v) {
        pagesOf(v, 0).forEach(function (p) { if (!own.has(p)) own.set(p, 1); });
        pagesOf(v, 1).forEach(function (p) { own.set(p, 10); });
      });
      if (score) own.forEach(function (s, p) { if (!score.has(p)) own.delete(p); else own.set(p, score.get(p) + s); });
      score = own;
    });
    return Array.from(score.keys()).sort(function (a, b) { return a - b; }).map(function (p) { return { p: p, score: score.get(p) }; });
  }
  function page(p) {
    var n = Math.floor(p / meta.per_file);
    return cached(files, n, lang + "/f" + n + ".json").then(function (docs) { return docs[p - n * meta.per_file]; });
  }
  // A long term's keys can all be in a page without the term (待機児 and 機児童 apart): a
  // result shown is checked against its text, and left out if so.
  function holds(d, terms) {
    var title = norm(d.t), text = norm(d.x), score = 0, first = null;
    for (var i = 0; i < terms.length; i++) {
      var inTitle = find(title, terms[i]), inText = find(text, terms[i]);
      if (!inTitle && !inText) return null;
      score += inTitle ? 10 : 1;
      if (!first && inText) first = terms[i];
    }
    return { d: d, score: score, at: first };
  }
  function item(h) {
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
    return li;
  }
  // Results come SHOWN at a time, the text of each read for its snippet (and checked: a
  // long term's keys can all be in a page without the term). A plan whose whole text is
  // small (a city plan) reads every candidate of a long term, so its count is exact; a
  // larger one counts the candidates not yet read, "about", and shows ten at a time (a
  // request each, mostly).
  var SMALL = 256000, asked = 0, more = document.getElementById("search-more"), state = null;
  function fill(st) {
    var want = st.shown.length < st.until ? st.until - st.shown.length : st.all ? st.hits.length - st.checked : 0;
    var batch = st.hits.slice(st.checked, st.checked + want);
    if (!batch.length) return Promise.resolve(st);
    return Promise.all(batch.map(function (h) { return page(h.p); })).then(function (docs) {
      docs.forEach(function (d) {
        var h = holds(d, st.terms);
        if (!h) st.dropped++;
        else st.found.push(h);
      });
      st.checked += batch.length;
      // Shown in rank order: the order of the candidates, the exact score first.
      st.found.sort(function (a, b) { return b.score - a.score; });
      st.shown = st.found.slice(0, st.until);
      return fill(st);
    });
  }
  function show(st, from) {
    if (st.ask !== asked) return;
    var exact = !st.long || st.checked === st.hits.length;
    status.textContent = strings[exact ? "count" : "about"].replace("{n}", st.hits.length - st.dropped).replace("{q}", st.q);
    if (!from) results.textContent = "";
    var first = null;
    st.shown.slice(from).forEach(function (h) { var li = item(h); first = first || li; results.appendChild(li); });
    var rest = st.hits.length - st.dropped - st.shown.length;
    if (more) {
      more.hidden = rest <= 0;
      more.textContent = strings.more.replace("{n}", Math.min(rest, st.step));
    }
    return first;
  }
  function run(q) {
    var terms = norm(q).split(/[\s\u3000]+/).filter(Boolean);
    var step = meta.text_bytes <= SMALL ? 50 : 10;
    state = null;
    if (more) more.hidden = true;
    if (!terms.length) { results.textContent = ""; status.textContent = ""; asked++; return; }
    var st = { ask: ++asked, q: q, terms: terms, step: step, until: step, shown: [], found: [], checked: 0, dropped: 0 };
    st.long = terms.some(function (t) { return variants(t).some(function (v) { return keys(v).length > 1; }); });
    st.all = st.long && meta.text_bytes <= SMALL;
    load(terms).then(function () {
      st.hits = candidates(terms);
      st.hits.sort(function (a, b) { return b.score - a.score || a.p - b.p; });
      return fill(st);
    }).then(function () { show(st, 0); state = st; });
  }
  if (more) more.addEventListener("click", function () {
    var st = state;
    if (!st) return;
    var from = st.shown.length;
    st.until += st.step;
    fill(st).then(function () {
      var first = show(st, from);
      if (first) first.querySelector("a").focus();
    });
  });
  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  json(lang + ".json").then(function (m) {
    meta = m;
    run(input.value);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    if (meta) run(input.value);
  });
})();
