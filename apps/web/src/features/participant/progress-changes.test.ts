import type { MyEntry } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import { countedTasks, describeProgress } from './progress-changes';

const entry = (counts: [number, number], eligible = false): MyEntry => ({
  participantId: 'pt_1',
  email: 'fan@example.com',
  eligible,
  verified: false,
  verificationRequired: false,
  finishedRank: null,
  tasks: [
    {
      taskId: 'task_a',
      event: 'sign_up',
      name: 'Sign up',
      requiredAmount: 1,
      count: counts[0],
      completed: counts[0] >= 1,
    },
    {
      taskId: 'task_b',
      event: 'play',
      name: 'Play a game',
      requiredAmount: 3,
      count: counts[1],
      completed: counts[1] >= 3,
    },
  ],
});

describe('describeProgress', () => {
  it('announces a counted step with its progress, and a finished task as done', () => {
    expect(describeProgress(entry([0, 0]), entry([0, 2]))).toEqual(['Play a game: 2 of 3 counted.']);
    expect(describeProgress(entry([0, 0]), entry([1, 0]))).toEqual(['Sign up: done.']);
  });

  it('announces eligibility once, when it is reached', () => {
    expect(describeProgress(entry([1, 2]), entry([1, 3], true))).toEqual([
      'Play a game: done.',
      'You are eligible for the draw.',
    ]);
    expect(describeProgress(entry([1, 3], true), entry([1, 3], true))).toEqual([]);
  });

  it('says nothing when the same state arrives again', () => {
    expect(describeProgress(entry([1, 1]), entry([1, 1]))).toEqual([]);
  });
});

describe('countedTasks', () => {
  it('lists the tasks whose count went up', () => {
    expect(countedTasks(entry([0, 1]), entry([1, 2])).map((task) => task.taskId)).toEqual([
      'task_a',
      'task_b',
    ]);
    expect(countedTasks(entry([1, 1]), entry([1, 1]))).toEqual([]);
  });
});
