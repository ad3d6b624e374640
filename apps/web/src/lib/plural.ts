const english = new Intl.PluralRules('en');

/** The noun's form for `count`, for when the number is shown apart (a big figure beside its word). */
export function nounFor(count: number, one: string, other = `${one}s`): string {
  return english.select(count) === 'one' ? one : other;
}

/** A count with its noun in the form English wants, `1 winner` and `3 winners`: the UI's words are English. */
export function countOf(count: number, one: string, other = `${one}s`): string {
  return `${count} ${nounFor(count, one, other)}`;
}
