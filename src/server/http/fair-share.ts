import { tryAgainIn } from "./errors";

// Heavy reads (analytics) of one workspace take at most a share of an instance's time
// (docs/decisions/016-heavy-reads-fair-share.md). On each instance, a workspace's heavy reads run one at a time,
// and each is followed by a pause of (1 / share − 1) times as long as it took: with share 0.25, a read of 4 ms
// lets the workspace's next one start 12 ms after it ended. Requests that arrive meanwhile wait in order,
// costing no CPU and no connection, so the instance's time they leave stays free for everyone else. A lane
// with `maxWaiting` requests waiting, or a request that waited `maxWaitMs`, is refused with a HeavyReadRefused,
// which `toAppError` answers as a 429 with `Retry-After`.
//
// A concurrency limit alone would not do it: one read takes a few milliseconds, so a workspace's next request
// would start the moment the last one ended and ten clients in a loop would still keep the instance's CPU busy.

/**
 * Why a lane refused a read. Not an AppError: the one FairShare of a process is shared by Next's bundles (route
 * handlers and pages each have their own copy of every module, so their own AppError class), and the bundle that
 * created it is not always the one whose request is refused. `toAppError` of the refused request's own bundle
 * recognises it by name.
 */
export class HeavyReadRefused extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`This workspace has too many heavy requests (analytics) waiting on this server. ${tryAgainIn(retryAfterSeconds)}`);
    this.name = "HeavyReadRefused";
  }
}

export interface FairShareOptions {
  /** The part of an instance's time one lane may take, in (0, 1]; 1: no limit at all. */
  share: number;
  /** Requests of one lane that may wait on this instance; one more gets a 429. */
  maxWaiting: number;
  /** How long a request may wait for its turn before it gets a 429. */
  maxWaitMs: number;
  now?: () => number;
}

interface Waiter {
  go(): void;
  timer: ReturnType<typeof setTimeout>;
}

interface Lane {
  /** A read of the lane is running, or has been handed its turn. */
  busy: boolean;
  /** When the lane's next read may start. */
  nextStart: number;
  /** The last read's duration plus its pause: how long a turn takes, for `Retry-After`. */
  period: number;
  waiting: Waiter[];
  /** Set while the lane waits for its pause to end. */
  timer?: ReturnType<typeof setTimeout>;
}

export class FairShare {
  private readonly lanes = new Map<string, Lane>();
  private readonly now: () => number;

  constructor(private readonly options: FairShareOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new RangeError("share must be in (0, 1]");
    this.now = options.now ?? (() => performance.now());
  }

  /** Lanes known: running, waiting or pausing. An idle lane is forgotten when its pause ends. */
  get size(): number {
    return this.lanes.size;
  }

  /** Requests of the lane waiting for their turn on this instance. */
  waitingIn(laneId: string): number {
    return this.lanes.get(laneId)?.waiting.length ?? 0;
  }

  async run<T>(laneId: string, work: () => Promise<T>): Promise<T> {
    if (this.options.share >= 1) return work();
    let lane = this.lanes.get(laneId);
    if (!lane) this.lanes.set(laneId, (lane = { busy: false, nextStart: 0, period: 0, waiting: [] }));
    if (lane.busy || lane.waiting.length > 0 || this.now() < lane.nextStart) await this.wait(laneId, lane);
    lane.busy = true;
    const started = this.now();
    try {
      return await work();
    } finally {
      const ended = this.now();
      const took = ended - started;
      lane.busy = false;
      lane.period = took / this.options.share;
      lane.nextStart = ended + lane.period - took;
      this.next(laneId, lane);
    }
  }

  private wait(laneId: string, lane: Lane): Promise<void> {
    if (lane.waiting.length >= this.options.maxWaiting) return Promise.reject(this.refusal(lane));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        go: resolve,
        timer: setTimeout(() => {
          lane.waiting.splice(lane.waiting.indexOf(waiter), 1);
          reject(this.refusal(lane));
          this.next(laneId, lane);
        }, this.options.maxWaitMs),
      };
      waiter.timer.unref?.();
      lane.waiting.push(waiter);
      this.next(laneId, lane);
    });
  }

  /** Hands the lane's turn to its first waiter once its pause is over; forgets a lane with nothing left. */
  private next(laneId: string, lane: Lane): void {
    if (lane.busy || lane.timer) return;
    const pause = lane.nextStart - this.now();
    if (pause > 0) {
      lane.timer = setTimeout(() => {
        lane.timer = undefined;
        this.next(laneId, lane);
      }, Math.ceil(pause));
      lane.timer.unref?.();
      return;
    }
    const waiter = lane.waiting.shift();
    if (!waiter) {
      this.lanes.delete(laneId);
      return;
    }
    clearTimeout(waiter.timer);
    lane.busy = true; // reserved: nobody arriving before the waiter resumes may start in its place
    waiter.go();
  }

  private refusal(lane: Lane): HeavyReadRefused {
    return new HeavyReadRefused(Math.max(1, Math.ceil(((lane.waiting.length + 1) * lane.period) / 1000)));
  }
}
