/*
 * Search worker for Material for MkDocs' search box and result list.
 *
 * Material lets a site bring its own worker (the `search` URL in the page config, see
 * overrides/main.html) as long as it speaks the same messages: SETUP → READY, QUERY → RESULT.
 * This one answers the way agents type during a call: two to six Chinese characters, colloquial.
 *
 * - Every knowledge-base entry is one document and one result (hooks/kb/search.py writes the documents,
 *   hooks/kb/shards.py cuts them into a term index and document shards; this worker fetches only the
 *   shards a query needs, so 10,000 entries cost a few hundred kilobytes per first query, not the lot).
 * - Chinese text is matched by character bigrams, so a query is never cut into pieces the index does
 *   not know (Material drops the last word of 没信号).
 * - Fields weigh title > keys (keywords, synonyms, the sentences themselves) > text, a match in a long
 *   body counts less (BM25's length normalisation), and a document must cover most of the query, each
 *   character weighed by its rarity: a common word in a title no longer swamps a long query, and the
 *   rare 骂 of 骂娘 counts where the common 开始 hardly does. What only a body mentions covers at most
 *   half: a long description that touches on many words of the query does not outrank the entry named
 *   by its main one.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
// weight of a match, and of the whole query found as is: syn are the words of data/synonyms.yaml groups an
// entry is named by (title, keys), syn_body those of groups its body only mentions; the index config may
// change them (kb.weights: the bench takes synonyms out with syn: 0, syn_body: 0, syn_moments: 0). moments
// are the entry's 什么时候用 lines (the moments of a call it is for, in agents' words), syn_moments the words
// of the groups they reach: weighed like keys, they say what the entry is for (the bench: moments: 0, syn_moments: 0)
var DEFAULT_FIELDS = { title: 4, keys: 2.5, syn: 2.5, text: 1, syn_body: 1, moments: 2.5, syn_moments: 2.5, after: 1 };
var FIELDS = DEFAULT_FIELDS;
// What a query is not about: question words (怎么办, 咋整, 能不能), fillers (的话, 老是, 一直) and the people
// of every call. Longest first (sorted below), so 怎么办 goes as a whole before 怎么 and 可不可以 before
// 可以. A query of nothing else is searched as typed.
var FILLERS = [
  // how, what, why
  "怎么办", "怎么样", "怎么说", "怎么回事", "怎么处理", "怎么弄", "怎么做", "怎么", "怎样", "如何",
  "咋办", "咋整", "咋弄", "咋", "什么", "啥", "凭什么", "为什么", "为啥",
  // may I, should I, is it
  "能不能", "可不可以", "可以吗", "可以", "能否", "应该", "是不是", "是否", "有没有", "要不要", "该不该",
  "算不算", "会不会", "请问", "一下",
  // when, and then
  "的话", "的时候", "时候", "以后", "之后", "接下来", "下一步", "下一句", "然后", "终于", "已经",
  // habits of speech
  "总是", "老是", "一直", "动不动", "觉得", "说着说着", "这个", "那个", "还是", "就是", "到底", "这边", "进去",
  // the people of every call, and the agent speaking of himself
  "客户", "我们", "你们", "他们", "我", "你", "他", "她", "我得", "我该", "我想",
  // every call is on the phone
  "在电话里", "电话里", "电话那头",
  // particles
  "吗", "呢", "吧", "啊", "呀", "嘛", "了", "的"
].sort(function (a, b) { return b.length - a.length; });
// A filler is not what a query is about, but it is not nothing either: 我们 of 是我们这边搞错了, 进去 of 插不进去,
// 了 of 用了十年了. It stays in the query as weak terms, the pairs it makes with itself and with the character
// either side (们这, 不进, 用了, 了十): they add FILLER to an entry that holds them and nothing to what the query
// asks to be covered, so an entry is not found for a filler alone (the bench's ablation: filler: 0).
var DEFAULT_FILLER = 0.3, FILLER = DEFAULT_FILLER;
var strip = true;
// character → toneless syllable (from the index config), for homophones: an IME picks characters by
// sound, so 型号 may stand for 信号. Only titles, keys and synonyms are matched by sound (their syllable
// pairs are in the term shards as p: tokens).
var syllable = new Map();
var HOMOPHONE = 0.8;  // a pair that sounds right but is written otherwise counts a little less
var HAN = /[\u3400-\u9fff]+/g;
var ASCII = /[a-z0-9]+/g;
var NOISE = /[\s\u200b\p{P}\p{S}]+/gu;

// The index comes in shards (hooks/kb/shards.py): SETUP brings the manifest, a query fetches the term
// shards of its tokens, and the results' document shards. Every fetched shard is kept.
var manifest = { count: 0, terms: 1, per_shard: 50, version: "" };
var base = null;  // URL of the site's search/ folder
var shards = new Map();  // path → promise of its JSON

function normalize(text) {
  return String(text || "").normalize("NFKC").toLowerCase();
}

function compact(text) {
  return normalize(text).replace(NOISE, "");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function add(map, key, value) {
  map.set(key, (map.get(key) || 0) + value);
}

/* 32-bit FNV-1a of a token: which term shard holds it (kb.shards.fnv1a computes the same). */
function fnv1a(token) {
  var h = 0x811c9dc5;
  for (var i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

function load(path) {
  if (!shards.has(path)) {
    var url = new URL(path + "?v=" + manifest.version, base), kept = shards;
    // while the index is being written again, a shard's address does not tell its versions apart
    var request = fetch(url, manifest.updating ? { cache: "no-store" } : undefined).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
    request.catch(function () { kept.delete(path); });  // a failed fetch is tried again next time
    shards.set(path, request);
  }
  return shards.get(path);
}

/* The manifest read again from the site (not from a cache), every shard fetched so far let go: the index
   was built again since the page loaded its manifest (the site deployed anew while the page stayed open,
   see lookup), or the manifest said it was being written again (see current). */
function reread() {
  var url = new URL("search_index.json", base);
  return fetch(url, { cache: "no-store" }).then(function (response) {
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }).then(function (index) {
    configure((index.config && index.config.kb) || {});
  });
}

var SHARD_COUNT = "#";  // in each term shard: the number of term shards it was cut for (kb.shards._joined)

/* The manifest read again before a query while it says the index is being written again (a quick `mkdocs
   serve` rebuild writes its search index after its pages, and marks the manifest meanwhile): the page
   reloaded before the index was written, and no shard fetched meanwhile is kept once it is. */
function current() {
  return manifest.updating ? reread().catch(function () {}) : Promise.resolve();
}

/* token → its postings [doc, counts, …] with absolute document numbers ([] when no document has it).
   A term shard cut for another number of shards than the manifest says, or one that cannot be fetched
   (gone with a smaller index), sends the worker to read the manifest again, once. */
function lookup(tokenList, again) {
  var seen = manifest, paths = new Map();
  tokenList.forEach(function (token) { paths.set(token, "terms/" + (fnv1a(token) % seen.terms) + ".json"); });
  var wanted = Array.from(new Set(paths.values()));
  return Promise.all(wanted.map(load)).then(function (loaded) {
    if (manifest !== seen) return null;  // read again meanwhile (another query): the shard numbers changed
    if (loaded.some(function (part) { return SHARD_COUNT in part && part[SHARD_COUNT] !== seen.terms; })) {
      throw new Error("the term shards were cut for another manifest");
    }
    var parts = new Map();
    wanted.forEach(function (path, i) { parts.set(path, loaded[i]); });
    return parts;
  }).then(function (parts) {
    if (parts === null) return lookup(tokenList, again);
    var found = new Map();
    tokenList.forEach(function (token) {
      var gaps = parts.get(paths.get(token))[token] || [], flat = new Array(gaps.length), doc = 0;
      for (var k = 0; k < gaps.length; k += 2) {
        doc += gaps[k];
        flat[k] = doc;
        flat[k + 1] = gaps[k + 1];
      }
      found.set(token, flat);
    });
    return found;
  }, function (error) {
    if (again) throw error;
    return reread().then(function () { return lookup(tokenList, true); }, function () { throw error; });
  });
}

/* The count of a token in one field, from the posting's four-bit counts (kb.shards.FIELDS: title, keys,
   syn, text, syn_body, moments, syn_moments, after; the last in the top bits, which >> and & 15 read). */
var SHIFT = { title: 0, keys: 4, syn: 8, text: 12, syn_body: 16, moments: 20, syn_moments: 24, after: 28 };

function countIn(packed, name) {
  return (packed >> SHIFT[name]) & 15;
}

/* BM25's length normalisation of the body: a match in a body twice the mean length counts as a match
   in a shorter one would if it occurred about half as often. The manifest holds every document's length
   class (``lengths``, one hex digit each, kb.shards.length_class) and the mean length (``body``). */
var BODY_FIELDS = { text: true, syn_body: true, after: true };
var DEFAULT_LENGTH_B = 0.75, LENGTH_B = DEFAULT_LENGTH_B;

function bodyNorm(doc) {
  // (a document past the lengths: the manifest is older than the shards, see reread)
  if (!manifest.body || !manifest.lengths || !LENGTH_B || doc >= manifest.lengths.length) return 1;
  return 1 - LENGTH_B + LENGTH_B * Math.pow(2, parseInt(manifest.lengths[doc], 16)) / manifest.body;
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

/* The weight of a sound match: the best of the fields that hold the pair (a bit each, in this order, see
   kb.shards.SOUND_FIELDS), never above keys (a title heard is not a title read). */
var SOUND_FIELDS = ["title", "keys", "syn", "moments"];

function soundWeight(mask) {
  var best = 0;
  SOUND_FIELDS.forEach(function (name, bit) {
    if (mask & (1 << bit)) best = Math.max(best, Math.min(FIELDS[name], FIELDS.keys));
  });
  return best;
}

/* Rarity of a token that ``n`` documents hold (BM25's idf). */
function idf(n) {
  return Math.log(1 + (manifest.count - n + 0.5) / (n + 0.5));
}

/* Where the query's fillers are, longest first: [start, word] of each occurrence not inside a longer one. */
function fillersIn(text) {
  var gone = new Array(text.length).fill(false), found = [];
  FILLERS.forEach(function (word) {
    for (var at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      var free = true;
      for (var k = at; k < at + word.length; k++) free = free && !gone[k];
      if (!free) continue;
      for (k = at; k < at + word.length; k++) gone[k] = true;
      found.push([at, word]);
    }
  });
  return { gone: gone, found: found };
}

/* The query without its question words and fillers (each one leaves a gap: no bigram spans it). */
function stripFillers(query) {
  if (!strip) return normalize(query);
  var text = normalize(query), gone = fillersIn(text).gone, out = "";
  for (var i = 0; i < text.length; i++) out += gone[i] ? " " : text[i];
  return compact(out) ? out : text;
}

/* Pairs of the query's characters one apart, as typed: spoken Chinese splits its words (插话 → 插句话,
   道歉 → 道个歉, 生气 → 生了一肚子气 …) and a filler taken out (挂了电话) leaves the word around it apart. Each
   pair is looked up as a bigram of the index, weighs SKIP and covers its two characters; the middle one it
   does not. Fillers are found as stripFillers finds them. */
var DEFAULT_SKIP = 0.5, SKIP = DEFAULT_SKIP;
var skipped = new Map();  // a pair's token → its two characters, when the query has it only as a pair

function skipPairs(query) {
  var text = normalize(query), gone = new Array(text.length).fill(false);
  if (strip) {
    gone = fillersIn(text).gone;
    if (gone.every(function (g, i) { return g || !/[\u3400-\u9fff]/.test(text[i]); })) gone.fill(false);
  }
  var pairs = [];
  for (var i = 0; i + 2 < text.length; i++) {
    var a = text[i], b = text[i + 2];
    // a word split by speech has a character in between, not a space, a digit or a mark
    if (!gone[i] && !gone[i + 2] && /[\u3400-\u9fff]/.test(a) && /[\u3400-\u9fff]/.test(text[i + 1]) &&
        /[\u3400-\u9fff]/.test(b)) pairs.push(a + b);
  }
  return pairs;
}

/* A query that says a step of the call is over (骂完了, 消气以后, 冷静下来, 接下来, 下一句) asks for the step
   after it: then what ends the step before (the ``after`` field) weighs DONE, above a title, and covers as
   a key does; otherwise it is body text. Not 没完, 骂不完, 完全, 停不下来. A query that ends in 不 and what
   an upset caller does, then 了, says so too (终于不骂了, 不哭了: the customer has stopped), not 还/又/再不X了
   (still not, or again) and not any 不X了 (又不认了 goes back on an agreement, 宽带不通了 is a fault,
   找不到了). */
var DEFAULT_DONE = 5, DONE = DEFAULT_DONE;
// no lookbehind: a browser that cannot parse one would lose the whole worker
var OVER = /(^|[^没不])完(?![全整善美])|以后|之后|接下来|下一步|下一句|然后|过后|(^|[^不])下来/;
var STOPPED = /(^|[^还又再])不[骂哭闹吵喊吼叫嚷]了$/;  // against the query without marks (…不骂了。)
var done = false;

/* A query that describes a person (哭哭啼啼的阿姨, 爱较真的老师, 说话冲的客户, 张口就要赔偿) asks what kind of
   customer this is, and the agent acts on the type. Then every customer type (manifest ``persons``: [type,
   signal, …] as document numbers) weighs PERSON times its score, and at least BESIDE times the score of the
   best of its signals: the signal whose label says what the caller does matches the words best, and its
   type comes up beside it. A moment of the call (客户哭了, 他问我要工号) is not a person described: there
   the signal names the moment and stays first. The bench's ablation sets person: 0. */
var DEFAULT_PERSON = 1.5, PERSON = DEFAULT_PERSON, BESIDE = 0.95;
var PERSON_WORDS = new RegExp([
  // people by age, sex and standing, as agents call them
  "大爷|大妈|大娘|大叔|大伯|大婶|大姐|大哥|阿姨|叔叔|奶奶|爷爷|老太|老头|老人(?!机)|老汉|老伯|老乡|老同志",
  "小伙|姑娘|小哥|小姐|小妹|年轻人|后生|女士|先生|老板|老总|老师|师傅|学生|农民|村民",
  // not 这种 / 那种 / 用户 alone: 这种情况要不要赔 and 用户说 ask about a case, not a person
  "中年|男的|女的|老用户|老客户|人家|主儿|这号人|类型|型$|脾气",
  // a person by a habit: 爱较真的, 喜欢吵的, 动不动就…, 专门…的, 的人, …的客户
  "^爱|^喜欢|^专门|动不动|的人$|的客户$|的老|的$",
  // a habit, in the words one describes a character with: 张口就…, 一上来就…, 开口闭口…, 一个劲儿…, 三天两头…
  "[张开]口就|张嘴就|一开口|一张嘴|一上来就|[张开]口闭口|一个劲|三天两头|每次都|每回都|总爱|老爱|就爱|一点就"].join("|"));
// reported speech (客户说…, 他问…) is what the caller said, not who he is
var SPEECH = /(客户|他|她|对方|人家)(说|问|讲|喊|骂)|说的$/;
var describing = false;
var persons = [];  // [[type, signal, …], …]

var DEFAULT_NEGATION = true, NEGATION = DEFAULT_NEGATION;
var negated = new Map();  // a token of the X of a 不X → the token of 不X, which an entry must hold for it to count
var weakFillers = new Set();  // the bigrams of the query's fillers, weak terms that cover nothing
/* Who does what: 客户打断我 asks about the customer's behaviour (a signal, a type), 我打断了客户 about the
   agent's (a technique, a phrase, a swap), though both match 打断 alike. The query's subject is the first
   person it names: the customer (客户, 对方, 他, 她; not reported speech, 客户说…, which quotes what he said)
   or the agent (我, not 我们, the company; not when the rest speaks to 你们, the caller's own words). The
   entries of that side (manifest ``sides``, one letter per document: c, a or -) weigh SUBJECT times more. */
var DEFAULT_SUBJECT = 1.3, SUBJECT = DEFAULT_SUBJECT;
var CUSTOMER_SUBJECT = /^(客户|对方|他|她)/, AGENT_SUBJECT = /^我(?!们)/, CALLER_SPEAKS = /你们/;
var subject = "";  // "c", "a" or ""

/* Companion pages: a customer type or a case and an entry it names that names it back (万事通型客户, its
   话术招式, its 案例演练; 变色龙型客户 and 协议生效) match the same words and filled the first places, the entry
   a query asked for fourth. In the first FIRST places, a companion of a result above counts COMPANION less
   there: it yields its place to the next other result whose score is close (within COMPANION), and comes
   right after it. Manifest ``companions``: [hub, companion, …] as document numbers; the bench's ablation
   sets companion: 0. */
var DEFAULT_COMPANION = 0.1, COMPANION = DEFAULT_COMPANION, FIRST = 5;
var companions = new Map();  // document → the set of its companions' documents

/* ``scored`` (sorted) with its first FIRST places filled greedily, MMR-style: each the best score, a companion
   of a result already placed counting (1 − COMPANION) times its own. The first result never moves. */
function diversify(scored) {
  if (!COMPANION || !companions.size) return scored;
  var placed = scored.slice(0, 1), rest = scored.slice(1);
  while (placed.length < FIRST && rest.length) {
    var best = 0, value = -Infinity;
    for (var i = 0; i < rest.length && rest[i].score > value; i++) {  // sorted: none further can do better
      var near = companions.get(rest[i].doc);
      var v = near && placed.some(function (h) { return near.has(h.doc); }) ? rest[i].score * (1 - COMPANION) : rest[i].score;
      if (v > value) { best = i; value = v; }
    }
    placed.push(rest.splice(best, 1)[0]);
  }
  return placed.concat(rest);
}

var soundOf = new Map();  // the query's bigram → its syllable pair
var DEFAULT_BUT = 1.5, BUT = DEFAULT_BUT;
var runWeights = [];  // each of queryRuns' weight: BUT after a 但, 1 otherwise

/* Where "A 但 B" turns: [index, length] of the first 但是, 可是 or 但 (not 不但, 但凡, 但愿) with something on
   either side, or null. */
function butAt(text) {
  var re = /但是|可是|但/g, m;
  while ((m = re.exec(text))) {
    if (m[0] === "但" && (text[m.index - 1] === "不" || /[凡愿]/.test(text[m.index + 1] || ""))) continue;
    if (/[\u3400-\u9fff]/.test(text.slice(0, m.index)) && /[\u3400-\u9fff]/.test(text.slice(m.index + m[0].length)))
      return [m.index, m[0].length];
  }
  return null;
}

var queryRuns = [], queryWords = [];  // the query's Chinese runs and Latin words without its fillers: what
                                      // coverage is counted over

/* The query's tokens with their weights; bigrams and Latin words count towards coverage. */
function queryTokens(query) {
  var tokens = new Map();
  soundOf = new Map();
  var bare = compact(query);
  done = DONE > 0 && (OVER.test(normalize(query)) || STOPPED.test(bare));
  describing = PERSON > 0 && PERSON_WORDS.test(bare) && !SPEECH.test(bare);
  subject = !SUBJECT || SUBJECT === 1 || !manifest.sides ? "" :
    CUSTOMER_SUBJECT.test(bare) && !SPEECH.test(bare) ? "c" :
    AGENT_SUBJECT.test(bare) && !CALLER_SPEAKS.test(bare) ? "a" : "";
  var normalized = stripFillers(query);
  // "A 但 B", "A 可是 B": B is the point (客户火气很大但句句在理); the conjunction goes, B's runs weigh BUT
  queryRuns = [];
  runWeights = [];
  var cut = BUT !== 1 ? butAt(normalized) : null;
  (cut ? [[normalized.slice(0, cut[0]), 1], [normalized.slice(cut[0] + cut[1]), BUT]] : [[normalized, 1]])
    .forEach(function (part) {
      (part[0].match(HAN) || []).forEach(function (run) { queryRuns.push(run); runWeights.push(part[1]); });
    });
  queryRuns.forEach(function (run, r) {
    var w = runWeights[r];
    if (run.length === 1) {
      add(tokens, "u:" + run, w);
      return;
    }
    for (var i = 0; i < run.length; i++) {
      add(tokens, "u:" + run[i], 0.2 * w);
      if (i + 1 < run.length) {
        add(tokens, "b:" + run.slice(i, i + 2), w);
        var sound = soundPairs(run.slice(i, i + 2))[0];
        if (sound) soundOf.set("b:" + run.slice(i, i + 2), sound);
      }
    }
  });
  // 不X at the front of a run (of the query, or after a filler: 客户不客气地…) is not X: X's pair and
  // characters count only in an entry that holds 不X too, so 不客气 does not find 客客气气. Not when the
  // query says the caller has stopped doing X (终于不骂了: STOPPED): that is about X, and X is over
  negated = new Map();
  if (NEGATION && !STOPPED.test(bare)) queryRuns.forEach(function (run) {
    if (run[0] !== "不" || run.length < 2) return;
    var word = run.slice(1, 3), holds = "b:" + run.slice(0, 2);
    if (word.length === 2) negated.set("b:" + word, holds);
    for (var c of word) negated.set("u:" + c, holds);
  });
  queryWords = normalized.match(ASCII) || [];
  queryWords.forEach(function (word) { add(tokens, "a:" + word, 1); });
  skipped = new Map();
  if (SKIP) skipPairs(query).forEach(function (pair) {
    if (tokens.has("b:" + pair)) return;
    skipped.set("b:" + pair, pair);
    tokens.set("b:" + pair, SKIP);
  });
  // each filler, with the character either side of it, as weak pairs (see FILLER)
  weakFillers = new Set();
  var text = normalize(query);
  if (strip && FILLER && normalized !== text) fillersIn(text).found.forEach(function (at) {
    var span = text.slice(Math.max(0, at[0] - 1), at[0] + at[1].length + 1);
    for (var i = 0; i + 1 < span.length; i++) {
      var token = "b:" + span.slice(i, i + 2);
      if (!/^[\u3400-\u9fff]{2}$/.test(span.slice(i, i + 2)) || tokens.has(token)) continue;
      weakFillers.add(token);
      tokens.set(token, FILLER);
    }
  });
  return tokens;
}

/* The tokens of the query as typed, fillers included: a document that holds every one of them in one
   field holds the query as typed there, near enough (the postings know no positions). */
function wholeTokens(whole) {
  var list = new Set();
  (whole.match(HAN) || []).forEach(function (run) {
    if (run.length === 1) list.add("u:" + run);
    for (var i = 0; i + 1 < run.length; i++) list.add("b:" + run.slice(i, i + 2));
  });
  (whole.match(ASCII) || []).forEach(function (word) { list.add("a:" + word); });
  return Array.from(list);
}

var WEAK = 0.5;
var DEFAULT_ALONE = 0.5, ALONE = DEFAULT_ALONE;
// A document's score is what it matches times the share of the query it covers to this power. Squared,
// the share decided alone: a query's incidental words (刚才那句 of 刚才那句我没听清, 得很 of 骂得很难听)
// found in an entry that barely touched its point outranked the entry that matched the point many times
// over (啊，你说什么？ for 没听清). At 0.75 the share still counts, without swamping the match (the bench's
// ablation sets 2, as before).
var DEFAULT_COVER_POWER = 0.75, COVER_POWER = DEFAULT_COVER_POWER;
var CHAR_COVER = true, DEFAULT_CHAR_ALONE = 0.5, CHAR_ALONE = DEFAULT_CHAR_ALONE;
// what a word found only in the body covers of the query, at most: a body that mentions it shows the entry
// touches on it, a title or keyword that the entry is about it (the bench's ablation sets 1)
var DEFAULT_BODY_COVER = 0.5, BODY_COVER = DEFAULT_BODY_COVER;

function saturate(count, norm) {
  return count / (count + 0.5 * (norm || 1));
}

/* Every document that matches, with its score: the bigrams, characters and words of the query weighed by
   rarity and field, homophones a little less, times the share of the query covered (to COVER_POWER); a
   document that holds the query as typed gets a bonus by the best field that holds it. */
function rank(tokens, whole, found) {
  var hits = new Map();
  function hit(doc) {
    var h = hits.get(doc);
    if (!h) hits.set(doc, h = { doc: doc, matched: 0, covered: 0, exact: null, fields: {}, got: new Map() });
    return h;
  }
  var total = 0;
  // A character of the query that makes no pair any entry holds, on either side or one apart (哭 of
  // 一边说一边哭 and of 说到一半开始哭): the words of the query split there and it is a word of its own, not
  // a part of one. It weighs ALONE (a character of a longer run weighs 0.2, a pair 1) and an entry that
  // holds it covers it whole, not by half (CHAR_ALONE); the bench's ablation sets alone: 0.
  var alone = new Set();
  if (ALONE) {
    var paired = new Set();
    skipped.forEach(function (pair, token) { if ((found.get(token) || []).length) for (var c of pair) paired.add(c); });
    queryRuns.forEach(function (run) {
      if (run.length < 2) return;
      for (var i = 0; i < run.length; i++) {
        var left = i > 0 && (found.get("b:" + run.slice(i - 1, i + 1)) || []).length;
        var right = i + 1 < run.length && (found.get("b:" + run.slice(i, i + 2)) || []).length;
        if (!left && !right && !paired.has(run[i]) && (found.get("u:" + run[i]) || []).length) alone.add(run[i]);
      }
    });
  }
  var holding = new Map();  // the token of a 不X → the documents that hold it
  negated.forEach(function (holds) {
    if (!holding.has(holds)) holding.set(holds, new Set((found.get(holds) || []).filter(function (x, i) { return i % 2 === 0; })));
  });
  tokens.forEach(function (weight, token) {
    if (token[0] === "u" && alone.has(token.slice(2))) weight = Math.max(weight, ALONE);
    var only = negated.has(token) ? holding.get(negated.get(token)) : null;
    var counts = (token[0] === "b" || token[0] === "a") && !skipped.has(token) && !weakFillers.has(token);
    var list = found.get(token);
    var rarity = idf(list.length / 2);
    if (counts) total += rarity * weight;
    var has = new Set();
    for (var k = 0; k < list.length; k += 2) {
      if (only && !only.has(list[k])) continue;
      var inFields = 0, norm = bodyNorm(list[k]), named = false, inBody = 0;
      for (var name in FIELDS) {
        // unless the query says a step is over, the after field is syn_body: counted with it, as one field
        if (name === "after" && !done) continue;
        var count = countIn(list[k + 1], name) + (name === "syn_body" && !done ? countIn(list[k + 1], "after") : 0);
        var over = done && name === "after", fieldWeight = over ? DONE : FIELDS[name];
        if (!count || !fieldWeight) continue;
        var body = BODY_FIELDS[name] && !over;
        var part = saturate(count, body ? norm : 1);
        inFields += fieldWeight * part;
        if (body) inBody = Math.max(inBody, part);
        else named = true;
      }
      if (inFields > 0) {
        var h = hit(list[k]);
        has.add(list[k]);
        h.matched += weight * rarity * inFields;
        if (counts) h.covered += rarity * weight;
        // what it covers of the query: all when the title or keys hold it; when only the body does, as
        // much as a body of the mean length mentioning it once, less in a long body (by the same norm;
        // length_b: 0 switches both off), and never more than BODY_COVER
        h.got.set(token, named ? 1 : Math.min(BODY_COVER, inBody / saturate(1)));
      }
    }
    var sound = soundOf.get(token);
    if (!sound) return;
    // the right sound in another character: matched as rare as the sound is, covered a little less
    var pairs = found.get(sound), soundRarity = idf(pairs.length / 2);
    for (var p = 0; p < pairs.length; p += 2) {
      if (has.has(pairs[p]) || (only && !only.has(pairs[p]))) continue;
      var heard = soundWeight(pairs[p + 1]);
      if (!heard) continue;
      var s = hit(pairs[p]);
      s.matched += weight * soundRarity * HOMOPHONE * heard;
      s.covered += rarity * weight * HOMOPHONE;
      if (!s.got.has(token)) s.got.set(token, HOMOPHONE);
    }
  });
  var exact = whole.length >= 2 ? wholeTokens(whole) : [];
  exact.forEach(function (token) {
    var list = found.get(token);
    for (var k = 0; k < list.length; k += 2) {
      var h = hits.get(list[k]);
      if (!h) continue;
      for (var name in FIELDS)
        if (countIn(list[k + 1], name)) h.fields[name] = (h.fields[name] || 0) + 1;
    }
  });
  // Coverage by characters: each character of the query weighs its rarity; it counts whole when the
  // document holds a query bigram it is part of, CHAR_ALONE when it holds the character only (骂 of 骂娘
  // in a document that says 骂人), so rare characters decide and 就, 说, 来 hardly count. A Latin word
  // counts as one character.
  var charMass = 0, rarityOf = new Map();
  queryRuns.forEach(function (run, r) {
    for (var i = 0; i < run.length; i++) {
      var rare = idf((found.get("u:" + run[i]) || []).length / 2);
      rarityOf.set(run[i], rare);
      charMass += rare * runWeights[r];
    }
  });
  queryWords.forEach(function (word) {
    rarityOf.set(word, idf((found.get("a:" + word) || []).length / 2));
    charMass += rarityOf.get(word);
  });
  var pairsOf = new Map();  // a character → the query's pairs one apart that hold it
  skipped.forEach(function (pair, token) {
    for (var c of pair) pairsOf.set(c, (pairsOf.get(c) || []).concat([token]));
  });
  function charCoverage(h) {
    var covered = 0;
    queryWords.forEach(function (word) { covered += (h.got.get("a:" + word) || 0) * rarityOf.get(word); });
    queryRuns.forEach(function (run, r) {
      for (var i = 0; i < run.length; i++) {
        var best = (h.got.get("u:" + run[i]) || 0) * (run.length === 1 || alone.has(run[i]) ? 1 : CHAR_ALONE);
        if (i > 0) best = Math.max(best, h.got.get("b:" + run.slice(i - 1, i + 1)) || 0);
        if (i + 1 < run.length) best = Math.max(best, h.got.get("b:" + run.slice(i, i + 2)) || 0);
        (pairsOf.get(run[i]) || []).forEach(function (token) { best = Math.max(best, h.got.get(token) || 0); });
        covered += rarityOf.get(run[i]) * best * runWeights[r];
      }
    });
    return covered;
  }
  var scored = [];
  hits.forEach(function (h) {
    if (h.matched === 0) return;
    // the share of the query's bigrams the document holds: what decides a weak match (below)
    h.bigrams = total > 0 ? h.covered / total : 1;
    h.coverage = CHAR_COVER && charMass > 0 ? Math.min(1, charCoverage(h) / charMass) : h.bigrams;
    h.score = h.matched * Math.pow(h.coverage, COVER_POWER);
    if (exact.length)
      for (var name in FIELDS)
        if (h.fields[name] === exact.length) {
          h.exact = name;
          h.score += FIELDS[name] * Math.max(total, 1);
          break;
        }
    if (h.score > 0) scored.push(h);
  });
  if (subject) scored.forEach(function (h) { if (manifest.sides[h.doc] === subject) h.score *= SUBJECT; });
  if (describing) persons.forEach(function (group) {
    var signal = null;
    for (var i = 1; i < group.length; i++) {
      var h = hits.get(group[i]);
      if (h && h.score > 0 && (!signal || h.score > signal.score)) signal = h;
    }
    var type = hits.get(group[0]);
    if (type && type.score > 0) type.score *= PERSON;
    if (!signal) return;
    if (type && type.score >= BESIDE * signal.score) return;
    if (!type || !(type.score > 0)) {  // not among the scored yet
      type = { doc: group[0], score: 0, bigrams: 0, exact: null };
      scored.push(type);
    }
    type.score = BESIDE * signal.score;
    type.bigrams = Math.max(type.bigrams, signal.bigrams);
  });
  // ties by document number, so the order does not depend on the order of the postings
  scored.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  return diversify(scored);
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

var SHOWN = 20;  // results drawn; their document shards are fetched
var latest = 0;  // the newest query: an answer to an older one that comes late is dropped

function search(query) {
  var whole = compact(query);
  if (!whole) return Promise.resolve({ items: [] });
  var tokens = queryTokens(query);
  var marked = new Map(tokens);  // what the results highlight: not the fillers (客户 in every title)
  weakFillers.forEach(function (token) { marked.delete(token); });
  var wanted = new Set(tokens.keys());
  soundOf.forEach(function (sound) { wanted.add(sound); });
  if (whole.length >= 2) wholeTokens(whole).forEach(function (token) { wanted.add(token); });
  return current().then(function () { return lookup(Array.from(wanted)); }).then(function (found) {
    var scored = rank(tokens, whole, found).slice(0, SHOWN);
    var paths = Array.from(new Set(scored.map(function (h) {
      return "docs/" + Math.floor(h.doc / manifest.per_shard) + ".json";
    })));
    return Promise.all(paths.map(load)).then(function () {
      return Promise.all(scored.map(function (h) {
        return load("docs/" + Math.floor(h.doc / manifest.per_shard) + ".json").then(function (part) {
          return part[h.doc % manifest.per_shard];
        });
      }));
    }).then(function (shown) {
      var best = scored.length ? scored[0].score : 1;
      // No good match: the best result holds less than half of the query's bigrams (characters found
      // alone do not make a match good), and does not hold it as typed. The page (kb.js) then shows what
      // is closest and how to search differently.
      var weak = scored.length && scored[0].bigrams < WEAK && !scored[0].exact;
      return {
        items: scored.map(function (h, i) {
          var doc = shown[i];  // [location, kind, title, teaser]
          // The title carries the kind and the teaser: Material shows only the title of a result
          // whose address has an #anchor, and anchored entries are most of ours.
          var title = (weak ? "<span class=\"kb-weak-match\" hidden></span>" : "")
            + "<span class=\"kb-result-kind\">" + escapeHtml(doc[1]) + "</span> "
            + "<span class=\"kb-result-title\">" + highlight(doc[2], marked) + "</span>"
            + (doc[3] ? "<span class=\"kb-result-teaser\">" + highlight(doc[3], marked) + "</span>" : "");
          var terms = {};
          terms[whole] = true;
          return [{ location: doc[0], title: title, text: "", score: h.score / best * 100, terms: terms }];
        })
      };
    });
  });
}

/* The manifest's settings (``options``: its kb part), from SETUP or read again (``reread``). */
function configure(options) {
  manifest = options;
  shards = new Map();
  strip = options.strip !== false;
  FIELDS = Object.assign({}, DEFAULT_FIELDS, options.weights || {});
  LENGTH_B = options.length_b === undefined ? DEFAULT_LENGTH_B : options.length_b;
  CHAR_COVER = options.char_cover !== false;
  CHAR_ALONE = options.char_alone === undefined ? DEFAULT_CHAR_ALONE : options.char_alone;
  BODY_COVER = options.body_cover === undefined ? DEFAULT_BODY_COVER : options.body_cover;
  SKIP = options.skip === undefined ? DEFAULT_SKIP : options.skip;
  COVER_POWER = options.cover_power === undefined ? DEFAULT_COVER_POWER : options.cover_power;
  ALONE = options.alone === undefined ? DEFAULT_ALONE : options.alone;
  FILLER = options.filler === undefined ? DEFAULT_FILLER : options.filler;
  NEGATION = options.negation === undefined ? DEFAULT_NEGATION : options.negation;
  BUT = options.but === undefined ? DEFAULT_BUT : options.but;
  SUBJECT = options.subject === undefined ? DEFAULT_SUBJECT : options.subject;
  DONE = options.done === undefined ? DEFAULT_DONE : options.done;
  PERSON = options.person === undefined ? DEFAULT_PERSON : options.person;
  persons = options.persons || [];
  COMPANION = options.companion === undefined ? DEFAULT_COMPANION : options.companion;
  companions = new Map();
  (options.companions || []).forEach(function (group) {
    group.slice(1).forEach(function (doc) {
      [[group[0], doc], [doc, group[0]]].forEach(function (pair) {
        if (!companions.has(pair[0])) companions.set(pair[0], new Set());
        companions.get(pair[0]).add(pair[1]);
      });
    });
  });
  syllable = new Map();
  Object.keys(options.pinyin || {}).forEach(function (sound) {
    for (var c of options.pinyin[sound]) syllable.set(c, sound);
  });
}

addEventListener("message", function (event) {
  var message = event.data;
  switch (message.type) {
    case SETUP:
      base = new URL("../../search/", location.href);  // this file is assets/javascripts/kb-search-worker.js
      configure((message.data.config && message.data.config.kb) || {});
      postMessage({ type: READY });
      break;
    case QUERY:
      var mine = ++latest;
      search(message.data).then(function (result) {
        if (mine === latest) postMessage({ type: RESULT, data: result });
      }, function (error) {
        // a shard that cannot be fetched (server gone, a rebuild under way): the last results stay and the
        // next keystroke tries again (load forgets the failed request)
        console.error("search: " + error.message);
      });
      break;
    default:
      throw new TypeError("Invalid message type");
  }
});
