// Chat page: send a message to POST /v1/chat with stream:true and show the answer as it arrives.
// The session cookie authenticates the request; the server checks that it comes from this site.
// A finished answer is shown as the HTML the server rendered and sanitised (reply.html); while it
// streams, its text is shown as plain text. Each answer offers copy and regenerate; the latest
// offers the reply's suggested follow-ups; Stop aborts the answer in flight.
(() => {
  "use strict";

  const form = document.getElementById("chat-form");
  if (!form) return;
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const stopButton = document.getElementById("stop");
  const messages = document.getElementById("messages");
  const statusLine = document.getElementById("chat-status");
  const conversationField = document.getElementById("conversation-id");
  const pairSelect = document.getElementById("pair");
  // An answer's closing list of sources (shown as chips instead), as in api/markdown.py.
  const SOURCES = /\n\n(?:\*\*Sources:\*\*|Sources:)\n(?:- [^\n]*(?:\n|$))*$/;
  const SOURCES_SECTION = /^(?:\*\*Sources:\*\*|Sources:)\n/;
  let busy = false;
  let controller = null;

  // Same rule as assistant.reading.slug: the anchor of a guideline section.
  const slug = (heading) =>
    (heading || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "introduction";

  const encodePath = (path) => path.split("/").map(encodeURIComponent).join("/");

  const withoutSources = (text) => text.replace(SOURCES, "");

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

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addMessage(role, text) {
    const item = element("li", "message " + role);
    item.append(element("p", "who", role === "user" ? "You" : "Assistant"), element("div", "text", text));
    messages.append(item);
    return item;
  }

  function addChips(item, citations) {
    if (!citations || !citations.length) return;
    const box = element("div", "sources");
    const list = element("ul", "chips");
    for (const c of citations) {
      const link = citationLink(c);
      const a = element("a", "chip", link.label);
      a.href = link.href;
      a.title = link.title;
      const li = element("li");
      li.append(a);
      list.append(li);
    }
    box.append(element("p", "sources-label", "Sources"), list);
    item.append(box);
  }

  function addMeta(item, reply) {
    const meta = element("p", "meta");
    meta.append(element("span", "badge", (reply.mode === "llm" ? "LLM" : "Offline") + " mode"));
    if (reply.fallback_reason) {
      meta.append(" ", element("span", "fallback", "Answered offline because " + reply.fallback_reason));
    }
    const pairId = reply.payload && reply.payload.pair_id;
    if (reply.task === "brief" && pairId) {
      const link = element("a", "", "Open the printable brief");
      link.href = "/pairs/" + encodeURIComponent(pairId) + "/brief";
      meta.append(" · ", link);
    }
    item.append(meta);
  }

  // The text of the user's message an answer replies to (the nearest one before it).
  function questionBefore(item) {
    for (let node = item.previousElementSibling; node; node = node.previousElementSibling) {
      if (node.classList.contains("user")) return node.querySelector(".text").textContent;
    }
    return "";
  }

  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = element("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    if (!copied) throw new Error("copy refused");
  }

  function addActions(item) {
    const actions = element("div", "answer-actions");
    const copyButton = element("button", "secondary small-button", "Copy");
    copyButton.type = "button";
    copyButton.addEventListener("click", async () => {
      try {
        await copy(item.dataset.markdown || "");
        setStatus("Copied the answer as Markdown.", "ok");
      } catch (error) {
        setStatus("Could not copy the answer. Select its text and copy it instead.", "error");
      }
    });
    const again = element("button", "secondary small-button", "Regenerate");
    again.type = "button";
    again.addEventListener("click", () => {
      const question = questionBefore(item);
      if (question) send(question);
    });
    actions.append(copyButton, again);
    item.append(actions);
  }

  function clearSuggestions() {
    for (const box of messages.querySelectorAll(".suggestions")) box.remove();
  }

  function addSuggestions(item, suggestions) {
    const texts = (Array.isArray(suggestions) ? suggestions : [])
      .filter((s) => typeof s === "string" && s.trim())
      .slice(0, 3);
    if (!texts.length) return;
    const box = element("div", "suggestions");
    const label = element("p", "sources-label", "Suggested follow-ups");
    label.id = "suggestions-label";
    const list = element("ul", "prompts");
    list.setAttribute("aria-labelledby", label.id);
    for (const text of texts) {
      const button = element("button", "prompt suggestion", text);
      button.type = "button";
      button.addEventListener("click", () => send(text));
      const li = element("li");
      li.append(button);
      list.append(li);
    }
    box.append(label, list);
    item.append(box);
  }

  function finish(item, reply) {
    const body = item.querySelector(".text");
    if (typeof reply.html === "string") {
      body.innerHTML = reply.html; // rendered and sanitised by the server (api/markdown.py)
      body.classList.add("rendered");
    } else {
      body.textContent = withoutSources(reply.message || "");
    }
    item.dataset.markdown = reply.message || "";
    addChips(item, reply.citations);
    addMeta(item, reply);
    addActions(item);
    addSuggestions(item, reply.suggestions);
    item.dataset.task = reply.task;
    item.dataset.state = "done";
    item.removeAttribute("aria-busy");
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

  function stopped(item) {
    item.dataset.state = "stopped";
    item.removeAttribute("aria-busy");
    const body = item.querySelector(".text");
    if (!body.textContent) body.textContent = "No answer yet.";
    item.append(element("p", "meta", "Stopped before the answer was finished."));
    // The server still finishes the answer and stores it with the conversation.
    setStatus("Stopped. The full answer is still saved and shows when you reopen the conversation.");
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
    if (isNew) {
      // history.js lists it, with rename and delete.
      document.dispatchEvent(new CustomEvent("chat:conversation", { detail: { id, title: question.slice(0, 80) } }));
    }
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

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    stopButton.hidden = !value;
  }

  async function send(text) {
    const question = text.trim();
    if (!question) return;
    if (busy) {  // the message stays in the box: said, not dropped in silence
      setStatus("Still answering your last message. Send this one when it has finished.", "error");
      return;
    }
    if (question.length > 4000) {
      setStatus("The message is longer than 4,000 characters.", "error");
      return;
    }
    setBusy(true);
    controller = new AbortController();
    const emptyState = document.getElementById("empty-state");
    if (emptyState) emptyState.remove();
    clearSuggestions();
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
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        const detail = await response.json().catch(() => null);
        fail(item, detailOf(detail, response.status));
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let streamed = "";
      let finished = false;
      const show = (piece) => {
        item.dataset.chunks = String(Number(item.dataset.chunks) + 1);
        streamed += piece;
        body.textContent = withoutSources(streamed);
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
            if (!SOURCES_SECTION.test(event.data)) show((streamed ? "\n\n" : "") + event.data);
          } else if (event.name === "status") {
            setStatus(event.data);
          } else if (event.name === "error") {
            fail(item, detailOf(event.data, 400));
            finished = true;
            break;
          } else if (event.name === "done") {
            finish(item, event.data);
            remember(event.data, question);
            setStatus("Answer ready.", "ok");
            finished = true;
            break;
          }
        }
      }
      if (item.dataset.state === "streaming") fail(item, "The answer was cut off. Try again.");
    } catch (error) {
      if (error && error.name === "AbortError") stopped(item);
      else fail(item, "Could not reach the assistant. Check your connection and try again.");
    } finally {
      controller = null;
      setBusy(false);
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

  stopButton.addEventListener("click", () => {
    if (controller) controller.abort();
  });

  for (const button of document.querySelectorAll("[data-prompt]")) {
    button.addEventListener("click", () => send(button.dataset.prompt));
  }

  // Answers the server rendered (a conversation opened from the list) get the same actions.
  for (const item of messages.querySelectorAll(".message.assistant[data-markdown]")) addActions(item);
})();
