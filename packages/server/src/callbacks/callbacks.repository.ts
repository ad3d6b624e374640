import type { Db } from '../db/database.js';

export function listLog(db: Db, projectId: string, limit: number) {
  return db
    .selectFrom('callback_log')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
