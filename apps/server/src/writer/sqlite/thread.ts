import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` (beside this file) and waits for its first message, which says it is
 * ready. The built server runs plain JavaScript; tests run the TypeScript sources, through tsx.
 */
export async function startThread(name: string, workerData: unknown): Promise<Worker> {
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
          new URL(`./${name}.ts`, import.meta.url).href,
        )}); })`,
        { eval: true, workerData },
      )
    : new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return worker;
}

/**
 * What a thread's uncaught error says, as an Error. A driver's error that crosses from a thread arrives as
 * a plain object with only its own enumerable fields: better-sqlite3's keeps its `code` (SQLITE_FULL,
 * SQLITE_IOERR…) and loses its message, which /readyz and the exit's log line would otherwise print as
 * "undefined".
 */
export function threadFailure(thread: string, error: unknown): Error {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const reason = [code, message].filter((part) => typeof part === 'string' && part !== '').join(': ');
  return new Error(`the ${thread} thread failed: ${reason || String(error)}`);
}
