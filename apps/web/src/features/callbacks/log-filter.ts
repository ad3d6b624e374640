import {
  CALLBACK_LOG_CODES,
  CALLBACK_LOG_OUTCOMES,
  type CallbackLogFilter,
  type CallbackLogOutcome,
  type Code,
  EMAIL_MAX_LENGTH,
  REMARK_MAX_LENGTH,
  TRACK_ID_PATTERN,
} from '@proofdrop/contract';

const trackIdShape = new RegExp(TRACK_ID_PATTERN);
export const isTrackId = (text: string) => trackIdShape.test(text);

/** The filter a console address carries (`?outcome=refused&trackId=…`); what it cannot read is left out. */
export function filterOf(params: URLSearchParams): CallbackLogFilter {
  const outcome = params.get('outcome');
  const code = params.get('code');
  const trackId = params.get('trackId');
  const remark = params.get('remark');
  const email = params.get('email');
  return {
    ...(CALLBACK_LOG_OUTCOMES.includes(outcome as CallbackLogOutcome)
      ? { outcome: outcome as CallbackLogOutcome }
      : {}),
    ...(CALLBACK_LOG_CODES.includes(code as Code) ? { code: code as Code } : {}),
    ...(trackId !== null && isTrackId(trackId) ? { trackId } : {}),
    ...(remark !== null && isRemark(remark) ? { remark } : {}),
    ...(email !== null && isEmail(email) ? { email } : {}),
  };
}

/** The address's parameters for a filter: only those set, so a cleared filter leaves a clean address. */
export function paramsOf(filter: CallbackLogFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value !== undefined) params.set(name, value);
  return params;
}

export const isFiltered = (filter: CallbackLogFilter) => Object.values(filter).some((v) => v !== undefined);

/** The Show menu holds one choice: every callback, an outcome or a single code. */
export function choiceOf(filter: CallbackLogFilter): string {
  return filter.code ? `code:${filter.code}` : filter.outcome ? `outcome:${filter.outcome}` : 'all';
}

export function withChoice(filter: CallbackLogFilter, choice: string): CallbackLogFilter {
  const [kind, value] = choice.split(':');
  const { outcome: _o, code: _c, ...typed } = filter;
  if (kind === 'code') return { ...typed, code: value as Code };
  if (kind === 'outcome') return { ...typed, outcome: value as CallbackLogOutcome };
  return typed;
}

/** A remark as a callback can send it, taken as typed (spaces are a remark's own). */
export const isRemark = (text: string) => text.length >= 1 && text.length <= REMARK_MAX_LENGTH;

/** A participant's email to look their callbacks up by: the server matches it in any case. */
const isEmail = (text: string) => text.length >= 1 && text.length <= EMAIL_MAX_LENGTH;

/** What the filter's text fields hold. */
export type TypedFilter = { trackId: string; remark: string; email: string };

export const typedOf = (filter: CallbackLogFilter): TypedFilter => ({
  trackId: filter.trackId ?? '',
  remark: filter.remark ?? '',
  email: filter.email ?? '',
});

/**
 * The track_id, remark and email as typed: surrounding spaces dropped from a track_id and an email (neither
 * has any of its own), and a field left empty is no filter.
 */
export function withTyped(filter: CallbackLogFilter, typed: TypedFilter): CallbackLogFilter {
  const { trackId: _t, remark: _r, email: _e, ...rest } = filter;
  const trackId = typed.trackId.trim();
  const email = typed.email.trim();
  return {
    ...rest,
    ...(trackId === '' ? {} : { trackId }),
    ...(typed.remark === '' ? {} : { remark: typed.remark }),
    ...(email === '' ? {} : { email }),
  };
}
