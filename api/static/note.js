// Session note editor: autosave through the JSON API, a preview the server renders, ticked actions.
// Every change is kept in this browser (localStorage) before it is sent, and forgotten only once
// the server has saved exactly that text: a failed save loses nothing, says so, and is retried on
// the next change, on "Save now", when the browser is back online, or when the page is opened again.
// The first save creates the note with an Idempotency-Key kept with the draft, so a retried
// creation never writes the note twice.
(() => {
  "use strict";

  const form = document.getElementById("note-form");
  if (!form) return;
  const textarea = document.getElementById("note-text");
  const visibility = document.getElementById("note-visibility");
  const preview = document.getElementById("note-preview");
  const statusLine = document.getElementById("note-status");
  const noteField = document.getElementById("note-id");
  const storageKey = "note-draft:" + form.dataset.user + ":" + form.dataset.session;
  const SAVE_DELAY_MS = 1200;
  const PREVIEW_DELAY_MS = 250;

  let noteId = form.dataset.note || "";
  let saved = textarea.value + "\u0000" + visibility.value; // what the server holds
  let saving = false;
  let again = false;
  let saveTimer = 0;
  let previewTimer = 0;
  let previewSeq = 0;

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "status" + (kind ? " " + kind : "");
  }

  function randomKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function readDraft() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function current() {
    return textarea.value + "\u0000" + visibility.value;
  }

  function keep() {
    const draft = readDraft() || {};
    const stored = {
      text: textarea.value,
      visibility: visibility.value,
      noteId: noteId,
      key: draft.key || randomKey(),
    };
    try {
      localStorage.setItem(storageKey, JSON.stringify(stored));
    } catch (error) {
      // Storage full or refused: the page still holds the text, and the status says if saving fails.
    }
    return stored;
  }

  function detailOf(body, statusCode) {
    const detail = body && body.detail;
    if (typeof detail === "string") return detail;
    return "the server answered with error " + statusCode + ".";
  }

  async function save() {
    if (current() === saved) {
      try { localStorage.removeItem(storageKey); } catch (error) { /* nothing kept */ }
      return;
    }
    if (!textarea.value.trim()) {
      setStatus("Write something to save the note.");
      return;
    }
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    const draft = keep();
    const sent = current();
    const body = { text: textarea.value, visibility: visibility.value };
    let request;
    if (noteId) {
      request = fetch("/v1/notes/" + encodeURIComponent(noteId), {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } else {
      body.session_id = form.dataset.session;
      request = fetch("/v1/pairs/" + encodeURIComponent(form.dataset.pair) + "/notes", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Idempotency-Key": draft.key },
        body: JSON.stringify(body),
      });
    }
    setStatus("Saving…");
    try {
      const response = await request;
      const answer = await response.json().catch(() => null);
      if (!response.ok) {
        failed(detailOf(answer, response.status));
      } else {
        noteId = answer.id;
        noteField.value = noteId;
        form.dataset.note = noteId;
        saved = sent;
        if (current() === saved) {
          try { localStorage.removeItem(storageKey); } catch (error) { /* nothing kept */ }
        } else {
          keep();
        }
        const at = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        setStatus("Saved at " + at + ".", "ok");
      }
    } catch (error) {
      failed("the server could not be reached.");
    } finally {
      saving = false;
      if (again) {
        again = false;
        save();
      }
    }
  }

  function failed(reason) {
    setStatus(
      "Not saved: " + reason + " Your draft is kept in this browser and will be saved when you " +
        "edit it again or press Save now.",
      "error",
    );
  }

  async function renderPreview() {
    const seq = ++previewSeq;
    try {
      const response = await fetch("/v1/notes/preview", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: textarea.value }),
      });
      if (!response.ok || seq !== previewSeq) return;
      const answer = await response.json();
      // The server rendered and sanitised this HTML (markdown-it, then nh3's allow-list).
      preview.innerHTML = answer.html;
    } catch (error) {
      // The preview waits for the next change; the draft is unaffected.
    }
  }

  function changed() {
    keep();
    clearTimeout(saveTimer);
    clearTimeout(previewTimer);
    saveTimer = setTimeout(save, SAVE_DELAY_MS);
    previewTimer = setTimeout(renderPreview, PREVIEW_DELAY_MS);
  }

  textarea.addEventListener("input", changed);
  visibility.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(saveTimer);
    save();
  });
  window.addEventListener("online", () => save());
  window.addEventListener("beforeunload", (event) => {
    if (current() !== saved) event.preventDefault();
  });

  // Ticking an action writes "- [x] Owner: action" into this note (flipping the line when the
  // action was opened in it); unticking takes that back.
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const box of document.querySelectorAll("#action-list input[type=checkbox]")) {
    box.addEventListener("change", () => {
      const owner = box.dataset.owner;
      const action = box.dataset.action;
      const line = (mark) =>
        new RegExp("^(\\s*[-*]\\s+)\\[" + mark + "\\](\\s+" + escape(owner) + "\\s*:\\s*" + escape(action) + ".*)$", "m");
      let text = textarea.value;
      if (box.checked) {
        if (box.dataset.openedHere === "true" && line(" ").test(text)) {
          text = text.replace(line(" "), "$1[x]$2");
        } else {
          text = text.replace(/\s*$/, "") + (text.trim() ? "\n" : "") + "- [x] " + owner + ": " + action + "\n";
        }
      } else if (box.dataset.openedHere === "true") {
        text = text.replace(line("[xX]"), "$1[ ]$2");
      } else {
        text = text.replace(new RegExp(line("[xX]").source + "\\n?", "m"), "");
      }
      textarea.value = text;
      changed();
    });
  }

  // A draft this browser kept that the server does not have yet: put it back and save it.
  const draft = readDraft();
  if (draft && (draft.text !== textarea.value || draft.visibility !== visibility.value)) {
    if (!noteId && draft.noteId) noteId = draft.noteId;
    textarea.value = draft.text;
    if (draft.visibility) visibility.value = draft.visibility;
    setStatus("Restored the draft this browser kept (it had not been saved); saving it now.");
    renderPreview();
    save();
  }
})();
