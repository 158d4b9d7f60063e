// Chat page, "Your conversations": rename (PATCH) and delete (DELETE /v1/conversations/{id}) in place,
// and list a conversation the chat has just started (the "chat:conversation" event from chat.js).
// The session cookie authenticates the requests; the browser's Origin header shows they come from here.
(() => {
  "use strict";

  const list = document.getElementById("history-list");
  if (!list) return;
  const statusLine = document.getElementById("history-status");
  let formCount = 0;

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "status" + (kind ? " " + kind : "");
  }

  function button(text, action, className) {
    const node = document.createElement("button");
    node.type = "button";
    node.className = className || "link-button";
    node.textContent = text;
    if (action) node.dataset.action = action;
    return node;
  }

  async function detailOf(response) {
    const body = await response.json().catch(() => null);
    if (body && typeof body.detail === "string") return body.detail;
    if (response.status === 401) return "Your session has ended. Sign in again to continue.";
    return "That did not work (error " + response.status + "). Try again.";
  }

  function call(method, id, body) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch("/v1/conversations/" + encodeURIComponent(id), options);
  }

  function item(id, title, current) {
    const li = document.createElement("li");
    li.dataset.id = id;
    const link = document.createElement("a");
    link.href = "/?conversation=" + encodeURIComponent(id);
    link.textContent = title || "Untitled conversation";
    if (current) link.setAttribute("aria-current", "page");
    const actions = document.createElement("span");
    actions.className = "history-actions";
    actions.append(button("Rename", "rename"), " ", button("Delete", "delete"));
    li.append(link, " ", actions);
    return li;
  }

  // The row's link and actions give way to a form or a question; `restore` brings them back.
  function swap(li, replacement) {
    const shown = [...li.children];
    for (const child of shown) child.hidden = true;
    li.append(replacement);
    return () => {
      replacement.remove();
      for (const child of shown) child.hidden = false;
    };
  }

  function startRename(li) {
    const link = li.querySelector("a");
    const form = document.createElement("form");
    form.className = "rename-form";
    form.noValidate = true;
    const field = document.createElement("input");
    field.type = "text";
    field.id = "rename-" + ++formCount;
    field.maxLength = 200;
    field.value = link.textContent;
    const label = document.createElement("label");
    label.htmlFor = field.id;
    label.className = "visually-hidden";
    label.textContent = "New title";
    const save = button("Save", null, "small-button");
    save.type = "submit";
    const cancel = button("Cancel", null, "secondary small-button");
    form.append(label, field, save, cancel);
    const restore = swap(li, form);
    const close = () => {
      restore();
      li.querySelector("[data-action=rename]").focus();
    };
    cancel.addEventListener("click", close);
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const title = field.value.trim();
      if (!title) {
        field.setAttribute("aria-invalid", "true");
        setStatus("Enter a title.", "error");
        field.focus();
        return;
      }
      save.disabled = true;
      try {
        const response = await call("PATCH", li.dataset.id, { title });
        if (!response.ok) {
          field.setAttribute("aria-invalid", "true");
          setStatus(await detailOf(response), "error");
          field.focus();
          return;
        }
        link.textContent = (await response.json()).title;
        close();
        setStatus("Renamed to “" + link.textContent + "”.", "ok");
      } catch (error) {
        setStatus("Could not reach the assistant. Check your connection and try again.", "error");
      } finally {
        save.disabled = false;
      }
    });
    field.focus();
    field.select();
  }

  function startDelete(li) {
    const link = li.querySelector("a");
    const question = document.createElement("span");
    question.className = "confirm";
    question.append(document.createTextNode("Delete this conversation? "));
    const yes = button("Yes, delete", null, "small-button danger");
    const no = button("Cancel", null, "secondary small-button");
    question.append(yes, " ", no);
    const restore = swap(li, question);
    no.addEventListener("click", () => {
      restore();
      li.querySelector("[data-action=delete]").focus();
    });
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        const response = await call("DELETE", li.dataset.id);
        if (!response.ok) {
          setStatus(await detailOf(response), "error");
          yes.disabled = false;
          return;
        }
        if (link.getAttribute("aria-current")) {
          window.location.assign("/"); // the open conversation is gone: start a new one
          return;
        }
        li.remove();
        setStatus("Deleted “" + link.textContent + "”.", "ok");
        if (!list.children.length) {
          const empty = document.createElement("p");
          empty.className = "muted";
          empty.id = "history-empty";
          empty.textContent = "No conversations yet. They will be listed here.";
          list.after(empty);
        }
      } catch (error) {
        setStatus("Could not reach the assistant. Check your connection and try again.", "error");
        yes.disabled = false;
      }
    });
    no.focus();
  }

  list.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action]");
    if (!target) return;
    const li = target.closest("li");
    if (target.dataset.action === "rename") startRename(li);
    else if (target.dataset.action === "delete") startDelete(li);
  });

  document.addEventListener("chat:conversation", (event) => {
    const empty = document.getElementById("history-empty");
    if (empty) empty.remove();
    for (const current of list.querySelectorAll("[aria-current]")) current.removeAttribute("aria-current");
    list.prepend(item(event.detail.id, event.detail.title, true));
  });
})();
