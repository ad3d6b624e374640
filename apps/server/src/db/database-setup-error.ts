/** The database cannot be opened or set up: said to the operator at start, as a setting to fix. */
export class DatabaseSetupError extends Error {}
