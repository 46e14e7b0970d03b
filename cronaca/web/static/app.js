// Article view: selecting an event highlights its evidence sentence and trigger and scrolls to it.
// Without JavaScript the links still work: they jump to the sentence, which :target highlights.
"use strict";

function focusEvent(eventId, sentenceId, scroll) {
  document.querySelectorAll(".is-active").forEach((el) => el.classList.remove("is-active"));
  document.querySelectorAll(".event-link[aria-current]").forEach((el) => el.removeAttribute("aria-current"));
  const sentence = document.getElementById(sentenceId);
  if (sentence) sentence.classList.add("is-active");
  document.querySelectorAll(`mark[data-events~="${CSS.escape(eventId)}"]`).forEach((el) => el.classList.add("is-active"));
  const link = document.querySelector(`.event-link[data-event="${CSS.escape(eventId)}"]`);
  if (link) {
    link.setAttribute("aria-current", "true");
    const item = link.closest(".event-item");
    item.classList.add("is-active");
    if (scroll) item.scrollIntoView({ block: "nearest" });  // within the side panel
  }
  if (sentence && scroll) sentence.scrollIntoView({ behavior: "smooth", block: "center" });
}

document.addEventListener("click", (click) => {
  const link = click.target.closest("a.event-link[data-event]");
  if (!link) return;
  click.preventDefault();
  focusEvent(link.dataset.event, link.dataset.sentence, true);
  history.replaceState(null, "", link.getAttribute("href"));  // the address keeps the selection
});

document.addEventListener("DOMContentLoaded", () => {
  const active = document.querySelector(".event-link[aria-current]");
  if (active) focusEvent(active.dataset.event, active.dataset.sentence, true);
});
