/**
 * Time budgets: one per request, and one per tool call that all of the
 * call's requests draw from ({@link Budgets.share}).
 *
 * @module
 */
import { PlexConnectionError, type PlexError } from "./errors.ts";
import { Deadlines } from "./deadlines.ts";

/**
 * A request that starts this long after its call's budget began, behind
 * earlier requests of the call, says in its timeout error that the budget
 * was shared.
 */
const SHARED_NOTE_MS = 50;

/** One tool call's time budget, shared by all its requests. */
export interface CallBudget {
  /** When the budget runs out (`performance.now()` time). */
  deadline: number;
  /** Its length in milliseconds. */
  ms: number;
  /** Requests made under it so far. */
  requests: number;
  /**
   * The deadline timer and abort signal that the call's requests in
   * flight share (when the call's deadline comes before their own would):
   * requests sent together (a count per library) need one timer, not one
   * each. Released when the last of them ends, or, for a call whose owner
   * ends it ({@link Budgets.end}: a tool call), only then, so that the
   * call's requests one after another (a library lookup, its filters, a
   * tag, the page) share it too instead of each making its own.
   */
  shared?: SharedDeadline;
  /** Its owner calls {@link Budgets.end} when the call ends. */
  held: boolean;
}

/** One timer and abort signal for the requests of a call in flight. */
export interface SharedDeadline {
  /** Aborted at the call's deadline or when the call is cancelled. */
  controller: AbortController;
  /** Whether it was the deadline. */
  timeout: { aborted: boolean };
  /** Requests using it now. */
  inFlight: number;
  /** Clears the timer and the listener. */
  release: () => void;
}

/**
 * The shared deadline of `call`: aborts at the call's deadline (marking
 * the timeout, on the timer of `deadlines`) or when `signal`, the call's,
 * aborts.
 */
export function sharedDeadline(
  call: CallBudget,
  signal: AbortSignal,
  deadlines: Deadlines,
): SharedDeadline {
  const controller = new AbortController();
  const timeout = { aborted: false };
  const deadline = deadlines.add(call.deadline, () => {
    timeout.aborted = true;
    controller.abort(new DOMException("timed out", "TimeoutError"));
  });
  // An abort event fires once: no `once` option needed (it costs a
  // conversion on every call), and the listener is removed on release.
  const onCallerAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onCallerAbort();
  else signal.addEventListener("abort", onCallerAbort);
  return {
    controller,
    timeout,
    inFlight: 0,
    release: () => {
      deadlines.cancel(deadline);
      signal.removeEventListener("abort", onCallerAbort);
    },
  };
}

/** The time one request may take, and the call it belongs to, if any. */
export interface Budget {
  /** Milliseconds from `started`. */
  ms: number;
  /** When the request started. */
  started: number;
  /** The call's budget, when the request belongs to one. */
  call: CallBudget | undefined;
}

/** `1.5 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Resolves like `promise`, or rejects as soon as `signal` aborts. */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

/** The call budgets of one client, keyed by the call's abort signal. */
export class Budgets {
  /** The one timer of every deadline of this client's requests. */
  readonly deadlines: Deadlines = new Deadlines();
  readonly #budgets = new WeakMap<AbortSignal, CallBudget>();
  readonly #timeoutMs: number;
  readonly #baseUrl: string;

  /** `timeoutMs`: one request's budget; `baseUrl` names the server. */
  constructor(timeoutMs: number, baseUrl: string) {
    this.#timeoutMs = timeoutMs;
    this.#baseUrl = baseUrl;
  }

  /**
   * Requests made with `signal` from now on share a budget of `ms`.
   * `held`: the caller will {@link end} it when the call ends, and the
   * shared deadline is kept until then.
   */
  share(signal: AbortSignal, ms: number, held = false): void {
    // A budget shared again with the same signal replaces the last one,
    // whose deadline timer is released as at its end.
    this.end(signal);
    this.#budgets.set(signal, {
      deadline: performance.now() + ms,
      ms,
      requests: 0,
      held,
    });
  }

  /**
   * Ends the call budget of `signal`: its shared deadline's timer and
   * listener are released now, or, while requests of the call are still
   * in flight (one the call did not wait for), when the last of them ends,
   * so that none loses its deadline.
   */
  end(signal: AbortSignal): void {
    const call = this.#budgets.get(signal);
    if (!call) return;
    this.#budgets.delete(signal);
    call.held = false;
    if (call.shared && call.shared.inFlight === 0) {
      call.shared.release();
      call.shared = undefined;
    }
  }

  /** The call budget `signal` draws from, if any. */
  of(signal: AbortSignal | undefined): CallBudget | undefined {
    return signal && this.#budgets.get(signal);
  }

  /** Milliseconds left of the call budget `signal` draws from. */
  left(signal: AbortSignal): number | undefined {
    const call = this.#budgets.get(signal);
    return call && Math.max(0, call.deadline - performance.now());
  }

  /**
   * What one request may take: its own budget, within its call's. Throws
   * when the call's budget is spent (the request is then not sent).
   */
  forRequest(endpoint: string, signal: AbortSignal | undefined): Budget {
    const started = performance.now();
    const call = signal && this.#budgets.get(signal);
    if (!call) return { ms: this.#timeoutMs, started, call: undefined };
    call.requests++;
    const left = call.deadline - started;
    if (left <= 0) {
      throw new PlexConnectionError(
        `Plex at ${this.#baseUrl} did not answer within ${
          call.ms / 1000
        } s: this call's ${
          call.requests - 1
        } earlier requests used up its time budget, so ${endpoint} was not sent. Check that the server is up, or raise PLEX_TIMEOUT`,
        endpoint,
        "timeout",
      );
    }
    return { ms: Math.min(this.#timeoutMs, left), started, call };
  }

  /**
   * The error for a request its budget cut off: how long it could take,
   * how the last try ended (measured from that try's own start), and, when
   * earlier requests of its call used part of the budget, that they did.
   * `redact` removes the secrets from the message.
   */
  timeoutError(
    endpoint: string,
    tries: number,
    lastError: PlexError | undefined,
    lastTryStarted: number,
    budget: Budget,
    redact: (text: string) => string,
  ): PlexConnectionError {
    const now = performance.now();
    const call = budget.call;
    const into = call ? budget.started - (call.deadline - call.ms) : 0;
    // When earlier requests of the call used part of the budget, say so.
    const where = call && call.requests > 1 && into >= SHARED_NOTE_MS
      ? `${endpoint}; this call's ${call.requests} requests share one budget of ${
        seconds(call.ms)
      }, and this one started ${seconds(into)} into it and was cut off after ${
        seconds(now - budget.started)
      }`
      : endpoint;
    const detail = tries > 1 && lastError
      ? ` (${tries} tries; the last was cut off after ${
        seconds(now - lastTryStarted)
      }, the one before ended: ${lastError.message})`
      : "";
    const message = `Plex at ${this.#baseUrl} did not answer within ${
      this.#timeoutMs / 1000
    } s (${where}). Check that the server is up, or raise PLEX_TIMEOUT${detail}`;
    return new PlexConnectionError(redact(message), endpoint, "timeout");
  }
}
