import type { Param } from '../engine.js';

/** Builds one SQL statement with `$n` parameters, so values are always bound, never pasted. */
export class Statement {
  readonly params: Param[] = [];

  /** Adds a parameter and returns its placeholder. */
  bind(value: Param): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}
