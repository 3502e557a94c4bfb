/* The site's search: the header's button opens a modal dialog that queries Pagefind's index
   (pagefind/, written after each build by generator/site/search.py).

   Nothing is loaded until the dialog first opens; then Pagefind's script, its WebAssembly and the
   index's metadata, and for each query only the index chunk(s) holding its words and one small
   fragment per result shown, ten at a time.

   The results are in the order `ranked` says: names first, then the news newest first within a band of
   scores, and the guide pages only when nothing else matches.

   A result shows its title, what it is and its date (a briefing and its day; a person, an organization or a
   story, whose page Pagefind indexes by name and roles only, and the day of its latest briefing), the briefing's summary where the index holds one
   (meta "summary"), and the words around the matches, those matched in <mark>.

   Every text shown comes from the index as text: titles, dates, summaries and excerpts are set as text
   nodes (and <mark> elements around the matched words), never parsed as HTML; so is the query in the
   message for no results. */
(function () {
  "use strict";

  var PAGE = 10;
  var EXCERPT = 30;
  var DELAY = 120;

  var dialog = document.getElementById("bf-search");
  var opener = document.querySelector(".bf-search-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;

  var input = dialog.querySelector(".bf-search__input");
  var status = dialog.querySelector(".bf-search__status");
  var list = dialog.querySelector(".bf-search__results");
  var more = dialog.querySelector(".bf-search__more");
  var close = dialog.querySelector(".bf-search__close");
  var form = dialog.querySelector(".bf-search__form");
  var bundle = new URL(dialog.getAttribute("data-bundle") || "pagefind/", document.baseURI);

  var pagefind = null; // the promise of Pagefind's module, once the dialog has opened
  var timer = 0;
  var asked = 0; // counts queries: a result that comes back for an older one is dropped
  var pending = []; // results not shown yet
  var idle = "Type to start searching";

  opener.hidden = false;

  function load() {
    if (!pagefind) {
      // Result addresses are relative to the site's root, wherever the site is published. A person's,
      // organization's or story's page holds its name in meta "name" (generator/site/search.py): a match there
      // weighs twice a match in a title, so that a name finds its page before the briefings naming it.
      var settings = {
        baseUrl: new URL("../", bundle).pathname,
        excerptLength: EXCERPT,
        ranking: { metaWeights: { title: 5, name: 10 } },
      };
      // A large site's index is in shards (generator/site/search.py): the first is this bundle, which lists the others.
      var shards = fetch(new URL("shards.json", bundle).href)
        .then(function (response) {
          return response.ok ? response.json() : { merge: [] };
        })
        .catch(function () {
          return { merge: [] };
        });
      pagefind = import(new URL("pagefind.js", bundle).href).then(function (module) {
        return module.options(settings).then(function () {
          module.init();
          return shards.then(function (list) {
            return Promise.all(
              (list.merge || []).map(function (path) {
                return module.mergeIndex(new URL(path, bundle).href, settings);
              })
            ).then(function () {
              return module;
            });
          });
        });
      });
      pagefind.catch(function () {
        pagefind = null;
      });
    }
    return pagefind;
  }

  /* The order of the results, a rule of our own over Pagefind's scores (which are relative, and whose `sort`
     replaces relevance outright):
     1. the pages of people, organizations, countries, groups and stories that score at least as well as the
        best briefing: a name finds its page first, a word of a role does not;
     2. the briefings that score at least BAND times the best briefing's score, newest first;
     3. the other briefings, then the other names, by score;
     4. the guide pages only when nothing above matched.
     A briefing is a page with a date to sort by (data-pagefind-sort, which only briefing pages carry: a
     search sorted by it returns them alone); of the other pages, the first OTHERS are told apart by their
     meta (a name's page has meta "name"), so a query loads at most OTHERS fragments more than it shows. */
  var BAND = 0.5;
  var OTHERS = 10;

  function ranked(module, words) {
    return Promise.all([module.search(words), module.search(words, { sort: { date: "desc" } })]).then(function (found) {
      var all = found[0].results;
      var newest = found[1].results;
      var score = {};
      all.forEach(function (result) {
        score[result.id] = result.score;
      });
      var dated = {};
      newest.forEach(function (result) {
        dated[result.id] = true;
      });
      var news = all.filter(function (result) {
        return dated[result.id];
      });
      var others = all.filter(function (result) {
        return !dated[result.id];
      });
      var looked = others.slice(0, OTHERS);
      return Promise.all(
        looked.map(function (result) {
          return result.data();
        })
      ).then(function (datas) {
        var names = [];
        var guides = [];
        looked.forEach(function (result, i) {
          (datas[i].meta && datas[i].meta.name ? names : guides).push(result);
        });
        var best = news.length ? news[0].score : 0;
        var seen = {};
        var out = [];
        function take(result) {
          if (!seen[result.id]) {
            seen[result.id] = true;
            out.push(result);
          }
        }
        names.forEach(function (result) {
          if (result.score >= best) take(result);
        });
        newest.forEach(function (result) {
          if (score[result.id] >= BAND * best) take(result);
        });
        news.forEach(take);
        names.forEach(take);
        if (out.length) return out;
        guides.forEach(take);
        others.forEach(take);
        return out;
      });
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function count(n, words) {
    if (n === 0) return "No briefing matches \u201C" + words + "\u201D: try a person\u2019s name, a place or a topic.";
    return n === 1 ? "1 result" : n.toLocaleString("en") + " results";
  }

  /* The excerpt: the words around the densest matches, as Pagefind picks them, with the matched words
     in <mark>. It is made from the page's text as indexed (data.content), as text nodes: Pagefind's own
     `excerpt` is HTML in which only < and > are escaped, so "&lt;" written in a briefing and "<" would
     read alike there. */
  function words(data) {
    var text = data.content || "";
    var raw = data.raw_content || text;
    if (raw.indexOf("\u200B") === -1) return text.split(/[\r\n\s]+/g);
    // Text Pagefind split with zero-width spaces (Chinese, Japanese): its words are those of raw_content,
    // which is the text with < and > escaped; walk both to take each word from the text itself.
    var out = [];
    var at = 0;
    raw.split("\u200B").forEach(function (word) {
      var length = 0;
      for (var i = 0; i < word.length; length++) {
        var escaped = (text[at + length] === "<" && word.startsWith("&lt;", i)) || (text[at + length] === ">" && word.startsWith("&gt;", i));
        i += escaped ? 4 : 1;
      }
      out.push(text.slice(at, at + length));
      at += length;
    });
    return out;
  }

  // Where Pagefind's own excerpt starts, computed as Pagefind's calculate_excerpt_region does: about
  // where the window of `length` words with the highest sum of the matches' scores starts.
  function region(locations, length) {
    var scores = [];
    locations.forEach(function (word) {
      scores[word.location] = (scores[word.location] || 0) + (word.balanced_score || word.weight || 1);
    });
    if (scores.length <= length) return 0;
    var sum = 0;
    for (var i = 0; i < length; i++) sum += scores[i] || 0;
    var best = sum;
    var bestAt = [0];
    for (var j = 0; j < scores.length; j++) {
      sum += (scores[j + length] || 0) - (scores[j] || 0);
      if (sum > best) {
        best = sum;
        bestAt = [j];
      } else if (sum === best && bestAt[bestAt.length - 1] === j - 1) {
        bestAt.push(j);
      }
    }
    return bestAt[Math.floor(bestAt.length / 2)];
  }

  function excerpt(data) {
    var all = words(data);
    var start = Math.max(0, Math.min(region(data.weighted_locations || [], EXCERPT), all.length - EXCERPT));
    var marked = {};
    (data.locations || []).forEach(function (at) {
      marked[at] = true;
    });
    var joiner = all.length && (data.raw_content || "").indexOf("\u200B") !== -1 ? "" : " ";
    var out = document.createDocumentFragment();
    if (start > 0) out.appendChild(document.createTextNode("… "));
    all.slice(start, start + EXCERPT).forEach(function (word, i) {
      if (i > 0 && joiner) out.appendChild(document.createTextNode(joiner));
      if (marked[start + i]) {
        var mark = document.createElement("mark");
        mark.textContent = word;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(word));
      }
    });
    if (start + EXCERPT < all.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  function item(data) {
    var meta = data.meta || {};
    var li = document.createElement("li");
    li.className = "bf-search__item";
    var a = document.createElement("a");
    a.className = "bf-search__link";
    a.href = data.url;
    var title = document.createElement("span");
    title.className = "bf-search__title";
    title.textContent = meta.title || data.url;
    a.appendChild(title);
    // "Briefing · 25 August 2024", "Person · In 3 briefings", "Story · 2 briefings · 25 August 2024 to ...".
    var about = [meta.kind || "Briefing", meta.about, meta.date].filter(Boolean).join(" · ");
    var line = document.createElement("span");
    line.className = "bf-search__meta";
    line.textContent = about;
    a.appendChild(line);
    if (meta.summary) {
      var summary = document.createElement("span");
      summary.className = "bf-search__summary";
      summary.textContent = meta.summary;
      a.appendChild(summary);
    }
    var text = document.createElement("span");
    text.className = "bf-search__excerpt";
    text.appendChild(excerpt(data));
    a.appendChild(text);
    li.appendChild(a);
    return li;
  }

  function showMore(query) {
    var next = pending.splice(0, PAGE);
    more.hidden = true;
    return Promise.all(
      next.map(function (result) {
        return result.data();
      })
    ).then(function (datas) {
      if (query !== asked) return;
      datas.forEach(function (data) {
        list.appendChild(item(data));
      });
      more.hidden = pending.length === 0;
    });
  }

  // aria-busy: true from a keystroke until its results are shown.
  function busy(on) {
    list.setAttribute("aria-busy", on ? "true" : "false");
  }

  function run() {
    var words = input.value.trim();
    var query = ++asked;
    if (!words) {
      pending = [];
      list.replaceChildren();
      more.hidden = true;
      say(idle);
      busy(false);
      return;
    }
    load()
      .then(function (module) {
        return ranked(module, words);
      })
      .then(function (results) {
        if (query !== asked) return;
        pending = results;
        list.replaceChildren();
        say(count(pending.length, words));
        return showMore(query);
      })
      .catch(function () {
        if (query === asked) say("Search is not available: the site's search index is missing.");
      })
      .then(function () {
        if (query === asked) busy(false);
      });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".bf-search__link"));
  }

  function place() {
    // On a wide screen the dialog opens over the header's search box, as Material's does.
    var box = opener.getBoundingClientRect();
    dialog.style.setProperty("--bf-search-top", box.top + "px");
    dialog.style.setProperty("--bf-search-right", document.documentElement.clientWidth - box.right + "px");
  }

  var returnTo = null;

  function open() {
    if (dialog.open) return;
    returnTo = document.activeElement;
    place();
    dialog.showModal();
    document.documentElement.classList.add("bf-search-active");
    input.focus();
    input.select();
    load();
  }

  opener.addEventListener("click", open);
  close.addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("close", function () {
    document.documentElement.classList.remove("bf-search-active");
    // Focus goes back where it was, or to the search button when search was opened from the keyboard.
    var back = returnTo && returnTo !== document.body && document.contains(returnTo) ? returnTo : opener;
    back.focus({ preventScroll: true });
  });
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    busy(true);
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", function () {
    busy(true);
    clearTimeout(timer);
    timer = setTimeout(run, DELAY);
  });
  more.addEventListener("click", function () {
    var first = links().length;
    showMore(asked).then(function () {
      var next = links()[first];
      if (next) next.focus();
    });
  });
  list.addEventListener("click", function (event) {
    // A result on this very page (another anchor of it) does not reload it: close the dialog.
    if (event.target.closest && event.target.closest("a")) dialog.close();
  });

  // Arrow keys move between the search box and the results; Escape closes (the dialog's own).
  dialog.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var to;
    if (event.key === "ArrowDown") to = at === -1 ? 0 : Math.min(at + 1, all.length - 1);
    else to = at <= 0 ? -1 : at - 1;
    event.preventDefault();
    if (to === -1) input.focus();
    else all[to].focus();
  });

  // "/", "s" or "f" anywhere but in a field opens search, as with Material's.
  document.addEventListener("keydown", function (event) {
    if (dialog.open || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key !== "/" && event.key !== "s" && event.key !== "f") return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    open();
  });
})();
