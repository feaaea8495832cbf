/**
 * How an alert's episodes go, with every default filled in (`lifecycle:` in an alert file).
 * Kept apart from the rest of the alert model so the state machine in `alerts/` reads
 * only what it needs.
 */
export interface LifecycleModel {
  /** Consecutive periods judged in breach before the alert fires; 1 fires at once. */
  pending: number;
  /** ISO-8601 duration after which a still-firing episode is told again; undefined: never. */
  renotify?: string;
  /** Whether the end of an episode is told. */
  recovery: boolean;
  /** Whether a failed evaluation, or data blocked by its checks, is told. */
  onError: boolean;
  /** Whether a period with no value to judge is told. */
  onNoData: boolean;
}

/** The lifecycle of an alert that says nothing about it: fire at once, never re-notify, tell recovery and errors, not missing data. */
export const DEFAULT_LIFECYCLE: LifecycleModel = { pending: 1, recovery: true, onError: true, onNoData: false };
