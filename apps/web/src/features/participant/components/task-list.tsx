import type { MyEntry, TaskProgress } from '@proofdrop/contract';
import { buttonClass } from '../../../components/button';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** When this page last saw each task's count go up: what was received, and when. */
export type Receipts = Record<string, Date>;

function TaskStatus({
  task,
  receivedAt,
  live,
}: {
  task: TaskProgress;
  receivedAt: Date | undefined;
  live: boolean;
}) {
  if (task.completed) return <span className="badge badge--success">✓ Done</span>;
  const missing = task.requiredAmount - task.count;
  if (!live) {
    return (
      <span className="task__note">
        {task.count === 0
          ? "Nothing was received from the host's site before the end."
          : `${task.count} counted; ${missing} more ${missing === 1 ? 'was' : 'were'} needed by the end.`}
      </span>
    );
  }
  if (task.count === 0) {
    return (
      <span className="task__note">
        Nothing received from the host's site yet. Once you finish the task there, it shows here by itself.
      </span>
    );
  }
  return (
    <span className="task__note">
      {task.count} counted{receivedAt && `, the last at ${timeFormat.format(receivedAt)}`}. {missing} more to
      go.
    </span>
  );
}

/** `canGo`: the giveaway is live, so a task can still be done (and its Go button followed). */
export function TaskList({ entry, canGo, receipts }: { entry: MyEntry; canGo: boolean; receipts: Receipts }) {
  return (
    <ol className="task-list" aria-label="Tasks">
      {entry.tasks.map((task) => {
        const percent = Math.min(100, Math.round((task.count / task.requiredAmount) * 100));
        const nameId = `task-${task.taskId}`;
        return (
          <li
            key={task.taskId}
            className={`task card${task.completed ? ' task--done' : ''}`}
            aria-labelledby={nameId}
          >
            <div className="task__head">
              <h3 id={nameId} className="task__name">
                {task.name}
              </h3>
              <span className="task__count">
                <span className="visually-hidden">Progress: </span>
                {task.count} / {task.requiredAmount}
              </span>
            </div>
            <div className="progress" aria-hidden="true">
              <div
                className={`progress__bar${task.completed ? ' progress__bar--done' : ''}`}
                style={{ width: `${percent}%` }}
              />
            </div>
            <div className="task__foot">
              <TaskStatus task={task} receivedAt={receipts[task.taskId]} live={canGo} />
              {canGo && (
                // A new tab keeps this page (and its live progress) open to come back to.
                <a
                  className={buttonClass(task.completed ? 'secondary' : 'primary', 'small')}
                  href={`/go/${encodeURIComponent(task.taskId)}`}
                  target="_blank"
                  rel="noopener"
                >
                  Go<span className="visually-hidden"> to {task.name} (opens in a new tab)</span>
                  <span aria-hidden="true">↗</span>
                </a>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
