// The type-ahead demo: relays typing over the socket and shows what the service prepared.
// Everything a memory or fact says is user text: it is only ever set as textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { socket: null, key: "", user: "", sentAt: new Map() };

function api(path) {
  return fetch(`/v1/users/${encodeURIComponent(state.user)}${path}`, {
    headers: { Authorization: `Bearer ${state.key}` },
  }).then(async (response) => {
    if (!response.ok) throw new Error(`${response.status} ${(await response.json()).detail ?? ""}`);
    return response.json();
  });
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function setSocket(stateName, text) {
  $("socket").dataset.state = stateName;
  $("socket").textContent = text;
}

// The companion spoken to must exist for its persona to open the context: made with a default one when new.
async function ensureCompanion(companion) {
  const url = `/v1/companions/${encodeURIComponent(companion)}`;
  const headers = { Authorization: `Bearer ${state.key}`, "Content-Type": "application/json" };
  if ((await fetch(url, { headers })).status !== 404) return;
  const persona = "A warm, curious friend who remembers what matters to you.";
  await fetch(url, { method: "PUT", headers, body: JSON.stringify({ name: companion, persona }) });
}

function connect(event) {
  event.preventDefault();
  if (state.socket) state.socket.close();
  state.key = $("key").value.trim();
  state.user = $("user").value.trim();
  sessionStorage.setItem("companion-memory-demo-key", state.key);
  const query = new URLSearchParams({ conversation_id: $("conversation").value.trim(), companion_id: $("companion").value.trim() });
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}/v1/users/${encodeURIComponent(state.user)}/typeahead?${query}`;
  // A browser cannot set an Authorization header on a socket: the key travels as a subprotocol.
  const socket = new WebSocket(url, ["companion-memory", `bearer.${state.key}`]);
  state.socket = socket;
  setSocket("connecting", "connecting…");
  ensureCompanion($("companion").value.trim()).catch(() => {});
  socket.onopen = () => {
    setSocket("open", "connected");
    $("message").disabled = false;
    $("message").focus();
    refreshFacts();
  };
  socket.onclose = (closed) => {
    if (state.socket !== socket) return;
    setSocket(closed.code === 1000 ? "closed" : "error", `closed${closed.reason ? ": " + closed.reason : ""}`);
    $("message").disabled = true;
  };
  socket.onmessage = (message) => onFrame(JSON.parse(message.data));
}

function onFrame(frame) {
  if (frame.type === "context_ready") {
    $("typing").textContent = `Context ready in ${frame.took_ms} ms for the ${frame.chars} characters typed so far.`;
    $("typing").className = "ready";
  } else if (frame.type === "context") {
    showContext(frame);
  } else if (frame.type === "stored") {
    showOutcome(frame.message_id, frame.outcome);
    refreshFacts();
  } else if (frame.type === "error") {
    $("typing").textContent = `Error ${frame.code}: ${frame.detail}`;
    $("typing").className = "";
  }
}

function showContext(frame) {
  const sent = state.sentAt.get(frame.message_id);
  const roundTrip = sent === undefined ? "?" : (performance.now() - sent).toFixed(1);
  const age = frame.age_ms === null ? "" : `, prepared ${(frame.age_ms / 1000).toFixed(1)} s earlier`;
  $("timing").textContent = frame.warm
    ? `Warm from the type-ahead cache: answered in ${frame.took_ms} ms (${roundTrip} ms round trip)${age}.`
    : `Cold: computed on send in ${frame.took_ms} ms (${roundTrip} ms round trip).`;
  $("timing").className = frame.warm ? "warm" : "cold";
  $("context-text").textContent = frame.context.text;
  const body = $("memories").tBodies[0];
  body.replaceChildren();
  for (const hit of frame.context.memories) {
    const row = body.insertRow();
    row.append(element("td", hit.content));
    row.append(element("td", hit.score.toFixed(3)));
    const parts = Object.entries(hit.parts).map(([name, value]) => `${name} ${value.toFixed(3)}`);
    row.append(element("td", parts.join(" · "), "parts"));
  }
  if (!frame.context.memories.length) {
    const row = body.insertRow();
    row.append(element("td", "No memory matched yet."));
  }
}

function showOutcome(messageId, outcome) {
  const turn = document.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!turn) return;
  const because = outcome.reason ? ` (${outcome.reason})` : "";
  const redacted = outcome.redacted.length ? `; redacted: ${outcome.redacted.join(", ")}` : "";
  turn.append(element("span", `${outcome.status}${because}${redacted}`, "outcome"));
}

function send() {
  const text = $("message").value.trim();
  if (!text || !state.socket || state.socket.readyState !== WebSocket.OPEN) return;
  const messageId = crypto.randomUUID();
  state.sentAt.set(messageId, performance.now());
  state.socket.send(JSON.stringify({ type: "send", message_id: messageId, text }));
  const turn = element("li", text);
  turn.dataset.messageId = messageId;
  $("turns").append(turn);
  $("turns").scrollTop = $("turns").scrollHeight;
  $("message").value = "";
  $("typing").textContent = "Sent.";
  $("typing").className = "";
}

function onKey(event) {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    send();
  }
}

function onInput() {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(JSON.stringify({ type: "draft", text: $("message").value }));
    $("typing").textContent = "Typing…";
    $("typing").className = "";
  }
}

async function refreshFacts() {
  const list = $("fact-list");
  try {
    const facts = await api("/facts");
    list.replaceChildren();
    for (const fact of facts) {
      const button = element("button", `${fact.predicate.replaceAll("_", " ")}: ${fact.value}`);
      button.onclick = () => showHistory(fact);
      const item = element("li");
      item.append(button, element("span", ` (${fact.status}, ${fact.confidence.toFixed(2)})`));
      list.append(item);
    }
    if (!facts.length) list.append(element("li", "None yet.", "none"));
  } catch (error) {
    list.replaceChildren(element("li", `Facts unavailable: ${error.message}`, "none"));
  }
}

async function showHistory(fact) {
  const query = new URLSearchParams({ predicate: fact.predicate, subject: fact.subject_key });
  try {
    $("history").textContent = (await api(`/facts/history?${query}`)).summary;
  } catch (error) {
    $("history").textContent = `History unavailable: ${error.message}`;
  }
}

$("key").value = sessionStorage.getItem("companion-memory-demo-key") ?? "";
$("connect").addEventListener("submit", connect);
$("message").addEventListener("keydown", onKey);
$("message").addEventListener("input", onInput);
