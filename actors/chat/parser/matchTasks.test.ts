import assert from 'node:assert/strict';
import { contentWords, matchTasks, type TaskSummary } from './matchTasks';

const task = (id: string, title: string, tags: string[] = [], status: TaskSummary['status'] = 'open'): TaskSummary => ({ id, title, tags, status });
const text = (t: string) => ({ kind: 'text' as const, text: t });
const TASKS = [
  task('dentist-appt', 'Dentist appointment'),
  task('report-send', 'Send the Q4 report', ['work']),
  task('report-write', 'Write report', ['work']),
  task('expenses', 'Submit expenses', ['finance']),
  task('stamps-done', 'Buy stamps', [], 'completed'),
  task('stamps-open', 'Buy stamps for the wedding cards'),
  task('cafe', 'Café Müller booking'),
];
const ids = (ref: Parameters<typeof matchTasks>[0], tasks = TASKS, last: string[] = [], prefer?: TaskSummary['status']) =>
  matchTasks(ref, tasks, last, prefer ? { prefer } : undefined).matches;

describe('matching a reference to tasks', () => {
  it('matches "dentist appointment" to "Dentist appointment", and to "Dentist" when that is the task', () => {
    assert.deepEqual(ids(text('dentist appointment')), ['dentist-appt']);
    assert.deepEqual(ids(text('the dentist appointment'), [task('d', 'Dentist'), task('x', 'Gym')]), ['d']);
    assert.deepEqual(ids(text('dentist appointment'), [task('d', 'Call the dentist'), task('x', 'Gym')]), ['d']);
    assert.deepEqual(ids(text('dentist')), ['dentist-appt']);
  });

  it('is case-, accent- and plural-insensitive and ignores articles', () => {
    assert.deepEqual(ids(text('THE EXPENSE')), ['expenses']);
    assert.deepEqual(ids(text('cafe muller')), ['cafe']);
    assert.deepEqual(ids(text('my q4 report')), ['report-send']);
  });

  it('returns every task that matches equally well, so the endpoint can ask which one', () => {
    assert.deepEqual(ids(text('report')), ['report-send', 'report-write']);
    assert.deepEqual(ids(text('work')), ['report-send', 'report-write']);
  });

  it('prefers an exact title over titles that only contain the words', () => {
    assert.deepEqual(ids(text('buy stamps')), ['stamps-done']);
    assert.deepEqual(ids(text('stamps')), ['stamps-done', 'stamps-open']);
  });

  it('narrows several matches to the preferred status when it can', () => {
    assert.deepEqual(ids(text('stamps'), TASKS, [], 'completed'), ['stamps-done']);
    assert.deepEqual(ids(text('stamps'), TASKS, [], 'open'), ['stamps-open']);
    assert.deepEqual(ids(text('report'), TASKS, [], 'completed'), ['report-send', 'report-write']);
  });

  it('forgives a typo or a prefix when nothing matches exactly', () => {
    assert.deepEqual(ids(text('dentst')), ['dentist-appt']);
    assert.deepEqual(ids(text('expen')), ['expenses']);
  });

  it('finds nothing for unrelated words or only filler words', () => {
    assert.deepEqual(ids(text('gym')), []);
    assert.deepEqual(ids(text('the one task')), []);
    assert.deepEqual(ids(text('report'), []), []);
  });

  it('resolves a pronoun to the tasks last mentioned that still exist, in order', () => {
    assert.deepEqual(ids({ kind: 'pronoun' }, TASKS, ['expenses']), ['expenses']);
    assert.deepEqual(ids({ kind: 'pronoun' }, TASKS, ['gone', 'report-write', 'report-send', 'report-write']), ['report-write', 'report-send']);
    assert.deepEqual(ids({ kind: 'pronoun' }, TASKS, []), []);
  });

  it('reduces text to comparable words', () => {
    assert.deepEqual(contentWords('The Dentist Appointments, at Café!'), ['dentist', 'appointment', 'cafe']);
  });
});
