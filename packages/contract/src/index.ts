/** The API's contract: every request and answer's schema and type, the codes, and the route table. */
export * from './callbacks.js';
export * from './common.js';
export * from './draws.js';
export * from './errors.js';
export * from './giveaways.js';
export * from './hosts.js';
export * from './participants.js';
export * from './projects.js';
export * from './routes.js';
export * from './webhooks.js';
