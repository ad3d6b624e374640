import { describe, expect, it } from 'vitest';
import { ApiError, fieldError } from './api';

const refusal = new ApiError(
  400,
  'invalid_request',
  'winnerCount must be at least 1; task 1: name is required',
  [
    { field: 'winnerCount', message: 'winnerCount must be at least 1' },
    { field: 'tasks.0.name', message: 'name is required' },
    { field: 'endsAt', message: 'a published giveaway may only end later' },
  ],
);

describe("a refused body's fields", () => {
  it("words each field's problem by the form's label, not the body's name", () => {
    expect(fieldError(refusal, 'winnerCount', 'Number of winners')).toBe(
      'Number of winners must be at least 1',
    );
    expect(fieldError(refusal, 'tasks.0.name', 'Task name')).toBe('Task name is required');
  });

  it('keeps a message that does not start with the field’s name, and says nothing of other fields', () => {
    expect(fieldError(refusal, 'endsAt', 'Ends at')).toBe('a published giveaway may only end later');
    expect(fieldError(refusal, 'tasks.1.name', 'Task name')).toBeUndefined();
    expect(fieldError(new Error('offline'), 'title', 'Title')).toBeUndefined();
  });
});
