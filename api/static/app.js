// Small behaviours shared by the pages: the print button and the guideline upload form.
(() => {
  "use strict";

  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }

  const upload = document.getElementById("upload-form");
  if (!upload) return;
  const files = document.getElementById("upload-files");
  const statusLine = document.getElementById("upload-status");
  const submit = upload.querySelector("button[type=submit]");

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "status" + (kind ? " " + kind : "");
  }

  function detailOf(body, statusCode) {
    const detail = body && body.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail) && detail.length) return detail.map((d) => d.msg || String(d)).join("; ");
    if (statusCode === 413) return "The upload is too large.";
    return "The upload failed (error " + statusCode + "). Nothing was changed.";
  }

  const encodePath = (path) => path.split("/").map(encodeURIComponent).join("/");

  function cell(content) {
    const td = document.createElement("td");
    td.append(content);
    return td;
  }

  async function refreshLibrary() {
    const response = await fetch("/v1/knowledge", { credentials: "same-origin" });
    if (!response.ok) return;
    const documents = await response.json();
    const rows = document.getElementById("library-rows");
    rows.replaceChildren();
    for (const d of documents) {
      const link = document.createElement("a");
      link.href = "/guidelines/" + encodePath(d.source);
      link.textContent = d.title || d.source;
      const code = document.createElement("code");
      code.textContent = d.source;
      const chunks = cell(String(d.chunks));
      chunks.className = "num";
      const tr = document.createElement("tr");
      tr.append(cell(link), cell(code), chunks, cell(d.uploaded ? "Uploaded" : "Default"));
      rows.append(tr);
    }
    document.getElementById("library-empty").hidden = documents.length > 0;
  }

  upload.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!files.files.length) {
      setStatus("Choose at least one file to upload.", "error");
      files.focus();
      return;
    }
    const data = new FormData();
    for (const file of files.files) data.append("files", file, file.name);
    submit.disabled = true;
    setStatus("Uploading and indexing…");
    try {
      const response = await fetch("/v1/knowledge", { method: "POST", body: data, credentials: "same-origin" });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        setStatus(detailOf(body, response.status), "error");
        return;
      }
      const names = Array.from(files.files, (f) => f.name).join(", ");
      setStatus(
        "Added " + names + ". " + body.embedded + " new passage(s) indexed; the uploaded library now holds " +
          body.documents + " document(s).",
        "ok",
      );
      upload.reset();
      await refreshLibrary();
    } catch (error) {
      setStatus("Could not reach the server. Nothing was changed; try again.", "error");
    } finally {
      submit.disabled = false;
    }
  });
})();
