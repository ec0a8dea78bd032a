/**
 * The web page's markup and style sheet, served by gateway/web/webRoutes.ts. They live in code so
 * that the gateway's compiled folder (all its image holds) carries them; the page's script is the
 * browser project in gateway/web/client/, compiled to dist/gateway/web/client/*.mjs.
 * No inline script or style: the Content-Security-Policy allows only this origin's files.
 */
import { MAX_CHAT_MESSAGE_LENGTH } from '../../common/actorApi';

const PRIORITY_OPTIONS = ['urgent', 'high', 'medium', 'low', 'none']
  .map((p) => `<option value="${p}">${p === 'none' ? 'No priority' : p[0].toUpperCase() + p.slice(1)}</option>`).join('');

export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>todo-actors</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/web/style.css">
<script type="module" src="/web/app.mjs"></script>
</head>
<body>
<a class="skip" href="#chat-input">Skip to the chat box</a>
<header>
  <h1>todo-actors</h1>
  <p id="connection" role="status" data-state="offline"><span class="dot" aria-hidden="true"></span> <span id="connection-text">Offline</span></p>
  <div id="account" hidden>
    <span id="who"></span>
    <button id="notify-allow" type="button" hidden>Allow notifications</button>
    <button id="sign-out" type="button">Sign out</button>
  </div>
</header>
<main>
  <section id="signin" aria-labelledby="signin-title">
    <h2 id="signin-title">Sign in</h2>
    <form id="dev-signin" hidden>
      <p class="hint">This gateway runs with the development secret: pick any user name.</p>
      <label for="dev-user">User name</label>
      <input id="dev-user" name="user" autocomplete="username" required maxlength="128" pattern="[A-Za-z0-9._@:\\|+\\-]{1,128}" title="letters, digits and . _ @ : | + -">
      <label for="dev-email">Email for reminders (optional)</label>
      <input id="dev-email" name="email" type="email" autocomplete="email">
      <button type="submit">Sign in</button>
    </form>
    <form id="token-signin">
      <label for="token-input">Paste a token (JWT)</label>
      <textarea id="token-input" name="token" rows="3" required autocomplete="off" spellcheck="false"></textarea>
      <button type="submit">Use this token</button>
      <p class="hint">The token stays in this tab (session storage) and is sent only as an Authorization header.</p>
    </form>
    <p id="signin-error" role="alert"></p>
  </section>

  <div id="app" hidden>
    <section id="notifications" aria-label="Reminders"></section>
    <p id="announcer" class="visually-hidden" role="status" aria-live="polite"></p>

    <section id="chat" aria-labelledby="chat-title">
      <h2 id="chat-title">Chat</h2>
      <ol id="chat-log" aria-live="polite" aria-label="Conversation"></ol>
      <form id="chat-form">
        <label for="chat-input" class="visually-hidden">Message</label>
        <input id="chat-input" name="message" autocomplete="off" required maxlength="${MAX_CHAT_MESSAGE_LENGTH}" placeholder="e.g. remind me every Monday at 9 to send the report">
        <button type="submit">Send</button>
      </form>
    </section>

    <section id="tasks" aria-labelledby="tasks-title">
      <h2 id="tasks-title">Tasks <span id="task-count"></span></h2>
      <form id="filters" role="search" aria-label="Filter the tasks">
        <div><label for="filter-q">Search</label><input id="filter-q" type="search" autocomplete="off"></div>
        <div><label for="filter-status">Show</label><select id="filter-status"><option value="open">Open</option><option value="completed">Completed</option><option value="all">All</option></select></div>
        <div><label for="filter-tag">Tag</label><select id="filter-tag"><option value="">Any tag</option></select></div>
        <div><label for="filter-priority">Priority</label><select id="filter-priority"><option value="">Any priority</option>${PRIORITY_OPTIONS}</select></div>
      </form>
      <ul id="task-list" aria-label="Tasks"></ul>
      <p id="empty">No tasks here.</p>
    </section>
  </div>
</main>
</body>
</html>
`;

export const STYLE_CSS = `:root { --fg: #1b1f24; --muted: #57606a; --bg: #fff; --card: #f6f8fa; --line: #d0d7de; --accent: #0b5cad; --danger: #b42318; --ok: #1a7f37; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b1; --bg: #0d1117; --card: #161b22; --line: #30363d; --accent: #58a6ff; --danger: #ff7b72; --ok: #3fb950; --warn: #d29922; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.25rem; margin: 0; margin-right: auto; }
#account { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; font-size: .9rem; color: var(--muted); }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
label { display: block; font-weight: 600; margin: .6rem 0 .2rem; }
input, select, textarea, button { font: inherit; color: inherit; }
input, select, textarea { width: 100%; padding: .5rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
button { padding: .45rem .9rem; border: 1px solid var(--accent); border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; min-height: 2.5rem; }
button.danger { background: transparent; color: var(--danger); border-color: var(--danger); }
#account button, .dismiss { background: transparent; color: var(--accent); }
button:disabled { opacity: .6; cursor: progress; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
form button[type=submit] { margin-top: .6rem; }
.hint { color: var(--muted); font-size: .9rem; }
#signin-error { color: var(--danger); }
#dev-signin:not([hidden]) + #token-signin { margin-top: 1.5rem; padding-top: .8rem; border-top: 1px solid var(--line); }
#connection { margin: 0; display: flex; align-items: center; gap: .35rem; font-size: .9rem; }
#connection .dot { width: .7rem; height: .7rem; border-radius: 50%; background: var(--muted); display: inline-block; }
#connection[data-state=live] .dot { background: var(--ok); }
#connection[data-state=connecting] .dot, #connection[data-state=reconnecting] .dot { background: var(--warn); }
#connection[data-state=offline] .dot { background: var(--danger); }
#chat-log { list-style: none; margin: 0; padding: .5rem; max-height: 16rem; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--card); min-height: 3rem; }
#chat-log:empty::before { content: "Write what you want done, e.g. “remind me every Monday at 9 to send the report”, “what is due this week?”, “mark it as done”."; color: var(--muted); }
#chat-log li { margin: .3rem 0; padding: .35rem .6rem; border-radius: 6px; max-width: 90%; }
#chat-log .chat-me { margin-left: auto; background: var(--accent); color: #fff; width: fit-content; }
#chat-log .chat-server { background: var(--bg); border: 1px solid var(--line); width: fit-content; }
#chat-log .chat-question { border-color: var(--warn); border-width: 2px; }
#chat-form { display: flex; gap: .5rem; align-items: flex-end; margin-top: .5rem; }
#chat-form input { flex: 1; }
#chat-form button { margin: 0; }
#filters { display: grid; grid-template-columns: 2fr repeat(3, 1fr); gap: .5rem; }
#filters label { margin-top: 0; font-size: .9rem; }
#task-list { list-style: none; margin: .8rem 0 0; padding: 0; }
.task { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; margin-bottom: .6rem; background: var(--card); }
.task h3 { margin: 0 0 .2rem; font-size: 1.05rem; overflow-wrap: anywhere; }
.task.status-completed h3 { text-decoration: line-through; color: var(--muted); }
.task .description { margin: .2rem 0; color: var(--muted); overflow-wrap: anywhere; }
.meta, .tags { list-style: none; margin: .2rem 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .9rem; font-size: .92rem; }
.meta .overdue { color: var(--danger); font-weight: 600; }
.priority { font-weight: 600; }
.priority-urgent, .priority-high { color: var(--danger); }
.priority-medium { color: var(--warn); }
.tag { background: var(--bg); border: 1px solid var(--line); border-radius: 999px; padding: 0 .55rem; }
.actions { display: flex; gap: .5rem; margin-top: .4rem; }
#notifications { position: sticky; top: 0; z-index: 2; }
.toast { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem; padding: .6rem .8rem; margin: .5rem 0; border: 2px solid var(--warn); border-radius: 8px; background: var(--card); }
.toast .dismiss { margin-left: auto; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .3rem .6rem; z-index: 3; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
[hidden] { display: none !important; }
@media (max-width: 40rem) {
  main { padding: .6rem; }
  #filters { grid-template-columns: 1fr 1fr; }
  #filters div:first-child { grid-column: 1 / -1; }
  #chat-form { flex-direction: column; align-items: stretch; }
  .actions button { flex: 1; }
}
`;
