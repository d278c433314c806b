/** Reading the member space's forms: one place for field values, today's date and amounts in cents. */

/** The value of a form's field (input, select or textarea) by name. */
export const field = (form: HTMLFormElement, name: string): string =>
  (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

/** Today, `YYYY-MM-DD` (UTC). */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** An amount typed as `12`, `12.5` or `12,50` → cents (NaN when it is not a number: the core refuses it). */
export const cents = (text: string): number => Math.round(Number(text.replace(",", ".")) * 100);

/** Runs `submit` with the form of a submit event, once the browser's own checks pass. */
export const onSubmit =
  (submit: (form: HTMLFormElement) => void) =>
  (e: SubmitEvent): void => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.reportValidity()) submit(form);
  };
