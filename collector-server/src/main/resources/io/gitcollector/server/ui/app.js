// The status page: plain DOM, no framework, everything from this server. The token lives in this tab's
// sessionStorage only and is sent only to this page's own origin.
"use strict";

const TOKEN_KEY = "git-collector-token";
const REFRESH_MS = 2000;
const SVG = "http://www.w3.org/2000/svg";
const SERIES_NAMES = {
  commits: "commits", pull_requests_opened: "PRs opened", pull_requests_merged: "PRs merged",
  issues_opened: "issues opened", issues_closed: "issues closed", releases: "releases",
};
// the series with a colour of their own in app.css; later ones share one
const CHART_COLOURED = ["commits", "pull_requests_opened", "pull_requests_merged"];
let timer = null;

const $ = (id) => document.getElementById(id);

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  });
  children.flat().forEach((child) => node.append(child instanceof Node ? child : String(child)));
  return node;
}

function token() { return sessionStorage.getItem(TOKEN_KEY); }

function showMessage(text, kind) {
  const message = $("message");
  message.textContent = text;
  message.className = kind || "";
  message.hidden = !text;
}

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + token() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store" });
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    const detail = json && json.detail ? json.detail : response.status + " " + response.statusText;
    throw new ApiError(response.status, detail);
  }
  return json;
}

function explain(error, doing) {
  if (error instanceof ApiError && error.status === 401) {
    return "The token was refused (" + error.message + "). Paste a valid token.";
  }
  if (error instanceof ApiError && error.status === 403) {
    return "The token may not " + doing + ": " + error.message + ".";
  }
  if (error instanceof ApiError) return "Could not " + doing + ": " + error.message;
  return "Could not reach the server to " + doing + " (" + error.message + ").";
}

function ago(iso, now) {
  if (!iso) return "never";
  const seconds = (Date.parse(now) - Date.parse(iso)) / 1000;
  return seconds >= 0 ? duration(seconds) + " ago" : "in " + duration(-seconds);
}

function duration(seconds) {
  if (seconds < 60) return Math.round(seconds) + " s";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min " + Math.round(seconds % 60) + " s";
  if (seconds < 86400) return Math.floor(seconds / 3600) + " h " + Math.round((seconds % 3600) / 60) + " min";
  return Math.floor(seconds / 86400) + " d " + Math.round((seconds % 86400) / 3600) + " h";
}

function webUrl(repositoryId) {
  return "https://" + repositoryId.substring(repositoryId.indexOf(":") + 1);
}

function chart(activity, days) {
  const series = Object.keys(activity);
  const wrapper = el("div", { class: "activity" });
  if (!series.length) {
    wrapper.append(el("span", { class: "muted" }, "none yet"));
    return wrapper;
  }
  const width = 4, gap = 1, height = 28;
  const totals = days.map((_, i) => series.reduce((sum, name) => sum + activity[name][i], 0));
  const max = Math.max(1, ...totals);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "chart");
  svg.setAttribute("width", days.length * (width + gap));
  svg.setAttribute("height", height);
  svg.setAttribute("role", "img");
  days.forEach((day, i) => {
    let y = height;
    series.forEach((name) => {
      const value = activity[name][i];
      if (!value) return;
      const h = Math.max(1, Math.round((value / max) * height));
      y -= h;
      const bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("x", i * (width + gap));
      bar.setAttribute("y", y);
      bar.setAttribute("width", width);
      bar.setAttribute("height", h);
      bar.setAttribute("class", CHART_COLOURED.includes(name) ? name : "other");
      const title = document.createElementNS(SVG, "title");
      title.textContent = day + ": " + value + " " + (SERIES_NAMES[name] || name);
      bar.append(title);
      svg.append(bar);
    });
  });
  const legend = series.map((name) => (SERIES_NAMES[name] || name) + " "
    + activity[name].reduce((a, b) => a + b, 0)).join(" · ");
  svg.setAttribute("aria-label", legend);
  wrapper.append(svg, el("div", { class: "legend" }, legend));
  return wrapper;
}

function button(label, testId, action) {
  const node = el("button", { type: "button", "data-action": testId }, label);
  node.addEventListener("click", action);
  return node;
}

async function act(doing, call, done) {
  try {
    await call();
    showMessage(done, "info");
    refresh();
  } catch (error) {
    showMessage(explain(error, doing));
  }
}

function renderRepositories(overview) {
  const body = $("repositories").tBodies[0];
  body.replaceChildren();
  overview.repositories.forEach((repository) => {
    const id = repository.repository_id;
    const counts = Object.entries(repository.last_counts).map(([stream, count]) => stream + " " + count).join(", ");
    const subscription = repository.subscription;
    const actions = el("td", {},
      button("Collect now", "collect", () => act("start a collection",
        () => api("POST", "/api/v1/collect/trigger", { repository_url: subscription ? subscription.url : webUrl(id) }),
        "Collection of " + id + " queued.")));
    if (subscription) {
      actions.append(" ", button("Unsubscribe", "unsubscribe", () => act("unsubscribe",
        () => api("DELETE", "/api/v1/repositories/" + encodeURIComponent(id)), "Unsubscribed from " + id + ".")));
    }
    body.append(el("tr", { "data-repository": id },
      el("td", {}, id, subscription ? el("div", { class: "muted" }, "every " + subscription.interval) : ""),
      el("td", { class: "status status-" + repository.status }, repository.status),
      el("td", {}, ago(repository.last_sync, overview.now)),
      el("td", {}, repository.next_sync ? ago(repository.next_sync, overview.now) : "not subscribed"),
      el("td", {}, counts || "—"),
      el("td", {}, chart(repository.activity, overview.activity_days)),
      el("td", { class: "error" }, repository.last_error || ""),
      actions));
  });
  $("repository-count").textContent = overview.repositories.length;
  const days = overview.activity_days;
  $("activity-days").textContent = days.length ? days.length + " days to " + days[days.length - 1] : "per day";
}

function renderRunning(overview) {
  const body = $("running").tBodies[0];
  body.replaceChildren();
  overview.running.forEach((run) => {
    const streams = run.streams.map((s) => s.stream + " " + s.entities
      + (s.remaining === undefined ? "" : " (" + s.remaining + " left)")).join(", ");
    // a bar where the platform told how long a pass is (GitHub's commit history), else the counts alone
    const progress = run.percent === undefined
      ? el("span", {}, streams || "starting", el("div", { class: "muted" }, run.kinds.join(", ")))
      : el("span", {}, el("span", { class: "meter" }, meterFill(run.percent / 100)), run.percent.toFixed(0) + " %",
        run.eta_seconds === undefined ? "" : " · ETA " + duration(run.eta_seconds),
        el("div", { class: "muted" }, streams));
    body.append(el("tr", { "data-repository": run.repository_id },
      el("td", {}, run.repository_id), el("td", {}, run.mode), el("td", {}, progress),
      el("td", { class: "pages" }, run.pages), el("td", { class: "entities" }, run.entities),
      el("td", {}, run.entities_per_second + " /s"), el("td", {}, duration(run.elapsed_seconds))));
  });
  $("running-count").textContent = overview.running.length;
  $("running-empty").hidden = overview.running.length > 0;
}

function meterFill(fraction) {
  const fill = el("span");
  fill.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1) + "%";
  return fill;
}

function renderBudgets(overview) {
  const body = $("budgets").tBodies[0];
  body.replaceChildren();
  overview.budgets.forEach((budget) => {
    const fraction = budget.limit > 0 ? budget.remaining / budget.limit : 0;
    const meter = el("span", { class: "meter" + (fraction < 0.1 ? " low" : "") }, meterFill(fraction));
    body.append(el("tr", {},
      el("td", {}, budget.platform, budget.api === "default" ? "" : el("div", { class: "muted" }, budget.api)),
      el("td", {}, el("code", {}, budget.token)), el("td", {}, budget.resource),
      el("td", {}, meter, budget.remaining + " / " + budget.limit),
      el("td", {}, ago(budget.reset, overview.now))));
  });
  $("budgets-empty").hidden = overview.budgets.length > 0;
}

function renderFailures(overview) {
  const body = $("failures").tBodies[0];
  body.replaceChildren();
  overview.failures.forEach((failure) => body.append(el("tr", {},
    el("td", {}, ago(failure.at, overview.now)), el("td", {}, failure.repository_id),
    el("td", { class: "error" }, failure.error))));
  $("failures-empty").hidden = overview.failures.length > 0;
}

async function renderHealth() {
  try {
    const response = await fetch("/health", { cache: "no-store" });
    const health = await response.json();
    const parts = ["sink", "state_store", "job_queue"].filter((name) => health[name])
      .map((name) => name.replace("_", " ") + ": " + health[name].status + " (" + health[name].description + ")");
    $("health").textContent = health.status + " · " + parts.join(" · ");
    $("health").className = health.status === "ok" ? "status-completed" : "status-failed";
  } catch (error) {
    $("health").textContent = "the server does not answer: " + error.message;
    $("health").className = "status-failed";
  }
}

async function refresh() {
  clearTimeout(timer);
  if (!token()) return;
  try {
    const overview = await api("GET", "/api/v1/overview");
    $("sign-in").hidden = true;
    $("board").hidden = false;
    $("sign-out").hidden = false;
    $("version").textContent = "version " + overview.version;
    $("updated").textContent = "updated " + new Date(overview.now).toLocaleTimeString();
    renderRunning(overview);
    renderRepositories(overview);
    renderBudgets(overview);
    renderFailures(overview);
    renderHealth();
    if ($("message").className !== "info") showMessage("");
  } catch (error) {
    showMessage(explain(error, "read the status"));
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      sessionStorage.removeItem(TOKEN_KEY);
      $("sign-in").hidden = false;
      $("board").hidden = true;
      $("sign-out").hidden = true;
      return;
    }
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    showMessage("");
    refresh();
  });
  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
  $("subscribe-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { url: $("subscribe-url").value.trim() };
    const interval = $("subscribe-interval").value.trim();
    if (interval) body.interval = interval;
    act("subscribe", () => api("POST", "/api/v1/repositories", body), "Subscribed to " + body.url + ".");
  });
  $("trigger-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const url = $("trigger-url").value.trim();
    act("start a collection", () => api("POST", "/api/v1/collect/trigger",
      { repository_url: url, full_sync: $("trigger-full").checked }), "Collection of " + url + " queued.");
  });
  refresh();
});
