/**
 * TEST-ONLY fault points of the actor host, off unless TODO_TEST_FAULT names one. They exist so
 * that an end-to-end test can put a crash exactly where no kill from outside can aim: between a
 * write's commit and its answer. Never set TODO_TEST_FAULT outside a test.
 *
 * | TODO_TEST_FAULT | what happens |
 * |---|---|
 * | `crash-after-complete-commit` | `completeTask` exits the process (code 86) right after its transaction commits, before it publishes, syncs reminders or answers |
 *
 * Where each fault strikes is written here, not in the code it strikes: a command's commit
 * (actors/commit.ts) only reports `afterCommit(command)`, and that does nothing unless the fault
 * armed at start (`armTestFault`, by actors/main.ts) belongs to that command.
 */
import type { Logger } from '../common/logger';
import type { UserActorMethod } from '../common/actorApi';

export const TEST_FAULTS = ['crash-after-complete-commit'] as const;
export type TestFault = (typeof TEST_FAULTS)[number];

/** The command right after whose commit each fault crashes the host. */
const AFTER_COMMIT_OF: Record<TestFault, UserActorMethod> = {
  'crash-after-complete-commit': 'completeTask',
};

/** Called at a fault point; does nothing unless that fault is the one turned on. */
export type FaultPoint = (fault: TestFault) => void;

/** The exit code of an injected crash, so that the log says it was on purpose. */
export const TEST_FAULT_EXIT_CODE = 86;

/** The fault point for the configured value: a no-op when it is empty; an unknown name is refused at start. */
export function faultPointFor(configured: string, log: Logger, exit: (code: number) => never = process.exit): FaultPoint {
  if (configured === '') return () => undefined;
  if (!(TEST_FAULTS as readonly string[]).includes(configured)) {
    throw new Error(`TODO_TEST_FAULT must be empty or one of ${TEST_FAULTS.join(', ')}, got ${JSON.stringify(configured)}`);
  }
  log.warn('TEST FAULT ARMED: this actor host will crash on purpose', { fault: configured });
  return (fault) => {
    if (fault !== configured) return;
    log.error('TEST FAULT: crashing on purpose', { fault });
    exit(TEST_FAULT_EXIT_CODE);
  };
}

let armed: FaultPoint = () => undefined;

/** Arms the configured fault (TODO_TEST_FAULT) for this process, once at start; '' disarms. */
export function armTestFault(configured: string, log: Logger, exit: (code: number) => never = process.exit): void {
  armed = faultPointFor(configured, log, exit);
}

/** Reported by a command's commit right after its transaction committed, before anything else happens. */
export function afterCommit(command: UserActorMethod): void {
  for (const fault of TEST_FAULTS) if (AFTER_COMMIT_OF[fault] === command) armed(fault);
}
