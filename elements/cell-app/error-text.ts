/**
 * What the member space says when an action fails: a Cellule error worded in the member space's language
 * from its parts (`params`: the field and its problem, the rule's reason); anything else, or a part these
 * words do not know, as the error's own message.
 */
import { CelluleError } from "../../core/index.js";
import type { AppStrings } from "../../core/public/strings/index.js";

/** `error` in the words of `t`. */
export function errorText(error: unknown, t: AppStrings): string {
  const fallback = error instanceof Error ? error.message : String(error);
  if (!(error instanceof CelluleError)) return fallback;
  const { field, problem, reason, max } = error.params;
  if (error.code === "forbidden" && typeof reason === "string" && Object.hasOwn(t.reasons, reason))
    return t.refusedBecause(t.reasons[reason]!);
  if (error.code === "invalid-argument" && typeof field === "string" && typeof problem === "string") {
    const word = Object.hasOwn(t.fieldProblem, problem)
      ? t.fieldProblem[problem as keyof AppStrings["fieldProblem"]]
      : undefined;
    const name = Object.hasOwn(t.fields, field) ? t.fields[field]! : field;
    if (word) return word(name, typeof max === "number" ? max : 0);
  }
  return fallback;
}
