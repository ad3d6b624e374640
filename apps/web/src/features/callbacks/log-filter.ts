import {
  CALLBACK_LOG_CODES,
  CALLBACK_LOG_OUTCOMES,
  type CallbackLogFilter,
  type CallbackLogOutcome,
  type Code,
  TRACK_ID_PATTERN,
} from '@proofdrop/contract';

const trackIdShape = new RegExp(TRACK_ID_PATTERN);
export const isTrackId = (text: string) => trackIdShape.test(text);

/** The filter a console address carries (`?outcome=refused&trackId=…`); what it cannot read is left out. */
export function filterOf(params: URLSearchParams): CallbackLogFilter {
  const outcome = params.get('outcome');
  const code = params.get('code');
  const trackId = params.get('trackId');
  return {
    ...(CALLBACK_LOG_OUTCOMES.includes(outcome as CallbackLogOutcome)
      ? { outcome: outcome as CallbackLogOutcome }
      : {}),
    ...(CALLBACK_LOG_CODES.includes(code as Code) ? { code: code as Code } : {}),
    ...(trackId !== null && isTrackId(trackId) ? { trackId } : {}),
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
  const trackId = filter.trackId === undefined ? {} : { trackId: filter.trackId };
  if (kind === 'code') return { ...trackId, code: value as Code };
  if (kind === 'outcome') return { ...trackId, outcome: value as CallbackLogOutcome };
  return trackId;
}

/** A track_id as typed: surrounding spaces dropped, and none at all is no filter. */
export function withTrackId(filter: CallbackLogFilter, typed: string): CallbackLogFilter {
  const { trackId: _, ...rest } = filter;
  const trackId = typed.trim();
  return trackId === '' ? rest : { ...rest, trackId };
}
