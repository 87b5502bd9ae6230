// Small DOM helpers shared by the views. User text only reaches the page through
// textContent and DOM properties, never as markup.

export const $ = (id) => document.getElementById(id);

/** An element with a class and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A copy of the first element of <template id=…>. */
export function fromTemplate(id) {
  return $(id).content.firstElementChild.cloneNode(true);
}

/** Show `text` in the message box `id` (hidden when empty); `waiting`: a note that
 * something is under way (shown plainly), not a problem. */
export function setBox(id, text, waiting = false) {
  const box = $(id);
  box.textContent = text || "";
  box.hidden = !text;
  box.classList.toggle("ce-waiting", Boolean(text) && waiting);
}

/** Say `text` to screen readers (the page's polite live region). */
export function announce(text) {
  const live = $("ce-live");
  // The same text twice in a row would not be read again.
  live.textContent = live.textContent === text ? `${text} ` : text;
}

/**
 * Ask a yes/no question in the page's <dialog id="ce-confirm">; resolves to true for
 * `yes`. Escape, or the other button, is no.
 */
export function confirmDialog(text, yes, no) {
  const dialog = $("ce-confirm");
  $("ce-confirm-text").textContent = text;
  $("ce-confirm-yes").textContent = yes;
  $("ce-confirm-no").textContent = no;
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    dialog.showModal();
    $("ce-confirm-no").focus();
  });
}
