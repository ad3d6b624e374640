import type { ErrorBody, FieldError } from '@proofdrop/contract';

/** The server's codes, and the two this client adds: no answer at all, and an answer that was not JSON. */
export type ApiErrorCode = ErrorBody['code'] | 'network_error' | 'http_error';

/** The API's error answer, `{ ok: false, code, message }`, as an exception the UI can show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** A refused body's problems field by field (`tasks.0.event`), for a form to show beside each input. */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
};

/**
 * The one way the app talks to the API: JSON both ways, the session cookie sent (same origin only), and any
 * answer that is not 2xx thrown as an ApiError carrying the server's own code and message.
 */
export async function api<T>(
  path: string,
  { method = 'GET', body, signal }: RequestOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(
      0,
      'network_error',
      'The server cannot be reached. Check your connection and try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const payload = await response.json().catch(() => undefined);
  if (!response.ok) {
    const { code, message, fields } = errorFields(payload);
    throw new ApiError(
      response.status,
      code ?? 'http_error',
      message ?? `The server answered ${response.status}.`,
      fields,
    );
  }
  return payload as T;
}

function errorFields(payload: unknown): {
  code?: ErrorBody['code'];
  message?: string;
  fields?: FieldError[];
} {
  if (typeof payload !== 'object' || payload === null) return {};
  const { code, message, fields } = payload as Record<string, unknown>;
  return {
    // The server answers only with its contract's codes.
    ...(typeof code === 'string' ? { code: code as ErrorBody['code'] } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(Array.isArray(fields) ? { fields: fields.filter(isFieldError) } : {}),
  };
}

const isFieldError = (value: unknown): value is FieldError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as FieldError).field === 'string' &&
  typeof (value as FieldError).message === 'string';

/**
 * What the server said about one field of the body it refused (`title`, `tasks.0.event`), if anything, as a
 * line under the field: the server names the field as the body does (`winnerCount must be at least 1`),
 * the form by its label (`Number of winners must be at least 1`).
 */
export function fieldError(error: unknown, field: string, label: string): string | undefined {
  const message =
    error instanceof ApiError ? error.fields.find((problem) => problem.field === field)?.message : undefined;
  return message === undefined ? undefined : byLabel(field, message, label);
}

function byLabel(field: string, message: string, label: string): string {
  const name = field.split('.').at(-1) as string;
  return message.startsWith(`${name} `) ? `${label}${message.slice(name.length)}` : message;
}

/**
 * Every field's problem of a refused body, worded by the form's labels (`labelOf`, from the body's field
 * path), for the summary under a form; a field the form has no label for keeps the server's words.
 */
export function fieldProblems(error: unknown, labelOf: (field: string) => string | undefined): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.fields.map(({ field, message }) => {
    const label = labelOf(field);
    return label === undefined ? message : byLabel(field, message, label);
  });
}

/** What a person should read for any failure: the server's message, as a sentence, when there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return sentence(error.message);
  return 'Something went wrong. Try again.';
}

/** The server's lower-case clause as a sentence of its own. */
export const sentence = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
