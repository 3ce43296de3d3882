/** Focus helpers for forms: after a refused submit, put the operator on the first field to fix. */

/** Focus the first invalid control inside `form` once React has rendered the errors. */
export function focusFirstInvalid(form: HTMLElement | null): void {
  requestAnimationFrame(() => {
    form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });
}
