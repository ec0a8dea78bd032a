/**
 * The web page (GET / on the gateway): sign-in, chat, the task list with its filters, live updates
 * from the device stream, reminders as notifications. Plain DOM; the markup is gateway/web/page.ts.
 */
import { Api, ApiFailure } from './api.mjs';
import { dueText, formatInstant, isOverdue, PRIORITY_LABEL, reminderText } from './format.mjs';
import { LiveStream, type ConnectionState } from './liveStream.mjs';
import { recurrenceInWords } from './recurrenceWords.mjs';
import { NO_FILTER, SeenIds, TaskStore, type Filter } from './taskStore.mjs';
import type { Priority, StreamEvent, Task } from './types.mjs';

const TOKEN_KEY = 'todo-actors.token';
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

/** The `sub` of a JWT, for showing who is signed in (the server checks the token; this only reads it). */
function subjectOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- sign-in

async function setUpSignIn(): Promise<void> {
  const error = $('signin-error');
  const devForm = $<HTMLFormElement>('dev-signin');
  const dev = await fetch('/dev/token', { cache: 'no-store' }).then((r) => r.ok, () => false);
  devForm.hidden = !dev;
  devForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const user = $<HTMLInputElement>('dev-user').value.trim();
    const email = $<HTMLInputElement>('dev-email').value.trim();
    void fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, ...(email ? { email } : {}) }) })
      .then(async (r) => {
        const body = (await r.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
        if (!r.ok || !body.token) throw new Error(body.error?.message ?? `development sign-in failed (HTTP ${r.status})`);
        signIn(body.token);
      })
      .catch((err: unknown) => {
        error.textContent = err instanceof Error ? err.message : String(err);
      });
  });
  $<HTMLFormElement>('token-signin').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const token = $<HTMLTextAreaElement>('token-input').value.trim();
    if (!subjectOf(token)) {
      error.textContent = 'that does not look like a JWT (three base64url parts with a sub claim)';
      return;
    }
    signIn(token);
  });
}

let session: Session | undefined;

function signIn(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  $<HTMLTextAreaElement>('token-input').value = '';
  $('signin').hidden = true;
  $('app').hidden = false;
  $('account').hidden = false;
  $('who').textContent = `signed in as ${subjectOf(token) ?? '?'} · times in ${zone}`;
  session = new Session(token);
  $<HTMLInputElement>('chat-input').focus();
}

function signOut(why?: string): void {
  sessionStorage.removeItem(TOKEN_KEY);
  session?.close();
  session = undefined;
  $('app').hidden = true;
  $('account').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = why ?? '';
  $('chat-log').replaceChildren();
  $('task-list').replaceChildren();
  $('notifications').replaceChildren();
}

// ---------------------------------------------------------------- a signed-in tab

class Session {
  readonly api: Api;
  readonly store = new TaskStore();
  readonly live: LiveStream;
  private readonly notified = new SeenIds();
  /** Events that arrive while a REST snapshot is fetched; undefined when none is. */
  private buffered: StreamEvent[] | undefined;
  private unauthorized = false;
  filter: Filter = { ...NO_FILTER };

  constructor(token: string) {
    this.api = new Api(token, zone, (why) => {
      this.unauthorized = true;
      signOut(`signed out: ${why}`);
    });
    this.live = new LiveStream({
      ticket: () => this.api.streamTicket(),
      event: (e) => this.onEvent(e),
      resync: () => void this.reload(),
      connected: ({ first, replaying }) => {
        // First socket, or one that could not ask for what it missed: the REST API says what there is.
        if (first || !replaying) void this.reload();
      },
      state: (s, detail) => showConnection(s, detail),
      unauthorized: () => this.unauthorized,
    });
    this.live.start();
  }

  close(): void {
    this.live.stop();
  }

  async reload(): Promise<void> {
    this.buffered = [];
    try {
      const tasks = await this.api.allTasks();
      this.store.resync(tasks, this.buffered);
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return;
      announce(`Could not load the tasks: ${(err as Error).message}`);
    } finally {
      this.buffered = undefined;
    }
    renderTasks(this);
  }

  onEvent(e: StreamEvent): void {
    this.buffered?.push(e);
    const changed = this.store.apply(e);
    if (e.type === 'reminder.due' && this.notified.first(e.eventId)) notifyReminder(e);
    if (changed) renderTasks(this);
  }

  /** Applies a task the API answered with (the stream brings it too; versions make that harmless). */
  take(...tasks: Array<Task | null | undefined>): void {
    let changed = false;
    for (const t of tasks) if (t) changed = this.store.upsert(t) || changed;
    if (changed) renderTasks(this);
  }
}

// ---------------------------------------------------------------- connection, announcements

function showConnection(s: ConnectionState, detail: string): void {
  const box = $('connection');
  box.dataset.state = s;
  $('connection-text').textContent = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' }[s];
  box.title = detail;
}

/** A short message for screen readers and eyes alike. */
function announce(text: string): void {
  $('announcer').textContent = text;
}

// ---------------------------------------------------------------- reminders

function notifyReminder(e: StreamEvent): void {
  const task = e.data.task;
  const title = task?.title ?? 'a task';
  const when = task?.due ? dueText(task, zone) : e.data.fireAt ? `set for ${formatInstant(e.data.fireAt, zone)}` : '';
  const close = el('button', { type: 'button', class: 'dismiss', 'aria-label': `Dismiss the reminder for ${title}`, text: 'Dismiss' });
  const toast = el('div', { class: 'toast', role: 'alert', 'data-task-id': e.taskId },
    el('strong', { text: 'Reminder: ' }), el('span', { class: 'toast-title', text: title }), when ? el('span', { class: 'toast-when', text: ` — ${when}` }) : '', close);
  close.addEventListener('click', () => toast.remove());
  $('notifications').prepend(toast);
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      new Notification(`Reminder: ${title}`, { body: when, tag: e.eventId });
    } catch {
      /* some browsers allow notifications only from a service worker: the page's own notice is shown anyway */
    }
  }
}

function setUpNotificationButton(): void {
  const b = $<HTMLButtonElement>('notify-allow');
  const refresh = () => {
    b.hidden = !('Notification' in window) || Notification.permission !== 'default';
  };
  refresh();
  b.addEventListener('click', () => void Notification.requestPermission().then(refresh));
}

// ---------------------------------------------------------------- chat

function addChatLine(who: 'me' | 'server', text: string, question = false): void {
  const log = $('chat-log');
  log.append(el('li', { class: `chat-${who}${question ? ' chat-question' : ''}` }, el('span', { class: 'visually-hidden', text: who === 'me' ? 'You: ' : question ? 'Question: ' : 'Reply: ' }), text));
  log.scrollTop = log.scrollHeight;
}

function setUpChat(): void {
  const form = $<HTMLFormElement>('chat-form');
  const input = $<HTMLInputElement>('chat-input');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const s = session;
    const message = input.value.trim();
    if (!s || !message) return;
    input.value = '';
    addChatLine('me', message);
    const send = form.querySelector('button') as HTMLButtonElement;
    send.disabled = true;
    void s.api.chat(message)
      .then((r) => {
        const question = r.intent === 'clarify';
        addChatLine('server', r.reply, question);
        input.placeholder = question ? 'Your answer…' : 'e.g. remind me every Monday at 9 to send the report';
        if (r.intent === 'delete') for (const t of r.tasks) s.store.remove(t.id, t.version);
        s.take(...(r.intent === 'delete' ? [] : r.tasks));
        renderTasks(s);
      })
      .catch((err: unknown) => addChatLine('server', `Sorry, that failed: ${(err as Error).message}`))
      .finally(() => {
        send.disabled = false;
        input.focus();
      });
  });
}

// ---------------------------------------------------------------- tasks

function setUpFilters(): void {
  const read = () => {
    if (!session) return;
    session.filter = {
      q: $<HTMLInputElement>('filter-q').value,
      status: $<HTMLSelectElement>('filter-status').value as Filter['status'],
      tag: $<HTMLSelectElement>('filter-tag').value,
      priority: $<HTMLSelectElement>('filter-priority').value as Priority | '',
    };
    renderTasks(session);
  };
  $('filters').addEventListener('input', read);
  $('filters').addEventListener('change', read);
  $<HTMLFormElement>('filters').addEventListener('submit', (ev) => ev.preventDefault());
}

function taskItem(t: Task): HTMLLIElement {
  const meta = el('ul', { class: 'meta' });
  const add = (cls: string, label: string, text: string) => meta.append(el('li', { class: cls }, el('span', { class: 'visually-hidden', text: `${label}: ` }), text));
  add(`due${isOverdue(t, Date.now()) ? ' overdue' : ''}`, 'Due', `${dueText(t, zone)}${isOverdue(t, Date.now()) ? ' · overdue' : ''}`);
  if (t.recurrence) add('recurrence', 'Repeats', `repeats ${recurrenceInWords(t.recurrence.rule, t.recurrence.from === 'completion')}`);
  if (t.priority !== 'none') add(`priority priority-${t.priority}`, 'Priority', `${PRIORITY_LABEL[t.priority]} priority`);
  if (t.reminders.length) add('reminders', 'Reminders', `${t.reminders.length === 1 ? 'reminder' : 'reminders'} ${t.reminders.map((r) => reminderText(r, zone)).join(', ')}`);
  const tags = t.tags.length ? el('ul', { class: 'tags', 'aria-label': 'Tags' }, ...t.tags.map((tag) => el('li', { class: 'tag', text: `#${tag}` }))) : '';
  const toggle = el('button', { type: 'button', 'data-action': t.status === 'open' ? 'complete' : 'reopen', 'aria-label': `${t.status === 'open' ? 'Complete' : 'Reopen'} “${t.title}”`, text: t.status === 'open' ? 'Complete' : 'Reopen' });
  const del = el('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `Delete “${t.title}”`, text: 'Delete' });
  const li = el('li', { class: `task status-${t.status}`, 'data-task-id': t.id, 'data-version': String(t.version) },
    el('h3', { class: 'task-title', text: t.title }),
    t.description ? el('p', { class: 'description', text: t.description }) : '',
    meta, tags, el('div', { class: 'actions' }, toggle, del));
  return li;
}

function act(s: Session, id: string, action: string): void {
  const t = s.store.tasks.get(id);
  const name = t?.title ?? 'the task';
  const done = (msg: string) => announce(msg);
  const failed = (err: unknown) => announce(`Could not ${action} “${name}”: ${(err as Error).message}`);
  if (action === 'complete') {
    void s.api.complete(id).then((r) => {
      s.take(r.task, r.next);
      done(`Completed “${name}”${r.next ? `; the next one is ${dueText(r.next, zone)}` : ''}`);
    }, failed);
  } else if (action === 'reopen') {
    void s.api.reopen(id).then((task) => {
      s.take(task);
      done(`Reopened “${name}”`);
    }, failed);
  } else if (action === 'delete') {
    void s.api.remove(id).then(() => {
      if (s.store.remove(id, t?.version)) renderTasks(s);
      done(`Deleted “${name}”`);
    }, failed);
  }
}

function renderTasks(s: Session): void {
  if (session !== s) return;
  const list = $<HTMLUListElement>('task-list');
  const active = document.activeElement as HTMLElement | null;
  const focusTask = active?.closest<HTMLElement>('[data-task-id]')?.dataset.taskId;
  const focusAction = active?.dataset.action;

  const existing = new Map<string, HTMLLIElement>();
  for (const li of Array.from(list.children) as HTMLLIElement[]) existing.set(li.dataset.taskId ?? '', li);
  const items = s.store.view(s.filter).map((t) => {
    const old = existing.get(t.id);
    return old && old.dataset.version === String(t.version) ? old : taskItem(t);
  });
  list.replaceChildren(...items);
  if (focusTask && !list.contains(document.activeElement)) {
    const again = list.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(focusTask)}"] [data-action="${focusAction ?? ''}"]`)
      ?? list.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(focusTask)}"] button`);
    again?.focus();
  }
  $('empty').hidden = items.length > 0;
  const open = [...s.store.tasks.values()].filter((t) => t.status === 'open').length;
  $('task-count').textContent = `(${items.length} shown, ${open} open)`;

  const tagSelect = $<HTMLSelectElement>('filter-tag');
  const chosen = tagSelect.value;
  const tags = s.store.tags();
  if (chosen && !tags.includes(chosen)) tags.push(chosen);
  const wanted = ['', ...tags];
  if (Array.from(tagSelect.options).map((o) => o.value).join('\n') !== wanted.join('\n')) {
    tagSelect.replaceChildren(...wanted.map((v) => el('option', { value: v, text: v ? `#${v}` : 'Any tag' })));
    tagSelect.value = chosen;
  }
}

function setUpTaskActions(): void {
  $('task-list').addEventListener('click', (ev) => {
    const button = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const id = button?.closest<HTMLElement>('[data-task-id]')?.dataset.taskId;
    if (session && button && id) act(session, id, button.dataset.action ?? '');
  });
}

// ---------------------------------------------------------------- start

function main(): void {
  $('sign-out').addEventListener('click', () => signOut());
  setUpNotificationButton();
  setUpChat();
  setUpFilters();
  setUpTaskActions();
  void setUpSignIn();
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) signIn(token);
  else showConnection('offline', 'not signed in');
}

main();
