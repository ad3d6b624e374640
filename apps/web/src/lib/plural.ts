const english = new Intl.PluralRules('en');

/** The noun's form for `count`, for when the number is shown apart (a big figure beside its word). */
export function nounFor(count: number, one: string, other = `${one}s`): string {
  return english.select(count) === 'one' ? one : other;
}

/** A count with its noun in the form English wants, `1 winner` and `3 winners`: the UI's words are English. */
export function countOf(count: number, one: string, other = `${one}s`): string {
  return `${count} ${nounFor(count, one, other)}`;
}

const ordinals = new Intl.PluralRules('en', { type: 'ordinal' });
const SUFFIX: Partial<Record<Intl.LDMLPluralRule, string>> = { one: 'st', two: 'nd', few: 'rd' };

/** A rank in words' order, `1st`, `2nd`, `3rd`, `11th`, `22nd`: how a prize's place is read. */
export function ordinal(rank: number): string {
  return `${rank}${SUFFIX[ordinals.select(rank)] ?? 'th'}`;
}
