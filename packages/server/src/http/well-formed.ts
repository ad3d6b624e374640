import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Rejects a body holding a NUL character or a lone UTF-16 surrogate in any string: neither has a faithful
 * UTF-8 form (a signature over it would be ambiguous) and PostgreSQL cannot store NUL in text.
 * Walks iteratively, so a body nested thousands deep cannot overflow the stack.
 */
export async function rejectMalformedStrings(request: FastifyRequest): Promise<void> {
  const stack: { value: unknown; path: string }[] = [{ value: request.body, path: 'body' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      if (value.includes('\0') || !value.isWellFormed()) {
        throw new AppError('invalid_request', `${path} contains a NUL character or an unpaired surrogate`);
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (!key.isWellFormed() || key.includes('\0')) {
          throw new AppError(
            'invalid_request',
            `${path} has a key with a NUL character or an unpaired surrogate`,
          );
        }
        stack.push({ value: child, path: `${path}/${key}` });
      }
    }
  }
}
