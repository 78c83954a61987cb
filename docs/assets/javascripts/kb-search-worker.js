/*
 * Search worker for Material for MkDocs' search box and result list.
 *
 * Material lets a site bring its own worker (the `search` URL in the page config, see
 * overrides/main.html) as long as it speaks the same messages: SETUP → READY, QUERY → RESULT.
 * This one answers the way agents type during a call: two to six Chinese characters, colloquial.
 *
 * - Every knowledge-base entry is one document and one result (hooks/kb/search.py writes the index).
 * - Chinese text is matched by character bigrams, so a query is never cut into pieces the index does
 *   not know (Material drops the last word of 没信号); jieba words from the index add precision.
 * - Fields weigh title > keys (keywords, synonyms, the sentences themselves) > text, and a document must
 *   cover most of the query: a common word in a title no longer swamps a long query.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
// weight of a match, and of the whole query found as is: syn are the words of data/synonyms.yaml groups an
// entry uses
var FIELDS = { title: 4, keys: 2.5, syn: 2.5, text: 1 };
// What a query is not about: question words, fillers and the people of every call. Longest first, so
// 怎么办 goes as a whole before 怎么. A query of nothing else is searched as typed.
var FILLERS = ["怎么办", "怎么样", "怎么说", "怎么回事", "怎么", "怎样", "如何", "能不能", "可不可以", "可以吗",
  "是不是", "是否", "凭什么", "为什么", "为啥", "有没有", "要不要", "该不该", "算不算", "会不会", "什么",
  "啥", "请问", "一下", "的时候", "时候", "我们", "你们", "他们", "客户", "这个", "那个", "还是", "就是",
  "到底", "吗", "呢", "吧", "啊", "呀", "嘛", "了", "的", "我", "你", "他", "她"];
var strip = true;
// character → toneless syllable (from the index config), for homophones: an IME picks characters by
// sound, so 型号 may stand for 信号. Only titles, keys and synonyms are matched by sound.
var syllable = new Map();
var SOUND_FIELDS = ["title", "keys", "syn"];
var HOMOPHONE = 0.8;  // a pair that sounds right but is written otherwise counts a little less
var HAN = /[\u3400-\u9fff]+/g;
var ASCII = /[a-z0-9]+/g;
var NOISE = /[\s\u200b\p{P}\p{S}]+/gu;

var docs = [];
var documentFrequency = new Map();
var vocabulary = new Set();

function normalize(text) {
  return String(text || "").normalize("NFKC").toLowerCase();
}

function compact(text) {
  return normalize(text).replace(NOISE, "");
}

function decodeHtml(html) {
  return String(html || "")
    .replace(/<[^>]*>/g, "")
    .replace(/&#(\d+);/g, function (_, n) { return String.fromCodePoint(+n); })
    .replace(/&#x([0-9a-f]+);/gi, function (_, n) { return String.fromCodePoint(parseInt(n, 16)); })
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/* Bigrams and single characters of Chinese runs, whole words of Latin letters and digits. */
function tokenize(text, into, weightOfUnigram) {
  var normalized = normalize(text);
  var runs = normalized.match(HAN) || [];
  runs.forEach(function (run) {
    for (var i = 0; i < run.length; i++) {
      add(into, "u:" + run[i], weightOfUnigram);
      if (i + 1 < run.length) add(into, "b:" + run.slice(i, i + 2), 1);
    }
  });
  (normalized.match(ASCII) || []).forEach(function (word) { add(into, "a:" + word, 1); });
  return into;
}

function add(map, key, value) {
  map.set(key, (map.get(key) || 0) + value);
}

function prepare(raw) {
  var plain = raw.html
    ? { title: decodeHtml(raw.title).replace(/\u200b/g, ""), text: decodeHtml(raw.text).replace(/\u200b/g, "") }
    : { title: raw.title, text: raw.text };
  var doc = {
    location: raw.location, kind: raw.kind || "页面", title: plain.title, teaser: raw.teaser || "",
    fields: {}, exact: {}
  };
  Object.keys(FIELDS).forEach(function (name) {
    var value = name in plain ? plain[name] || "" : raw[name] || "";
    doc.fields[name] = tokenize(value, new Map(), 1);
    doc.exact[name] = compact(value);
  });
  var words = new Map();
  String(raw.words || "").split("\u200b").forEach(function (word) {
    word = normalize(word).trim();
    if (word.length >= 2) {
      words.set("w:" + word, 1);
      vocabulary.add(word);
    }
  });
  doc.fields.words = words;
  var sounds = new Map();
  if (syllable.size)
    SOUND_FIELDS.forEach(function (name) {
      var value = name in plain ? plain[name] : raw[name];
      soundPairs(value).forEach(function (pair) { sounds.set(pair, 1); });
    });
  doc.fields.sounds = sounds;
  var seen = new Set();
  Object.keys(doc.fields).forEach(function (name) {
    doc.fields[name].forEach(function (_, token) { seen.add(token); });
  });
  seen.forEach(function (token) { add(documentFrequency, token, 1); });
  return doc;
}

/* "p:" + the syllables of every two neighbouring characters of the Chinese runs of ``text``. */
function soundPairs(text) {
  var pairs = [];
  (normalize(text).match(HAN) || []).forEach(function (run) {
    for (var i = 0; i + 1 < run.length; i++) {
      var a = syllable.get(run[i]), b = syllable.get(run[i + 1]);
      if (a && b) pairs.push("p:" + a + " " + b);
    }
  });
  return pairs;
}

function idf(token) {
  var n = documentFrequency.get(token) || 0;
  return Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
}

/* The query without its question words and fillers (each one leaves a gap: no bigram spans it). */
function stripFillers(query) {
  if (!strip) return normalize(query);
  var out = normalize(query);
  FILLERS.forEach(function (word) { out = out.split(word).join(" "); });
  return compact(out) ? out : normalize(query);
}

var soundOf = new Map();  // the query's bigram → its syllable pair

/* The query's tokens with their weights; bigrams and Latin words count towards coverage. */
function queryTokens(query) {
  var tokens = new Map();
  soundOf = new Map();
  var normalized = stripFillers(query);
  (normalized.match(HAN) || []).forEach(function (run) {
    if (run.length === 1) {
      add(tokens, "u:" + run, 1);
      return;
    }
    for (var i = 0; i < run.length; i++) {
      add(tokens, "u:" + run[i], 0.2);
      if (i + 1 < run.length) {
        add(tokens, "b:" + run.slice(i, i + 2), 1);
        var sound = soundPairs(run.slice(i, i + 2))[0];
        if (sound) soundOf.set("b:" + run.slice(i, i + 2), sound);
      }
      for (var j = i + 2; j <= run.length; j++)
        if (vocabulary.has(run.slice(i, j))) add(tokens, "w:" + run.slice(i, j), 0.6);
    }
  });
  (normalized.match(ASCII) || []).forEach(function (word) { add(tokens, "a:" + word, 1); });
  return tokens;
}

var WEAK = 0.5;

function exactly(doc, whole) {
  for (var name in FIELDS) if (doc.exact[name].indexOf(whole) >= 0) return true;
  return false;
}

function saturate(count) {
  return count / (count + 0.5);
}

function score(doc, tokens, whole) {
  var total = 0, covered = 0, matched = 0;
  tokens.forEach(function (weight, token) {
    var counts = token[0] === "b" || token[0] === "a";
    var rarity = idf(token);
    if (counts) total += rarity * weight;
    var inFields = 0;
    for (var name in FIELDS) {
      var count = doc.fields[name].get(token);
      if (count) inFields += FIELDS[name] * saturate(count);
    }
    if (token[0] === "w" && doc.fields.words.has(token)) inFields += 1.5;
    if (inFields === 0 && soundOf.has(token) && doc.fields.sounds.has(soundOf.get(token))) {
      // the right sound in another character: matched as rare as the sound is, covered a little less
      matched += weight * idf(soundOf.get(token)) * HOMOPHONE * FIELDS.keys;
      covered += rarity * weight * HOMOPHONE;
      return;
    }
    if (inFields > 0) {
      matched += weight * rarity * inFields;
      if (counts) covered += rarity * weight;
    }
  });
  if (matched === 0) return 0;
  var coverage = total > 0 ? covered / total : 1;
  var result = matched * coverage * coverage;
  doc.coverage = coverage;
  if (whole.length >= 2)
    for (var name in FIELDS)
      if (doc.exact[name].indexOf(whole) >= 0) {
        result += FIELDS[name] * Math.max(total, 1);
        break;
      }
  return result;
}

/* Mark the characters of ``text`` that belong to a query bigram or word. */
function highlight(text, tokens) {
  var lower = normalize(text);
  if (lower.length !== text.length) return escapeHtml(text);
  var marked = new Array(text.length).fill(false);
  for (var i = 0; i < lower.length; i++) {
    if (tokens.has("b:" + lower.slice(i, i + 2))) marked[i] = marked[i + 1] = true;
    if (tokens.size === 1 && tokens.has("u:" + lower[i])) marked[i] = true;
  }
  (lower.match(ASCII) || []).forEach(function (word) {
    if (!tokens.has("a:" + word)) return;
    for (var at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1))
      for (var k = at; k < at + word.length; k++) marked[k] = true;
  });
  var html = "", open = false;
  for (var c = 0; c < text.length; c++) {
    if (marked[c] && !open) { html += "<mark>"; open = true; }
    if (!marked[c] && open) { html += "</mark>"; open = false; }
    html += escapeHtml(text[c]);
  }
  return open ? html + "</mark>" : html;
}

function search(query) {
  var whole = compact(query);
  if (!whole) return { items: [] };
  var tokens = queryTokens(query);
  var scored = [];
  docs.forEach(function (doc) {
    var s = score(doc, tokens, whole);
    if (s > 0) scored.push({ doc: doc, score: s });
  });
  scored.sort(function (a, b) { return b.score - a.score; });
  var best = scored.length ? scored[0].score : 1;
  // No good match: the best result covers less than half of what the query is about, and does not hold
  // it as typed. The page (kb.js) then shows what is closest and how to search differently.
  var weak = scored.length && scored[0].doc.coverage < WEAK && !exactly(scored[0].doc, whole);
  return {
    items: scored.slice(0, 50).map(function (hit) {
      var doc = hit.doc;
      // The title carries the kind and the teaser: Material shows only the title of a result
      // whose address has an #anchor, and anchored entries are most of ours.
      var title = (weak ? "<span class=\"kb-weak-match\" hidden></span>" : "") + "<span class=\"kb-result-kind\">" + escapeHtml(doc.kind) + "</span> "
        + "<span class=\"kb-result-title\">" + highlight(doc.title, tokens) + "</span>"
        + (doc.teaser ? "<span class=\"kb-result-teaser\">" + highlight(doc.teaser, tokens) + "</span>" : "");
      var terms = {};
      terms[whole] = true;
      return [{ location: doc.location, title: title, text: "", score: hit.score / best * 100, terms: terms }];
    })
  };
}

addEventListener("message", function (event) {
  var message = event.data;
  switch (message.type) {
    case SETUP:
      var options = (message.data.config && message.data.config.kb) || {};
      strip = options.strip !== false;
      syllable = new Map();
      Object.keys(options.pinyin || {}).forEach(function (sound) {
        for (var c of options.pinyin[sound]) syllable.set(c, sound);
      });
      docs = message.data.docs.map(prepare);
      postMessage({ type: READY });
      break;
    case QUERY:
      postMessage({ type: RESULT, data: search(message.data) });
      break;
    default:
      throw new TypeError("Invalid message type");
  }
});
