import { type Static, type TArray, Type } from 'typebox';
import { EmailSchema, nullable } from './common.js';

export const EntryInputSchema = Type.Object({ email: EmailSchema }, { additionalProperties: false });
export type EntryInput = Static<typeof EntryInputSchema>;

export const EntrySchema = Type.Object({
  participantId: Type.String(),
  token: Type.String({ description: "the participant's bearer token; also set as a cookie" }),
});
export type Entry = Static<typeof EntrySchema>;

export const TaskProgressSchema = Type.Object({
  taskId: Type.String(),
  event: Type.String(),
  name: Type.String(),
  requiredAmount: Type.Integer(),
  count: Type.Integer(),
  completed: Type.Boolean(),
});
export type TaskProgress = Static<typeof TaskProgressSchema>;

export const MyEntrySchema = Type.Object({
  participantId: Type.String(),
  eligible: Type.Boolean(),
  tasks: Type.Array(TaskProgressSchema),
});
export type MyEntry = Static<typeof MyEntrySchema>;

export const VisitSchema = Type.Object({
  trackId: Type.String({ description: "the participant's track_id for this task's website" }),
  url: Type.String({ description: 'the website link with track_id and send appended' }),
});
export type Visit = Static<typeof VisitSchema>;

export const ParticipantRowSchema = Type.Object({
  participantId: Type.String(),
  email: Type.String(),
  joinedAt: Type.String(),
  eligible: Type.Boolean(),
  eligibleAt: nullable(Type.String()),
  winnerRank: nullable(Type.Integer()),
  tasks: Type.Array(Type.Object({ taskId: Type.String(), count: Type.Integer(), completed: Type.Boolean() })),
});
export type ParticipantRow = Static<typeof ParticipantRowSchema>;

export const ExportQuerySchema = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
});
export type ExportQuery = Static<typeof ExportQuerySchema>;

const exportOf = <K extends string>(key: K) =>
  Type.Union([
    Type.Object({ [key]: Type.Array(ParticipantRowSchema) } as Record<
      K,
      TArray<typeof ParticipantRowSchema>
    >),
    Type.String({ description: 'CSV, with ?format=csv' }),
  ]);

export const ParticipantsExportSchema = exportOf('participants');
export const WinnersExportSchema = exportOf('winners');

export const EntriesQuerySchema = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 254, description: 'part of the email, any case' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const EntriesPageSchema = Type.Object({
  entries: Type.Array(ParticipantRowSchema),
  total: Type.Integer({ description: 'how many entries match, over all pages' }),
});
export type EntriesPage = Static<typeof EntriesPageSchema>;
