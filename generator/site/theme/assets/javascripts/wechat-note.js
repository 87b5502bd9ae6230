// WeChat's in-app browser (its user agent says "MicroMessenger") neither downloads files
// (.docx, .xlsx, .pdf, .csv, .ics, .json) nor prints: a page that offers either says so, once,
// above the first place it offers it, with how to open the page in the phone's browser.
// Elsewhere nothing changes. The text is one definition: the calculator's print and export
// buttons show the note this script placed (main.js, `[data-ce-wechat]`).
(function () {
  "use strict";

  var TEXT =
    "您正在微信内浏览：微信内置浏览器不能下载文件（报名表、日历、导出的文件等），也不能打印。" +
    "请点右上角“···”，选择“在浏览器打开”（iPhone 为“在 Safari 中打开”），再下载或打印。";
  var FILES = /\.(docx|xlsx|pdf|csv|ics|json|txt)$/i;

  if (!/MicroMessenger/i.test(navigator.userAgent)) return;
  document.documentElement.classList.add("ce-in-wechat");

  function block(node) {
    // The paragraph, list or table that holds the link: the note goes before it.
    return node.closest("p, ul, ol, table, .ce-table-wrap, .ce-buttons, [data-ce-wechat]") || node;
  }

  function place() {
    var content = document.querySelector(".md-content article") || document.body;
    if (content.querySelector(".ce-wechat-note")) return;
    var first = content.querySelector("[data-ce-wechat]");
    if (!first) {
      var links = content.querySelectorAll("a[href]");
      for (var i = 0; i < links.length && !first; i++) {
        var path = links[i].getAttribute("href").split(/[?#]/)[0];
        if (FILES.test(path) || links[i].hasAttribute("download")) first = links[i];
      }
    }
    if (!first) return;
    var note = document.createElement("p");
    note.className = "ce-wechat-note";
    note.setAttribute("role", "note");
    note.textContent = TEXT;
    var where = block(first);
    where.parentNode.insertBefore(note, where);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", place);
  else place();
})();
