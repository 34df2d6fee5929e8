/** GOV.UK Frontend ships no type declarations; the console uses only this. */
declare module 'govuk-frontend' {
  export function initAll(config?: Record<string, unknown>): void;
}
