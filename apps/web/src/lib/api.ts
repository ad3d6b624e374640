import type { ErrorBody } from '@proofdrop/contract';

/** The server's codes, and the two this client adds: no answer at all, and an answer that was not JSON. */
export type ApiErrorCode = ErrorBody['code'] | 'network_error' | 'http_error';

/** The API's error answer, `{ ok: false, code, message }`, as an exception the UI can show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
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
    const { code, message } = errorFields(payload);
    throw new ApiError(
      response.status,
      code ?? 'http_error',
      message ?? `The server answered ${response.status}.`,
    );
  }
  return payload as T;
}

function errorFields(payload: unknown): { code?: ErrorBody['code']; message?: string } {
  if (typeof payload !== 'object' || payload === null) return {};
  const { code, message } = payload as Record<string, unknown>;
  return {
    // The server answers only with its contract's codes.
    ...(typeof code === 'string' ? { code: code as ErrorBody['code'] } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** What a person should read for any failure: the server's message when there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Try again.';
}
