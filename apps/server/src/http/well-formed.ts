/**
 * Finds a NUL character or a lone UTF-16 surrogate in any string of a body (or path, or query): neither has a faithful UTF-8
 * form (a signature over it would be ambiguous) and PostgreSQL cannot store NUL in text. Walks
 * iteratively, so a body nested thousands deep cannot overflow the stack. Returns what is wrong, or undefined.
 */
export function findMalformedString(body: unknown, name = 'body'): string | undefined {
  // Nearly every body is clean, and every request is checked: the first walk only looks, and only a
  // malformed body is walked again to say where.
  return isAllClean(body) ? undefined : locateMalformed(body, name);
}

function isAllClean(body: unknown): boolean {
  const stack = [body];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (!isClean(value)) return false;
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        if (!isClean(key)) return false;
        stack.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

function locateMalformed(body: unknown, name: string): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: body, path: name }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      if (!isClean(value)) return `${path} contains a NUL character or an unpaired surrogate`;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (!isClean(key)) return `${path} has a key with a NUL character or an unpaired surrogate`;
        stack.push({ value: child, path: `${path}/${key}` });
      }
    }
  }
  return undefined;
}

const isClean = (text: string) => text.isWellFormed() && !text.includes('\0');
