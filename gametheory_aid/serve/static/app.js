// The classroom page: controls from GET /api/models, results from POST /api/solve.
"use strict";

const WORDS = {
  en: {heading: "Paired aid as games: equilibria and digital transparency", model: "Model", reset: "Reset",
       tau: "digital transparency", unset: "empty: not set", vector: "comma-separated, one per target"},
  zh: {heading: "对口支援的博弈模型：均衡与数字透明", model: "模型", reset: "恢复默认",
       tau: "数字透明程度", unset: "留空：不设定", vector: "逗号分隔，每个对象一个值"},
};

const state = {lang: document.documentElement.dataset.lang || "en", models: [], model: null, values: {},
               tau: 0, sequence: 0, solved: 0, timer: null};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

// A typed number as a number; anything else is sent as typed, for the server to refuse with its message.
function parseNumber(text) {
  const t = String(text).trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : t;
}

function parseText(control, text) {
  const t = text.trim();
  if (t === "" && control.optional) return null;
  const items = t.replace(/^\[|\]$/g, "").split(",").map(parseNumber);
  return control.vector ? items : items[0];
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(solve, 120);
}

function sliderControl(control, value, onChange, id) {
  const box = el("div", {class: "control", id: "control-" + id});
  const lab = el("label", {for: "input-" + id, title: control.meaning + " — " + control.domain});
  lab.append(document.createTextNode(control.label + " "), el("span", {class: "symbol"}, control.symbol));
  const row = el("div", {class: "row"});
  const range = el("input", {type: "range", id: "range-" + id, min: control.min, max: control.max,
                             step: control.step, value: value, "aria-label": control.label});
  const number = el("input", {type: "number", id: "input-" + id, step: control.step, value: value});
  range.addEventListener("input", () => { number.value = range.value; onChange(Number(range.value)); });
  number.addEventListener("change", () => { range.value = number.value; onChange(parseNumber(number.value)); });
  row.append(range, number);
  box.append(lab, row);
  return box;
}

function textControl(control, value, onChange, id) {
  const box = el("div", {class: "control", id: "control-" + id});
  const lab = el("label", {for: "input-" + id, title: control.meaning + " — " + control.domain});
  lab.append(document.createTextNode(control.label + " "), el("span", {class: "symbol"}, control.symbol));
  const hint = control.vector ? WORDS[state.lang].vector : WORDS[state.lang].unset;
  const input = el("input", {type: "text", id: "input-" + id, placeholder: hint,
                             value: value === null ? "" : [].concat(value).join(", ")});
  input.addEventListener("change", () => onChange(parseText(control, input.value)));
  box.append(lab, input);
  return box;
}

function buildControls() {
  const model = state.models.find((m) => m.name === state.model);
  const params = $("params");
  params.replaceChildren();
  for (const c of model.parameters) {
    if (!(c.name in state.values)) state.values[c.name] = c.default;
    const set = (v) => { state.values[c.name] = v; schedule(); };
    const make = c.kind === "text" ? textControl : sliderControl;
    params.append(make(c, state.values[c.name], set, c.name.replace(/\W/g, "_")));
  }
  const tau = Object.assign({}, model.transparency, {label: WORDS[state.lang].tau});
  $("tau-control").replaceChildren(sliderControl(tau, state.tau, (v) => { state.tau = v; schedule(); }, "transparency"));
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

function render(data) {
  $("error").hidden = true;
  $("title").textContent = data.title;
  $("figure").innerHTML = data.figure || "";
  $("sentences").replaceChildren(...data.sentences.map((s) => el("li", {}, s)));
  const head = el("tr");
  data.header.forEach((h) => head.append(el("th", {}, h)));
  $("table").tHead.replaceChildren(head);
  const rows = data.rows.map((r) => {
    const tr = el("tr", {"data-name": r.name});
    if (r.values.some((v) => v !== r.values[0])) tr.className = "changed";
    tr.append(el("td", {}, r.label), ...r.values.map((v) => el("td", {}, String(v))));
    return tr;
  });
  $("table").tBodies[0].replaceChildren(...rows);
  $("thresholds").textContent = data.thresholds.map((t) => `${t.label} = ${t.value}`).join("; ");
}

async function solve() {
  const sequence = ++state.sequence;
  const body = {model: state.model, params: state.values, transparency: state.tau, lang: state.lang};
  let data;
  try {
    const response = await fetch("/api/solve", {method: "POST", headers: {"Content-Type": "application/json"},
                                                body: JSON.stringify(body)});
    data = await response.json();
  } catch (err) {
    data = {error: String(err)};
  }
  if (sequence !== state.sequence) return;  // a later request is on its way
  if (data.error) showError(data.error); else render(data);
  document.body.dataset.solved = String(++state.solved);
}

async function load(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  const words = WORDS[lang];
  $("heading").textContent = words.heading;
  $("model-word").textContent = words.model;
  $("reset").textContent = words.reset;
  document.querySelectorAll(".langs button").forEach((b) => b.classList.toggle("active", b.dataset.lang === lang));
  const response = await fetch("/api/models?lang=" + encodeURIComponent(lang));
  state.models = (await response.json()).models;
  if (!state.model) state.model = state.models[0].name;
  const select = $("model");
  select.replaceChildren(...state.models.map((m) => el("option", {value: m.name}, m.title)));
  select.value = state.model;
  buildControls();
  await solve();
}

$("model").addEventListener("change", () => {
  state.model = $("model").value;
  state.values = {};
  state.tau = 0;
  buildControls();
  solve();
});
$("reset").addEventListener("click", () => { state.values = {}; state.tau = 0; buildControls(); solve(); });
document.querySelectorAll(".langs button").forEach((b) => b.addEventListener("click", () => load(b.dataset.lang)));
load(state.lang);
