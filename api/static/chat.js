// Chat page: send a message to POST /v1/chat with stream:true and show the answer as it arrives.
// The session cookie authenticates the request; the server checks that it comes from this site.
(() => {
  "use strict";

  const form = document.getElementById("chat-form");
  if (!form) return;
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const messages = document.getElementById("messages");
  const statusLine = document.getElementById("chat-status");
  const conversationField = document.getElementById("conversation-id");
  const pairSelect = document.getElementById("pair");
  const SOURCES = "\n\nSources:\n";
  let busy = false;

  // Same rule as assistant.reading.slug: the anchor of a guideline section.
  const slug = (heading) =>
    (heading || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "introduction";

  const encodePath = (path) => path.split("/").map(encodeURIComponent).join("/");

  function citationLink(c) {
    if (c.kind === "note") {
      return {
        href: "/notes/" + encodeURIComponent(c.note_id || ""),
        label: ("Note " + (c.date || "")).trim(),
        title: "Session note " + c.note_id + " (" + (c.date || "") + ")",
      };
    }
    const section = c.section || "introduction";
    return {
      href: "/guidelines/" + encodePath(c.source || "") + "#" + slug(c.section),
      label: c.source + " › " + section,
      title: "Guideline " + c.source + ", section " + section,
    };
  }

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "status" + (kind ? " " + kind : "");
  }

  function addMessage(role, text) {
    const item = document.createElement("li");
    item.className = "message " + role;
    const who = document.createElement("p");
    who.className = "who";
    who.textContent = role === "user" ? "You" : "Assistant";
    const body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    item.append(who, body);
    messages.append(item);
    return item;
  }

  function addChips(item, citations) {
    if (!citations || !citations.length) return;
    const box = document.createElement("div");
    box.className = "sources";
    const label = document.createElement("p");
    label.className = "sources-label";
    label.textContent = "Sources";
    const list = document.createElement("ul");
    list.className = "chips";
    for (const c of citations) {
      const link = citationLink(c);
      const a = document.createElement("a");
      a.className = "chip";
      a.href = link.href;
      a.title = link.title;
      a.textContent = link.label;
      const li = document.createElement("li");
      li.append(a);
      list.append(li);
    }
    box.append(label, list);
    item.append(box);
  }

  function addMeta(item, reply) {
    const meta = document.createElement("p");
    meta.className = "meta";
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = (reply.mode === "llm" ? "LLM" : "Offline") + " mode";
    meta.append(badge);
    if (reply.fallback_reason) {
      const why = document.createElement("span");
      why.className = "fallback";
      why.textContent = "Answered offline because " + reply.fallback_reason;
      meta.append(" ", why);
    }
    const pairId = reply.payload && reply.payload.pair_id;
    if (reply.task === "brief" && pairId) {
      const link = document.createElement("a");
      link.href = "/pairs/" + encodeURIComponent(pairId) + "/brief";
      link.textContent = "Open the printable brief";
      meta.append(" · ", link);
    }
    item.append(meta);
  }

  function fail(item, text) {
    item.dataset.state = "failed";
    item.classList.add("failed");
    item.removeAttribute("aria-busy");
    const body = item.querySelector(".text");
    body.textContent = text;
    body.setAttribute("role", "alert");
    setStatus(text, "error");
  }

  function detailOf(body, statusCode) {
    const detail = body && body.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail) && detail.length) return detail.map((d) => d.msg || String(d)).join("; ");
    if (statusCode === 401) return "Your session has ended. Sign in again to continue.";
    return "The assistant could not answer (error " + statusCode + "). Try again.";
  }

  function remember(reply, question) {
    const id = reply.conversation_id;
    if (!id) return;
    const isNew = conversationField.value !== id;
    conversationField.value = id;
    history.replaceState(null, "", "/?conversation=" + encodeURIComponent(id));
    if (!isNew) return;
    const list = document.getElementById("history-list");
    const empty = document.getElementById("history-empty");
    if (empty) empty.remove();
    for (const current of list.querySelectorAll("[aria-current]")) current.removeAttribute("aria-current");
    const link = document.createElement("a");
    link.href = "/?conversation=" + encodeURIComponent(id);
    link.textContent = question.slice(0, 80);
    link.setAttribute("aria-current", "page");
    const li = document.createElement("li");
    li.append(link);
    list.prepend(li);
  }

  // One server-sent event block: "event: name\ndata: json".
  function parseEvent(block) {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    return { name, data: data.length ? JSON.parse(data.join("\n")) : null };
  }

  async function send(text) {
    const question = text.trim();
    if (!question || busy) return;
    if (question.length > 4000) {
      setStatus("The message is longer than 4,000 characters.", "error");
      return;
    }
    busy = true;
    sendButton.disabled = true;
    const emptyState = document.getElementById("empty-state");
    if (emptyState) emptyState.remove();
    addMessage("user", question);
    input.value = "";
    const item = addMessage("assistant", "");
    item.dataset.state = "streaming";
    item.dataset.chunks = "0";
    item.setAttribute("aria-busy", "true");
    const body = item.querySelector(".text");
    setStatus("The assistant is answering…");
    item.scrollIntoView({ block: "nearest" });

    const request = { message: question, stream: true };
    if (conversationField.value) request.conversation_id = conversationField.value;
    if (pairSelect && pairSelect.value) request.pair_id = pairSelect.value;
    try {
      const response = await fetch("/v1/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        credentials: "same-origin",
        body: JSON.stringify(request),
      });
      if (!response.ok || !response.body) {
        const detail = await response.json().catch(() => null);
        fail(item, detailOf(detail, response.status));
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let text = "";
      let finished = false;
      const show = (piece) => {
        item.dataset.chunks = String(Number(item.dataset.chunks) + 1);
        text += piece;
        const cut = text.indexOf(SOURCES);
        body.textContent = cut >= 0 ? text.slice(0, cut) : text;
      };
      while (!finished) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event.name === "token") show(event.data);
          else if (event.name === "section") {
            if (!event.data.startsWith("Sources:")) show((text ? "\n\n" : "") + event.data);
          } else if (event.name === "error") {
            fail(item, detailOf(event.data, 400));
            finished = true;
            break;
          } else if (event.name === "done") {
            const reply = event.data;
            const message = reply.message || "";
            const cut = message.lastIndexOf(SOURCES);
            body.textContent = cut >= 0 ? message.slice(0, cut) : message;
            addChips(item, reply.citations);
            addMeta(item, reply);
            item.dataset.state = "done";
            item.dataset.task = reply.task;
            item.removeAttribute("aria-busy");
            remember(reply, question);
            setStatus("Answer ready.", "ok");
            finished = true;
            break;
          }
        }
      }
      if (item.dataset.state === "streaming") fail(item, "The answer was cut off. Try again.");
    } catch (error) {
      fail(item, "Could not reach the assistant. Check your connection and try again.");
    } finally {
      busy = false;
      sendButton.disabled = false;
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) {
      setStatus("Type a message first.", "error");
      input.focus();
      return;
    }
    send(input.value);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  for (const button of document.querySelectorAll("[data-prompt]")) {
    button.addEventListener("click", () => send(button.dataset.prompt));
  }
})();
