/*
 * RefNum — progressive enhancement.
 *
 * Every feature here is optional: all forms work without JavaScript.
 * Loaded with `defer` (no inline scripts: CSP script-src 'self'), so the
 * DOM is parsed when this runs.
 */
(function () {
  "use strict";

  var root = document.documentElement;

  /* ---------------------------------------------------------------------
     Live region for short announcements ("Copié", ...)
     --------------------------------------------------------------------- */
  var liveRegion = null;

  // Created at start-up: screen readers may miss a region that is inserted
  // and filled at the same moment.
  function createLiveRegion() {
    liveRegion = document.createElement("div");
    liveRegion.className = "live-region";
    liveRegion.setAttribute("role", "status");
    liveRegion.setAttribute("aria-live", "polite");
    liveRegion.setAttribute("aria-atomic", "true");
    document.body.appendChild(liveRegion);
  }

  function announce(message) {
    if (!liveRegion) {
      createLiveRegion();
    }
    // Clear first so that the same message twice is announced twice.
    liveRegion.textContent = "";
    window.setTimeout(function () {
      liveRegion.textContent = message;
    }, 100);
  }

  function isFrench() {
    return (root.getAttribute("lang") || "fr").toLowerCase().indexOf("fr") === 0;
  }

  /* ---------------------------------------------------------------------
     School switcher: deliberately not enhanced. Submitting it on "change"
     would move to the home page of another school while a keyboard user
     is still going through the options with the arrow keys (a change of
     context on input, WCAG 3.2.2 / RGAA 7.4): its "Changer" button stays.
     --------------------------------------------------------------------- */

  /* ---------------------------------------------------------------------
     Display settings: live preview of theme / font / spacing / size.
     The form still has to be submitted to save the choice.
     --------------------------------------------------------------------- */
  var PREVIEW_ATTRIBUTES = {
    theme: "data-theme",
    font: "data-font",
    spacing: "data-spacing",
    size: "data-size"
  };

  function initDisplaySettings() {
    var form = document.getElementById("display-settings");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (!input || input.type !== "radio" || !input.checked) {
        return;
      }
      var attribute = PREVIEW_ATTRIBUTES[input.name];
      if (attribute) {
        root.setAttribute(attribute, input.value);
      }
    });
  }

  /* ---------------------------------------------------------------------
     Error summary: move focus to it so it is read first.
     --------------------------------------------------------------------- */
  function initErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }

  /* ---------------------------------------------------------------------
     Copy buttons: <button data-copy="ID"> copies the text of #ID.
     Optional data-copy-done / data-copy-failed give localised messages.
     --------------------------------------------------------------------- */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for non-secure contexts (e.g. plain HTTP on a school LAN).
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "live-region";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  function initCopyButtons() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-copy]") : null;
      if (!button) {
        return;
      }
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) {
        return;
      }
      event.preventDefault();
      var text = "value" in source && typeof source.value === "string"
        ? source.value
        : source.textContent;
      copyText(text.trim()).then(
        function () {
          announce(button.getAttribute("data-copy-done") ||
            (isFrench() ? "Copié" : "Copied"));
        },
        function () {
          announce(button.getAttribute("data-copy-failed") ||
            (isFrench()
              ? "La copie a échoué : sélectionnez le texte et copiez-le manuellement."
              : "Copy failed: select the text and copy it manually."));
        }
      );
    });
  }

  /* ---------------------------------------------------------------------
     Confirmation: <form data-confirm="message"> asks before submitting.
     --------------------------------------------------------------------- */
  function initConfirmForms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-confirm")) {
        return;
      }
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }

  /* ---------------------------------------------------------------------
     Upload progress: <form data-upload-progress> sends its files with
     XMLHttpRequest to show a progress bar, then follows the server's
     answer (the preview page, or the form with its errors). Without
     script, the form posts normally.
     --------------------------------------------------------------------- */
  function initUploadProgress() {
    var forms = document.querySelectorAll("form[data-upload-progress]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.FormData || !window.XMLHttpRequest) {
          return;
        }
        event.preventDefault();
        var box = form.querySelector(".upload-progress");
        var bar = box && box.querySelector("progress");
        var status = box && box.querySelector(".upload-status");
        var button = form.querySelector("button[type=submit]");
        if (box) {
          box.hidden = false;
        }
        if (button) {
          button.disabled = true;
        }
        if (status) {
          status.textContent = box.getAttribute("data-sending") || "";
        }
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable && bar) {
            bar.value = Math.round((e.loaded / e.total) * 100);
          }
        });
        xhr.upload.addEventListener("load", function () {
          if (bar) {
            bar.value = 100;
          }
          if (status) {
            status.textContent = box.getAttribute("data-processing") || "";
          }
        });
        xhr.addEventListener("load", function () {
          if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) {
            window.location.assign(xhr.responseURL);
            return;
          }
          // An error page or the form with its errors: show it as is.
          document.open();
          document.write(xhr.responseText);
          document.close();
        });
        xhr.addEventListener("error", function () {
          if (button) {
            button.disabled = false;
          }
          if (status) {
            status.textContent = "";
          }
          form.submit();
        });
        xhr.send(new FormData(form));
      });
    });
  }

  /* ---------------------------------------------------------------------
     Look-ups as one types (the loan form). Without JavaScript the fields
     are a plain text input and the full list of borrowers.
     --------------------------------------------------------------------- */

  // Lower case, accents removed: "Élodie" is found by "elodie".
  function fold(text) {
    var t = (text || "").toLowerCase();
    return t.normalize ? t.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : t;
  }

  // An input with data-suggest="URL" and a <datalist>: the list is filled
  // from URL?q=… (JSON [{value, label}]) as one types.
  function initSuggestions() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    Array.prototype.forEach.call(inputs, function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      if (!list || !window.fetch) {
        return;
      }
      var timer = null;
      var asked = "";
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var typed = input.value.trim();
          if (typed === "" || typed === asked) {
            return;
          }
          asked = typed;
          var url = input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed);
          window
            .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (r) {
              return r.ok ? r.json() : [];
            })
            .then(function (items) {
              if (typed !== asked) {
                return;
              }
              while (list.firstChild) {
                list.removeChild(list.firstChild);
              }
              items.forEach(function (item) {
                var option = document.createElement("option");
                option.value = item.value;
                option.label = item.label;
                option.textContent = item.label;
                list.appendChild(option);
              });
            })
            .catch(function () {});
        }, 150);
      });
    });
  }

  // A block with data-select-filter="ID" (hidden in the page): shown, its
  // search box keeps in the <select id=ID> only the options that hold
  // every typed word; the count is announced.
  function initSelectFilters() {
    var blocks = document.querySelectorAll("[data-select-filter]");
    Array.prototype.forEach.call(blocks, function (block) {
      var select = document.getElementById(block.getAttribute("data-select-filter"));
      var input = block.querySelector("input");
      var count = block.querySelector("[data-filter-count]");
      if (!select || !input) {
        return;
      }
      block.hidden = false;
      var options = Array.prototype.filter.call(select.options, function (o) {
        return o.value !== "";
      });
      var folded = options.map(function (o) {
        return fold(o.textContent);
      });
      var timer = null;
      function apply() {
        var words = fold(input.value).split(/\s+/).filter(Boolean);
        var first = null;
        var n = 0;
        options.forEach(function (o, i) {
          var keep = words.every(function (w) {
            return folded[i].indexOf(w) !== -1;
          });
          o.hidden = !keep;
          o.disabled = !keep;
          if (keep) {
            n += 1;
            first = first || o;
          }
        });
        var selected = select.options[select.selectedIndex];
        if (words.length && first && (!selected || selected.hidden || selected.value === "")) {
          select.value = first.value;
        }
        if (count) {
          count.textContent = !words.length
            ? ""
            : n === 0
              ? count.getAttribute("data-count-none")
              : n === 1
                ? count.getAttribute("data-count-one")
                : count.getAttribute("data-count-many").replace("%n", String(n));
        }
      }
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(apply, 120);
      });
      // Enter in the search box moves to the list instead of sending the form.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          apply();
          select.focus();
        }
      });
    });
  }

  // "Ajouter un accessoire": shows the next hidden row of the form instead
  // of sending it (without JavaScript the server adds the row).
  function initAddRows() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-add-row]");
      if (!button || !button.form) {
        return;
      }
      // A form may repeat several parts: each its own group of rows.
      var scope = button.closest("[data-row-group]") || button.form;
      var rows = scope.querySelectorAll("[data-item-row]");
      var next = Array.prototype.filter.call(rows, function (r) {
        return r.hidden;
      })[0];
      if (!next) {
        return;
      }
      event.preventDefault();
      next.hidden = false;
      var shown = scope.querySelector("[data-rows]");
      if (shown) {
        shown.value = String(Array.prototype.indexOf.call(rows, next) + 1);
      }
      var field = next.querySelector("input[type=text], select");
      if (field) {
        field.focus();
      }
      if (next === rows[rows.length - 1]) {
        button.hidden = true;
      }
    });
  }

  function init() {
    createLiveRegion();
    initDisplaySettings();
    initCopyButtons();
    initConfirmForms();
    initErrorSummary();
    initUploadProgress();
    initSuggestions();
    initSelectFilters();
    initAddRows();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
