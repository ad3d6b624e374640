/**
 * Finds a NUL character or a lone UTF-16 surrogate in any string of a body (or path, or query): neither has a faithful UTF-8
 * form (a signature over it would be ambiguous) and PostgreSQL cannot store NUL in text. Walks
 * iteratively, so a body nested thousands deep cannot overflow the stack. Returns what is wrong, or undefined.
 */
export function findMalformedString(body: unknown, name = 'body'): string | undefined {
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
