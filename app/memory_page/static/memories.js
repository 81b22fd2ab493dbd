// The memory page: what is remembered about one user, and the means to correct it, through the HTTP API.
// Everything a memory, fact or message says is user text: only ever set as textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const PAGE = 20;
const state = { key: "", user: "", offset: 0 };

async function api(method, path, body) {
  const response = await fetch(`/v1/users/${encodeURIComponent(state.user)}${path}`, {
    method,
    headers: { Authorization: `Bearer ${state.key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 204) return null;
  const answer = await response.json();
  if (!response.ok) {
    const detail = typeof answer.detail === "string" ? answer.detail : answer.detail.map((p) => p.msg).join("; ");
    throw new Error(`${response.status}: ${detail}`);
  }
  return answer;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(text, onClick, className) {
  const made = element("button", text, className);
  made.type = "button";
  made.addEventListener("click", onClick);
  return made;
}

function said(fact) {
  return `${fact.predicate.replaceAll("_", " ")}: ${fact.value}`;
}

// Runs a change the person confirmed; a refusal is shown where it happened, and nothing else changes.
async function change(question, work, where) {
  if (!window.confirm(question)) return;
  try {
    await work();
    await refresh();
  } catch (error) {
    where.append(element("p", error.message, "error"));
  }
}

function memoryItem(memory) {
  const id = memory.id ?? memory.memory_id;
  const item = element("li");
  item.dataset.memoryId = id;
  const kind = [memory.occurred_at.slice(0, 10), memory.memory_type, memory.tier].filter(Boolean).join(" · ");
  const text = element("p", memory.content ?? "(forgotten)");
  item.append(element("div", kind, "meta"), text);
  const facts = (memory.facts ?? []).map((f) => (f.status === "current" ? said(f) : `${said(f)} (${f.status})`));
  if (facts.length) item.append(element("div", `states ${facts.join("; ")}`, "facts"));
  for (const earlier of memory.revisions ?? []) {
    item.append(element("div", `until ${earlier.until.slice(0, 10)} it read: ${earlier.content}`, "revisions"));
  }
  if (memory.content === null) return item;
  const actions = element("div", undefined, "actions");
  actions.append(
    button("Edit", () => edit(item, id, memory.content)),
    button("Delete", () => change("Delete this memory for good?", () => api("DELETE", `/memories/${encodeURIComponent(id)}`), item), "danger"),
  );
  item.append(actions);
  return item;
}

function edit(item, id, content) {
  const box = element("textarea");
  box.value = content;
  box.rows = 3;
  box.setAttribute("aria-label", "Corrected text");
  const actions = element("div", undefined, "actions");
  const save = () => change("Save the corrected text? The old one is kept as its history.", () =>
    api("PATCH", `/memories/${encodeURIComponent(id)}`, { content: box.value }), item);
  actions.append(button("Save", save), button("Cancel", () => refresh()));
  item.replaceChildren(box, actions);
  box.focus();
}

// Loads can overlap (a change's refresh, then a search): only the latest one writes the list.
let latestLoad = 0;

async function loadMemories(more) {
  const mine = ++latestLoad;
  const offset = more ? state.offset + PAGE : 0;
  const query = $("query").value.trim();
  const type = $("type").value;
  const tier = $("tier").value;
  let found;
  if (query) {
    const options = { query, k: 50, everyday_filters: false, include_cold: true, record_access: false };
    if (type) options.memory_types = [type];
    found = await api("POST", "/search", options);
  } else {
    const params = new URLSearchParams({ offset, limit: PAGE });
    if (type) params.append("memory_type", type);
    if (tier) params.append("tier", tier);
    found = await api("GET", `/memories?${params}`);
  }
  if (mine !== latestLoad) return;
  state.offset = offset;
  const list = $("memories");
  if (more) list.append(...found.map(memoryItem));
  else list.replaceChildren(...found.map(memoryItem));
  if (!list.children.length) list.append(element("li", query ? "Nothing matches." : "Nothing is remembered.", "quiet"));
  $("more").hidden = Boolean(query) || found.length < PAGE;
}

function factItem(fact) {
  const item = element("li");
  item.dataset.factId = fact.id;
  const shown = button(said(fact), () => history(fact));
  item.append(shown, element("span", ` (${fact.confidence.toFixed(2)})`, "quiet"));
  const actions = element("div", undefined, "actions");
  actions.append(
    button("Correct", () => correct(item, fact)),
    button("Not true", () => change(`Take back "${said(fact)}"? It stays in its history as never so.`,
      () => api("DELETE", `/facts/${encodeURIComponent(fact.id)}`), item), "danger"),
  );
  item.append(actions);
  return item;
}

function correct(item, fact) {
  const value = element("input");
  value.value = fact.value;
  value.setAttribute("aria-label", `Correct value of ${fact.predicate.replaceAll("_", " ")}`);
  const actions = element("div", undefined, "actions");
  const save = () => change(`Replace "${fact.value}" with "${value.value}"?`, () =>
    api("PATCH", `/facts/${encodeURIComponent(fact.id)}`, { value: value.value }), item);
  actions.append(button("Save", save), button("Cancel", () => refresh()));
  item.replaceChildren(element("span", `${fact.predicate.replaceAll("_", " ")}: `), value, actions);
  value.focus();
}

async function history(fact) {
  const query = new URLSearchParams({ predicate: fact.predicate, subject: fact.subject_key });
  try {
    $("history").textContent = (await api("GET", `/facts/history?${query}`)).summary;
  } catch (error) {
    $("history").textContent = error.message;
  }
}

function pendingItem(fact) {
  const item = element("li");
  item.append(element("span", `${said(fact)}?`));
  const actions = element("div", undefined, "actions");
  const path = `/facts/${encodeURIComponent(fact.id)}`;
  actions.append(
    button("Yes, it changed", () => change(`Make "${said(fact)}" current?`, () => api("POST", `${path}/confirm`), item)),
    button("No", () => change(`Discard "${said(fact)}"?`, () => api("POST", `${path}/reject`), item)),
  );
  item.append(actions);
  return item;
}

async function loadFacts() {
  const [current, pending] = await Promise.all([api("GET", "/facts"), api("GET", "/facts?status=pending")]);
  $("facts").replaceChildren(...current.map(factItem));
  if (!current.length) $("facts").append(element("li", "No facts are known.", "quiet"));
  $("pending").replaceChildren(...pending.map(pendingItem));
  if (!pending.length) $("pending").append(element("li", "Nothing is waiting.", "quiet"));
}

function heldItem(held) {
  const item = element("li");
  item.dataset.quarantineId = held.id;
  item.append(element("div", `${held.occurred_at.slice(0, 10)} · refused as ${held.reason}`, "meta"), element("p", held.text));
  const path = `/quarantine/${encodeURIComponent(held.id)}`;
  const actions = element("div", undefined, "actions");
  actions.append(
    button("Release", () => change("Store this message as a memory after all?", () => api("POST", `${path}/release`), item)),
    button("Discard", () => change("Discard this message now?", () => api("DELETE", path), item), "danger"),
  );
  item.append(actions);
  return item;
}

async function loadQuarantine() {
  const list = $("quarantine");
  try {
    const held = await api("GET", "/quarantine");
    list.replaceChildren(...held.map(heldItem));
    if (!held.length) list.append(element("li", "Nothing was refused.", "quiet"));
  } catch (error) {
    list.replaceChildren(element("li", error.message.startsWith("403") ? "Only an admin key shows these." : error.message, "quiet"));
  }
}

async function refresh() {
  $("history").textContent = "Choose a fact to see how it changed.";
  await Promise.all([loadMemories(false), loadFacts(), loadQuarantine()]);
}

async function open(event) {
  event.preventDefault();
  state.key = $("key").value.trim();
  state.user = $("user").value.trim();
  sessionStorage.setItem("companion-memory-key", state.key);
  $("status").textContent = "Loading…";
  try {
    await refresh();
    document.querySelector("main").hidden = false;
    $("status").textContent = `Showing ${state.user}.`;
  } catch (error) {
    $("status").textContent = error.message;
  }
}

async function ask(event) {
  event.preventDefault();
  try {
    $("context").textContent = (await api("POST", "/context", { query: $("question").value, record_access: false })).text;
  } catch (error) {
    $("context").textContent = error.message;
  }
}

$("key").value = sessionStorage.getItem("companion-memory-key") ?? "";
$("open").addEventListener("submit", open);
// A search or page that fails says why where the memories are, instead of leaving the list as it was.
function showing(more) {
  loadMemories(more).catch((error) => $("memories").replaceChildren(element("li", error.message, "error")));
}

$("find").addEventListener("submit", (event) => { event.preventDefault(); showing(false); });
$("more").addEventListener("click", () => showing(true));
$("ask").addEventListener("submit", ask);
