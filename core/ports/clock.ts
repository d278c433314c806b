/**
 * What time it is, for behaviour that depends on it: invitation and link expiry, the times records carry.
 * Waiting (timers, back-off) stays on the platform's timers; a test or a simulation gives the Kit its own
 * clock to make "now" certain.
 */

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The platform's clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() };
