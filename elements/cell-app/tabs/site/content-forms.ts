/**
 * What the tabs of the cell's content share (journal, events, profile and pages): who writes a scope by
 * the cell's rules, and the message a refused form shows, naming the field by its label. Nothing is written
 * when a check refuses: the core checks every field before it changes a document (core/public/content.ts).
 */
import { type Cell, hasRight, InvalidFieldError } from "../../../../core/index.js";
import type { AppStrings } from "../../../../core/public/strings/index.js";

/** Whether this device's member may write documents of `scope` (its writers by the cell's rules). */
export function writes(cell: Cell, scope: string): boolean {
  const roles = cell.me()?.roles ?? new Set<string>();
  const writers = Object.hasOwn(cell.state.rules.scopes, scope)
    ? cell.state.rules.scopes[scope]!.writers
    : [];
  return writers.some((r) => roles.has(r));
}

/**
 * Whether this device's member edits the cell's content of `scope`: they write it and may publish (the
 * editors' right, the secretary's too by the default rules), so that a member who may write the members'
 * scope for other documents does not edit or delete others' posts and events.
 */
export function edits(cell: Cell, scope: string): boolean {
  return writes(cell, scope) && hasRight(cell.state.rules, cell.me()?.roles ?? [], "publish");
}

/** A form refused: which form, and what to tell. */
export interface FormProblem {
  form: string;
  message: string;
}

/**
 * What to tell of `error` in a form whose fields' labels are `labels` (by the core's field names), or
 * `undefined` when it is not about a field (then it goes to the app's problem banner).
 */
export function fieldMessage(
  t: AppStrings,
  error: unknown,
  labels: Record<string, string>,
): string | undefined {
  if (!(error instanceof InvalidFieldError)) return undefined;
  if (error.field === "end" && /before/.test(error.message)) return t.endBeforeStart;
  return t.fieldRefused(labels[error.field.replace(/\[\d+\]$/, "")] ?? error.field);
}

/**
 * Runs `write`; a field refused becomes `problems[form]` (shown in the form, nothing written) and the
 * result is false; another failure is thrown on (the app's banner shows it). True when written.
 */
export async function attempt(
  t: AppStrings,
  form: string,
  labels: Record<string, string>,
  problems: Map<string, string>,
  write: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await write();
    problems.delete(form);
    return true;
  } catch (error) {
    const message = fieldMessage(t, error, labels);
    if (message === undefined) throw error;
    problems.set(form, message);
    return false;
  }
}
