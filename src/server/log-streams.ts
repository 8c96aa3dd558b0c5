/**
 * Keeps the server alive and idle when whatever reads its stdout or stderr goes away (a log collector
 * restarted, the reader of a pipe died). Every write then fails with EPIPE. With no listener, that error
 * becomes an uncaught exception, and Next logs it to the same closed stream: the process spun at a full core
 * for as long as it lived (tests/hard/closed-log-streams.test.ts). With a listener, log lines that have
 * nowhere to go are lost, and nothing else is.
 */
export function surviveClosedLogStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    // Any error of a log stream means its lines cannot be written, and there is nowhere left to report it.
    stream.on("error", () => {});
  }
}
