// Shared ending of the database CLIs: a clear message and a non-zero code on error, and an explicit exit,
// because the schema engine leaves a timer pending and PGlite/pg handles must not keep the process alive.
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
