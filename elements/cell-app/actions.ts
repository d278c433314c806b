/**
 * How the member space runs what a button or a form asks for: the action starts, and its failure, if any,
 * goes to `<cell-app>`'s problem banner (shown until the next action). One helper, so that no action's
 * failure is dropped and none is written out by hand.
 */

/** Starts an action; its failure, thrown or rejected, is reported. */
export type Run = (action: () => Promise<unknown>) => void;

/** A `Run` that reports failures to `fail`. */
export function runner(fail: (error: unknown) => void): Run {
  return (action) => {
    try {
      action().catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
