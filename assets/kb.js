/*
 * RefNum — knowledge base suggestions while a ticket's title is typed.
 *
 * Enhances any form carrying `data-kb-url` (the suggestions route of its
 * school): typing in its title field (`data-kb-source` names it, else the
 * field named "title") fetches, 250 ms after the last key and from three
 * characters on, an HTML fragment of the articles that may help, into
 * `#kb-suggestions` (an `aria-live="polite"` region, so it is announced).
 *
 * The suggestions open in the same tab; what was typed in the form is kept
 * in the tab's session storage when one is followed and put back when the
 * form is shown again, unless the fields were filled meanwhile.
 * Without JavaScript nothing changes: the form works as it is.
 */
(function () {
  "use strict";

  var DELAY = 250;
  var MIN_LENGTH = 3;
  var DRAFT_PREFIX = "refnum-kb-draft:";
  // A draft older than this is forgotten (the article answered, probably).
  var DRAFT_MAX_AGE_MS = 30 * 60 * 1000;

  function draftKey(form) {
    return DRAFT_PREFIX + (form.getAttribute("action") || window.location.pathname);
  }

  // Fields worth keeping: what a person typed or chose, never a token.
  function keptFields(form) {
    var out = [];
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (!el.name || el.disabled || el.name === "csrf_token") {
        continue;
      }
      var type = (el.type || "").toLowerCase();
      if (type === "hidden" || type === "password" || type === "file" ||
          type === "submit" || type === "button" || type === "reset") {
        continue;
      }
      out.push(el);
    }
    return out;
  }

  function saveDraft(form) {
    var data = { "": Date.now() };
    keptFields(form).forEach(function (el, i) {
      var type = (el.type || "").toLowerCase();
      var key = el.name + "#" + i;
      data[key] = (type === "checkbox" || type === "radio") ? el.checked : el.value;
    });
    try {
      window.sessionStorage.setItem(draftKey(form), JSON.stringify(data));
    } catch (e) {
      /* storage full or disabled: the draft is simply not kept */
    }
  }

  // The option a select shows when the page is loaded: the one marked
  // `selected`, else the first (a single-choice select).
  function defaultIndex(select) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].defaultSelected) {
        return i;
      }
    }
    return select.multiple ? -1 : 0;
  }

  function isPristine(form) {
    return keptFields(form).every(function (el) {
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        return el.checked === el.defaultChecked;
      }
      if (el.tagName === "SELECT") {
        return el.selectedIndex === defaultIndex(el);
      }
      return el.value === el.defaultValue;
    });
  }

  function restoreDraft(form) {
    var raw = null;
    try {
      raw = window.sessionStorage.getItem(draftKey(form));
      window.sessionStorage.removeItem(draftKey(form));
    } catch (e) {
      return false;
    }
    if (!raw || !isPristine(form)) {
      return false;
    }
    var data;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return false;
    }
    if (!data || typeof data[""] !== "number" || Date.now() - data[""] > DRAFT_MAX_AGE_MS) {
      return false;
    }
    keptFields(form).forEach(function (el, i) {
      var key = el.name + "#" + i;
      if (!Object.prototype.hasOwnProperty.call(data, key)) {
        return;
      }
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        el.checked = !!data[key];
      } else {
        el.value = String(data[key]);
      }
    });
    return true;
  }

  function enhance(form) {
    var url = form.getAttribute("data-kb-url");
    var sourceName = form.getAttribute("data-kb-source") || "title";
    var source = form.elements.namedItem(sourceName);
    var target = document.getElementById("kb-suggestions");
    if (!url || !source || !target || typeof window.fetch !== "function") {
      return;
    }
    if (!target.hasAttribute("aria-live")) {
      target.setAttribute("aria-live", "polite");
    }

    var timer = null;
    var controller = null;
    var lastQuery = null;

    function clear() {
      lastQuery = null;
      target.innerHTML = "";
    }

    function load(query) {
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      window.fetch(url + sep + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("suggestions: " + response.status);
        }
        return response.text();
      }).then(function (html) {
        // Only the answer to what is typed now.
        if (query === lastQuery) {
          // Our own server's fragment, escaped by its templates.
          target.innerHTML = html;
        }
      }).catch(function () {
        /* aborted or unavailable: the form works without suggestions */
      });
    }

    function onInput() {
      window.clearTimeout(timer);
      var query = source.value.trim();
      if (query.length < MIN_LENGTH) {
        if (controller) {
          controller.abort();
        }
        clear();
        return;
      }
      timer = window.setTimeout(function () {
        load(query);
      }, DELAY);
    }

    source.addEventListener("input", onInput);

    // Following a suggestion keeps what was typed for the way back.
    target.addEventListener("click", function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (link && target.contains(link)) {
        saveDraft(form);
      }
    });

    if (restoreDraft(form) && source.value.trim().length >= MIN_LENGTH) {
      load(source.value.trim());
    }
  }

  function init() {
    var forms = document.querySelectorAll("form[data-kb-url]");
    for (var i = 0; i < forms.length; i++) {
      enhance(forms[i]);
    }
  }

  init();

  // Back from an article: a page restored from the back-forward cache kept
  // its fields; a reloaded one gets its draft back from `init`.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    var forms = document.querySelectorAll("form[data-kb-url]");
    for (var i = 0; i < forms.length; i++) {
      try {
        window.sessionStorage.removeItem(draftKey(forms[i]));
      } catch (e) {
        /* nothing to clean */
      }
    }
  });
})();
