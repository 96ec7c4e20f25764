/** Where the CLI writes: human messages to stderr/stdout; request logs (fastify's pino) only at debug level. */
export interface Output {
  info(message: string): void;
  warn(message: string): void;
  print(text: string): void;
  readonly logger: false | { level: string };
}

/** The terminal output; request logging only at debug/trace to keep `waggle up` quiet. */
export function terminalOutput(level: string): Output {
  return {
    info: (m) => process.stderr.write(`${m}\n`),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    print: (t) => process.stdout.write(t),
    logger: level === 'debug' || level === 'trace' ? { level } : false,
  };
}
