/*
 * The part of jQuery UI's tabs that modeltranslation's tabbed admin uses, served from
 * this site (no CDN, nothing third-party): $(el).tabs({active: n}),
 * $(el).tabs("option", "active", n) and the "tabsactivate" event.
 * Accessible: WAI-ARIA tabs with arrow-key, Home and End navigation.
 * Without JavaScript the admin simply shows every language's field with its label.
 */
(function ($) {
  "use strict";

  // modeltranslation names tabs by field suffix; Indonesian fields end in _ind.
  var NAMES = { en: "English", es: "Español", ind: "Bahasa Indonesia" };

  function parts($container) {
    var $items = $container.children("ul").first().children("li");
    var panels = $items.map(function () {
      var href = $(this).children("a").attr("href") || "";
      return document.getElementById(href.slice(1));
    });
    return { items: $items, panels: panels };
  }

  function activate($container, index, focus) {
    var p = parts($container);
    if (!p.items.length) {
      return;
    }
    index = Math.max(0, Math.min(index || 0, p.items.length - 1));
    var previous = p.items.filter(".ui-tabs-active").index();
    p.items.each(function (i) {
      var selected = i === index;
      var $a = $(this).children("a");
      $(this).toggleClass("ui-tabs-active ui-state-active", selected);
      $a.attr({ "aria-selected": selected ? "true" : "false", tabindex: selected ? "0" : "-1" });
      if (p.panels[i]) {
        p.panels[i].hidden = !selected;
      }
    });
    if (focus) {
      p.items.eq(index).children("a").trigger("focus");
    }
    if (previous !== index) {
      $container.trigger("tabsactivate", [{ newTab: p.items.eq(index),
                                            oldTab: p.items.eq(previous) }]);
    }
  }

  function setup($container, options) {
    var p = parts($container);
    $container.addClass("ui-tabs");
    $container.children("ul").first().addClass("ui-tabs-nav").attr("role", "tablist");
    p.items.each(function (i) {
      var $a = $(this).children("a");
      var panel = p.panels[i];
      var tabId = (panel ? panel.id : "tab-" + i) + "-label";
      $(this).attr("role", "presentation");
      if (NAMES[$a.text()]) {
        $a.attr("lang", $a.text() === "ind" ? "id" : $a.text()).text(NAMES[$a.text()]);
      }
      $a.attr({ role: "tab", id: tabId, "aria-controls": panel ? panel.id : null });
      if (panel) {
        $(panel).addClass("ui-tabs-panel").attr({ role: "tabpanel", "aria-labelledby": tabId });
      }
      $a.on("click", function (event) {
        event.preventDefault();
        activate($container, i, true);
      });
      $a.on("keydown", function (event) {
        var last = p.items.length - 1;
        var target = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: last }[event.key];
        if (target === undefined) {
          return;
        }
        event.preventDefault();
        activate($container, target > last ? 0 : target < 0 ? last : target, true);
      });
    });
    activate($container, options.active, false);
  }

  $.fn.tabs = function (options, name, value) {
    if (options === "option") {
      if (name === "active") {
        this.each(function () { activate($(this), value, false); });
      }
      return this;
    }
    return this.each(function () { setup($(this), options || {}); });
  };

  // The language switch that modeltranslation adds next to the page title has no label.
  // Django's SelectFilter2 puts aria-label on a bare <span> (the filter box's magnifier icon,
  // the only content of the filter's <label>); role="img" makes that label valid ARIA.
  // Both are built by other scripts, in document-ready (which jQuery 3 may run after "load")
  // and "load" handlers, so wait until those have all run.
  $(window).on("load", function () {
    window.setTimeout(function () {
      $("#modeltranslation-main-switch").attr("aria-label",
        window.gettext ? window.gettext("Language of the fields") : "Language of the fields");
      $(".selector .search-label-icon[aria-label]:not([role])").attr("role", "img");
    }, 0);
  });
})(django.jQuery);
