/** The SQL engines waggle stores data in. */
export type SqlEngine = 'sqlite' | 'postgres';
