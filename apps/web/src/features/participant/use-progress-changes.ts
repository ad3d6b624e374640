import type { MyEntry } from '@proofdrop/contract';
import { useEffect, useRef, useState } from 'react';
import type { Receipts } from './components/task-list';
import { countedTasks, describeProgress } from './progress-changes';

/**
 * Follows the entry as the live stream updates it: when each task was last counted (shown beside it) and
 * one sentence for screen readers per change, so progress is announced once, not re-read.
 */
export function useProgressChanges(entry: MyEntry | null): { receipts: Receipts; announcement: string } {
  const previous = useRef<MyEntry | null>(null);
  const [receipts, setReceipts] = useState<Receipts>({});
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    const before = previous.current;
    previous.current = entry;
    if (!before || !entry) return;
    const counted = countedTasks(before, entry);
    if (counted.length === 0 && entry.eligible === before.eligible) return;
    const now = new Date();
    setReceipts((current) => ({
      ...current,
      ...Object.fromEntries(counted.map((task) => [task.taskId, now])),
    }));
    setAnnouncement(describeProgress(before, entry).join(' '));
  }, [entry]);

  return { receipts, announcement };
}
