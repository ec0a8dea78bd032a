// The mixed user workload (scenario 1, also the soak's and the fixed-load resource run's): per
// iteration one request of a user picked at random, 90 % reads.
//   list 65 %, get one task 20 %, chat question 5 %      → reads 90 %
//   create 6 %, complete (a task this VU created; a create when it has none) 3 %, chat command 1 %  → writes 10 %
import { check } from 'k6';
import { chat, completeTask, createTask, getTask, listTasks, pick } from './api.js';

const READ_QUESTIONS = ["what's overdue?", 'show my high priority tasks'];
const WRITE_COMMANDS = ['add buy milk tomorrow at 5pm #errands', 'remind me to call mum on friday at 6pm'];

/** Tasks this VU created and has not completed yet, with their users. */
const mine = [];

export function mixedIteration(users, opts = {}) {
  const u = pick(users);
  const r = Math.random();
  if (r < 0.65) {
    const res = listTasks(u, 20);
    check(res, { 'list 200': (x) => x.status === 200 });
  } else if (r < 0.85) {
    const res = getTask(u, pick(u.taskIds));
    check(res, { 'get 200': (x) => x.status === 200 });
  } else if (r < 0.9) {
    const res = chat(u, pick(READ_QUESTIONS));
    check(res, { 'chat 200': (x) => x.status === 200 });
  } else if (r < 0.99) {
    if (r >= 0.96 && mine.length) {
      const t = mine.pop();
      const res = completeTask(t.user, t.id);
      check(res, { 'complete 200': (x) => x.status === 200 });
      return;
    }
    const body = { title: `mixed ${Date.now()}`, priority: 'medium', tags: ['bench'] };
    if (opts.reminderInMs) body.reminders = [{ at: new Date(Date.now() + opts.reminderInMs).toISOString() }];
    const res = createTask(u, body);
    if (check(res, { 'create 201': (x) => x.status === 201 })) {
      mine.push({ user: u, id: res.json('id') });
    }
  } else {
    const res = chat(u, pick(WRITE_COMMANDS));
    check(res, { 'chat 200': (x) => x.status === 200 });
  }
}

export const MIXED_ENDPOINTS = ['list', 'get', 'chat', 'create', 'complete'];
