/**
 * A cell a spreadsheet would run as a formula (CSV injection): =, +, -, @, tab or carriage return first,
 * or after leading spaces or quote marks, which spreadsheets skip before they look.
 */
const FORMULA = /^[\s"']*[=+\-@]|^[\t\r]/;

/**
 * One CSV field. A formula is prefixed with a quote mark, as OWASP advises. Semicolons are quoted like
 * commas: spreadsheets in many locales split on them, and an unquoted `a;=cmd` would become a formula.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
