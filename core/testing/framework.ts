/**
 * The two functions an acceptance suite needs from a test framework. vitest's and mocha's `describe`/`it`
 * both fit, so the same suite runs in Node and in a real browser.
 */

/** `describe` and `it` of the test framework running a suite. */
export interface TestFramework {
  /** Groups tests under a name. */
  describe(name: string, body: () => void): unknown;
  /** Declares one asynchronous test. */
  it(name: string, body: () => Promise<void>): unknown;
}

/** Runs `body` on a fresh fixture from `setup`, then always runs the fixture's `teardown`. */
export function withFixture<F extends { teardown?: () => void | Promise<void> }>(
  setup: () => Promise<F>,
  body: (fixture: F) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const fixture = await setup();
    try {
      await body(fixture);
    } finally {
      await fixture.teardown?.();
    }
  };
}
