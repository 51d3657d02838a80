// Keeps the status of documents still being processed up to date without reloading.
// Only an improvement: without it, the panel's "Refresh status" link reloads the page.
(() => {
  "use strict";
  const UNFINISHED = ["pending", "extracting"];
  const INTERVAL_MS = 5000;
  // About ten minutes; a longer extraction is shown on the next visit or refresh.
  const MAX_POLLS = 120;

  const showError = (status, error) => {
    const paragraph = document.createElement("p");
    paragraph.className = "error";
    paragraph.textContent = error;
    status.after(paragraph);
  };

  const watch = (status) => {
    let polls = 0;
    const poll = async () => {
      polls += 1;
      try {
        const response = await fetch(status.dataset.statusUrl, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const state = await response.json();
        status.textContent = state.processing_display;
        status.dataset.processing = state.processing;
        if (state.error) showError(status, state.error);
        if (UNFINISHED.includes(state.processing) && polls < MAX_POLLS) {
          setTimeout(poll, INTERVAL_MS);
        }
      } catch {
        // A network hiccup: stop quietly; the refresh link still works.
      }
    };
    setTimeout(poll, INTERVAL_MS);
  };

  document.querySelectorAll(".document-status[data-status-url]").forEach((status) => {
    if (UNFINISHED.includes(status.dataset.processing)) watch(status);
  });
})();
