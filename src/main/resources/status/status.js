// The Automatix status page: asks for an API token once (kept for this tab only, in
// sessionStorage), then polls GET /api/status every two seconds and redraws each section.
// Every value from the server is set as text, never as HTML.
"use strict";

const REFRESH_MS = 2000;
const TOKEN_KEY = "automatix-token";

// Lifecycle order of the statuses, so that the tables read top to bottom as runs move.
const RAW_ORDER = ["acquired", "transferring", "ondeck", "compressed", "archived",
  "transfer_failed", "compress_failed", "archive_failed"];
const PROCESSED_ORDER = ["none", "queued", "processing", "processed", "failed"];

let timer = null;

// --- DOM helpers ----------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "class") {
      node.className = value;
    } else {
      node.setAttribute(key, value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

// Puts nodes (or lists of nodes) in place of what the element showed.
function replace(id, ...nodes) {
  document.getElementById(id).replaceChildren(...nodes.flat());
}

function empty(text) {
  return el("p", {class: "empty"}, text);
}

function table(headers, rows, className) {
  return el("table", className ? {class: className} : {},
    el("thead", {}, el("tr", {}, headers.map(h => el("th", {}, h)))),
    el("tbody", {}, rows.map(cells => el("tr", {}, cells.map(c => el("td", {}, c))))));
}

// The colour of a state says whether it is done, moving, waiting or broken.
function tone(state) {
  if (/^(succeeded|processed|ondeck|archived|compressed|dispatched|active|allocated|submitted)$/.test(state)) {
    return "good";
  } else if (/^(running|processing|transferring|dispatching|starting|stopping)$/.test(state)) {
    return "busy";
  } else if (/^(queued|submitting|pending|formatted|acquired|waiting)$/.test(state)) {
    return "wait";
  } else if (/failed|^(lost|escalated|notified)$/.test(state)) {
    return "bad";
  }
  return "idle";
}

function badge(state) {
  return state ? el("span", {class: "badge " + tone(state)}, state) : "";
}

// A bar of stacked segments, each [count, tone], out of total; what is left stays grey.
function bar(total, segments, label) {
  const fills = total <= 0 ? [] : segments.filter(([count]) => count > 0).map(([count, colour]) => {
    const fill = el("div", {class: "fill " + colour});
    fill.style.width = (100 * count / total) + "%"; // through the CSSOM: the page's CSP refuses inline styles
    return fill;
  });
  return el("div", {class: "bar", title: label || ""}, fills);
}

function time(iso) {
  if (!iso) {
    return "";
  }
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return today ? at.toLocaleTimeString() : at.toLocaleString();
}

// A time in a table cell, kept on one line.
function when(iso) {
  return el("span", {class: "time"}, time(iso));
}

function bytes(n) {
  if (n === null || n === undefined) {
    return "";
  }
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

// --- Sections -------------------------------------------------------------------------------

function ordered(counts, order) {
  const known = order.filter(s => s in counts);
  const others = Object.keys(counts).filter(s => !order.includes(s)).sort();
  return known.concat(others);
}

function renderRuns(runs) {
  const axis = (title, counts, order) => el("div", {class: "axis"},
    el("h3", {}, title),
    table(["status", "runs", ""], ordered(counts, order).map(s =>
      [badge(s), el("span", {class: "count"}, counts[s]), bar(runs.total, [[counts[s], tone(s)]])])));
  replace("runs",
    el("p", {class: "total"}, el("span", {class: "count"}, runs.total), " runs in the database"),
    el("div", {class: "axes"},
      axis("Raw data", runs.raw_status, RAW_ORDER),
      axis("Processing", runs.processed_status, PROCESSED_ORDER)));
}

function renderJobs(jobs) {
  const inFlight = jobs.in_flight.length === 0 ? empty("No jobs in flight.")
    : table(["cluster", "submitting", "queued", "running"],
        jobs.in_flight.map(c => [c.cluster, c.submitting, c.queued, c.running]), "compact");
  const recent = jobs.recent.length === 0 ? empty("No jobs yet.")
    : table(["job", "state", "cluster", "attempt", "submitted", "started", "finished", "why it ended"],
        jobs.recent.map(j => [el("code", {}, j.name), badge(j.state), j.cluster, j.attempt,
          when(j.submitted_at), when(j.started_at), when(j.finished_at),
          j.reason ? `${j.reason}${j.reason_detail ? ": " + j.reason_detail : ""}` : ""]));
  replace("jobs", el("h3", {}, "In flight"), inFlight, el("h3", {}, "Recent"), recent);
}

function renderPipelines(pipelines) {
  if (pipelines.length === 0) {
    replace("pipelines", empty("No run is being processed."));
    return;
  }
  const legend = el("p", {class: "legend muted"}, [["good", "succeeded"], ["busy", "running"], ["wait", "queued"],
    ["bad", "failed"], ["none", "pending"]].map(([colour, state]) => el("span", {}, el("i", {class: "fill " + colour}), state)));
  replace("pipelines", legend, pipelines.map(p => {
    const more = p.runs > p.first_runs.length ? ", …" : "";
    return el("div", {class: "pipeline"},
      el("h3", {}, p.pipeline, " ", el("span", {class: "muted"}, p.runs + (p.runs === 1 ? " run" : " runs"))),
      el("p", {class: "runs muted"}, p.first_runs.join(", ") + more),
      table(["step", "progress", "succeeded", "running", "queued", "pending", "failed"],
        p.steps.map(s => [el("strong", {}, s.step),
          el("div", {class: "progress"},
            bar(s.total, [[s.succeeded, "good"], [s.running, "busy"], [s.queued, "wait"], [s.failed, "bad"]],
              s.succeeded + " succeeded, " + s.running + " running, " + s.queued + " queued, " + s.pending
                + " pending, " + s.failed + " failed"),
            el("span", {}, s.succeeded + "/" + s.total)),
          s.succeeded, s.running, s.queued, s.pending, s.failed])));
  }));
}

function renderTransfers(transfers) {
  const running = transfers.running || [];
  const title = transfers.dry_run ? el("p", {class: "muted"}, "Dry run: nothing is changed.") : null;
  if (running.length === 0) {
    replace("transfers", title || [], empty("No transfer running."));
    return;
  }
  replace("transfers", title || [], running.map(t => el("div", {class: "transfer"},
    el("div", {class: "line"}, el("strong", {}, t.run), el("span", {class: "muted"}, t.from + " → " + t.to)),
    el("div", {class: "progress"}, bar(100, [[t.percent || 0, "busy"]]), el("span", {}, (t.percent || 0) + " %")),
    el("div", {class: "muted"}, bytes(t.bytes) + " · " + bytes(t.rate_bytes_per_second) + "/s · ETA " + (t.eta || "?")))));
}

function renderSupervisions(supervisions) {
  replace("supervisions", supervisions.length === 0 ? empty("No supervision yet.")
    : table(["job", "trigger", "dispatch", "execution", "error", "created"], supervisions.map(s =>
      // a stuck job's supervision: the scheduler's words, and how it closed once it did
      [el("code", {}, s.job), s.trigger, badge(s.dispatch_status),
        badge(s.execution_status || s.closed_as || (s.trigger === "stuck" ? "waiting" : null)),
        el("span", {class: "error"}, s.dispatch_error || s.detail || ""), when(s.created_at)])));
}

// An alert reached a person or gave up, so its recovery never ran: no execution status to show.
function renderAlerts(alerts) {
  replace("alerts", alerts.length === 0 ? empty("No alerts.")
    : table(["job", "trigger", "dispatch", "error", "created"], alerts.map(s =>
      [el("code", {}, s.job), s.trigger, badge(s.dispatch_status),
        el("span", {class: "error"}, s.dispatch_error || s.detail || ""),
        when(s.created_at)])));
  document.getElementById("alerts").closest(".card").classList.toggle("alarm", alerts.length > 0);
}

function renderSessions(sessions) {
  replace("sessions", sessions.length === 0 ? empty("No live session.") : sessions.map(s =>
    el("div", {class: "session"},
      el("div", {class: "line"}, el("strong", {}, s.name), el("span", {class: "muted"}, s.owner + " on " + (s.cluster || "?")),
        badge(s.status)),
      el("ul", {class: "steps"}, s.steps.map(st =>
        el("li", {}, st.step, " ", badge(st.status === "stopped" ? st.outcome : st.status)))))));
}

function render(report) {
  renderRuns(report.runs);
  renderJobs(report.jobs);
  renderPipelines(report.pipelines);
  renderTransfers(report.transfers);
  renderSupervisions(report.supervisions);
  renderAlerts(report.alerts);
  renderSessions(report.sessions);
  const updated = document.getElementById("updated");
  updated.textContent = "updated " + time(report.generated_at);
  updated.dataset.generatedAt = report.generated_at;
}

// --- Polling --------------------------------------------------------------------------------

function say(text, isError) {
  const message = document.getElementById("message");
  message.textContent = text;
  message.classList.toggle("error", Boolean(isError));
}

// Signed in with OIDC (GET /auth/session): the API takes the session cookie, no token is asked for.
let signedIn = null;

async function checkSignIn() {
  try {
    const response = await fetch("/auth/session", {cache: "no-store", signal: AbortSignal.timeout(10000)});
    if (response.status === 404) {
      return; // OIDC is not configured: tokens only
    }
    document.getElementById("signin").hidden = false;
    if (response.ok) {
      signedIn = await response.json();
      document.getElementById("login").hidden = true;
      document.getElementById("signout").hidden = false;
      document.getElementById("user").textContent = signedIn.user + " (" + signedIn.role + ")";
      refresh();
    }
  } catch (e) {
    say("Could not ask whether you are signed in (" + e.message + ").", true);
  }
}

async function refresh() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token && !signedIn) {
    return;
  }
  try {
    const headers = {"Accept": "application/json"};
    if (token) {
      headers["Authorization"] = "Bearer " + token;
    }
    const response = await fetch("/api/status", {
      headers: headers,
      credentials: "same-origin",
      cache: "no-store",
      signal: AbortSignal.timeout(10000)
    });
    if (response.status === 401) {
      // a wrong or revoked token, or an ended sign-in: ask again rather than retry forever
      sessionStorage.removeItem(TOKEN_KEY);
      document.body.classList.remove("connected");
      say(signedIn ? "The sign-in has ended: sign in again." : "The token was refused.", true);
      signedIn = null;
      return;
    }
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
    render(await response.json());
    say("");
    document.body.classList.add("connected");
  } catch (e) {
    say("Refresh failed (" + e.message + "); retrying.", true);
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

function connect(event) {
  event.preventDefault();
  const input = document.getElementById("token");
  const token = input.value.trim();
  if (!token) {
    say("Paste an API token first.", true);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  input.value = "";
  clearTimeout(timer);
  say("Connecting…");
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("login").addEventListener("submit", connect);
  if (sessionStorage.getItem(TOKEN_KEY)) {
    refresh();
  } else {
    checkSignIn();
  }
});
