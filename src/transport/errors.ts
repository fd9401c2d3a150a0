/**
 * Typed errors of the Plex client. Every message is written for a person (and
 * a model) to act on, names the endpoint, and never contains the token.
 *
 * @module
 */

/** Why a connection to Plex failed. */
export type ConnectionFailure =
  | "refused"
  | "dns"
  | "timeout"
  | "tls"
  | "permission"
  | "port"
  | "network";

/** Base class of every error raised by {@link PlexClient}. */
export class PlexError extends Error {
  /** The method and path that failed, e.g. `GET /library/sections`. */
  readonly endpoint: string;
  /** HTTP status when Plex answered, otherwise undefined. */
  readonly status: number | undefined;

  /** Creates an error for `endpoint` with an actionable message. */
  constructor(
    message: string,
    endpoint: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "PlexError";
    this.endpoint = endpoint;
    this.status = options.status;
  }
}

/** Plex could not be reached: refused, DNS, timeout, TLS, no permission. */
export class PlexConnectionError extends PlexError {
  /** The kind of failure. */
  readonly failure: ConnectionFailure;
  /** Creates a connection error. */
  constructor(
    message: string,
    endpoint: string,
    failure: ConnectionFailure,
    cause?: unknown,
  ) {
    super(message, endpoint, { cause });
    this.name = "PlexConnectionError";
    this.failure = failure;
  }
}

/** Plex answered 401: the token is missing, wrong, or lacks admin rights. */
export class PlexAuthError extends PlexError {
  /** Creates an auth error. */
  constructor(message: string, endpoint: string) {
    super(message, endpoint, { status: 401 });
    this.name = "PlexAuthError";
  }
}

/** Plex answered 404: unknown ratingKey, section, playlist or path. */
export class PlexNotFoundError extends PlexError {
  /** Creates a not-found error. */
  constructor(message: string, endpoint: string) {
    super(message, endpoint, { status: 404 });
    this.name = "PlexNotFoundError";
  }
}

/** Plex answered with another non-2xx status. */
export class PlexApiError extends PlexError {
  /** Creates an API error carrying the status. */
  constructor(message: string, endpoint: string, status: number) {
    super(message, endpoint, { status });
    this.name = "PlexApiError";
  }
}

/**
 * Plex answered 2xx but the body was not what the endpoint returns (not JSON,
 * truncated, XML, or a shape the schema rejects). The request itself worked.
 */
export class PlexResponseError extends PlexError {
  /** Creates a response error. */
  constructor(message: string, endpoint: string, cause?: unknown) {
    super(message, endpoint, { status: 200, cause });
    this.name = "PlexResponseError";
  }
}

/**
 * Plex (or something in front of it) answered with a redirect the client
 * does not follow: to another origin (the token would go there), a loop, or
 * a write redirected in a way that would change its method.
 */
export class PlexRedirectError extends PlexError {
  /** Host the redirect pointed to. */
  readonly target: string;
  /** Creates a redirect error. */
  constructor(
    message: string,
    endpoint: string,
    status: number,
    target: string,
  ) {
    super(message, endpoint, { status });
    this.name = "PlexRedirectError";
    this.target = target;
  }
}

/** Plex answered 429 or 503: it is busy; `retryAfterSeconds` when it said. */
export class PlexBusyError extends PlexError {
  /** Seconds Plex asked to wait (`Retry-After`), if it said. */
  readonly retryAfterSeconds: number | undefined;
  /** Creates a busy error. */
  constructor(
    message: string,
    endpoint: string,
    status: number,
    retryAfterSeconds: number | undefined,
  ) {
    super(message, endpoint, { status });
    this.name = "PlexBusyError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The configured address answers, but not like a Plex Media Server (its
 * `/identity` has no machine identifier): the URL points at another web
 * server.
 */
export class NotPlexServerError extends PlexError {
  /** Creates the error. */
  constructor(message: string, endpoint: string, cause?: unknown) {
    super(message, endpoint, { cause });
    this.name = "NotPlexServerError";
  }
}

/**
 * A request the client refused to send: a path with `..`, a query or
 * control characters, or a header value with a line break. Nothing was sent.
 */
export class PlexRequestError extends PlexError {
  /** Creates the error. */
  constructor(message: string, endpoint: string) {
    super(message, endpoint);
    this.name = "PlexRequestError";
  }
}

/**
 * The server answered as another machine than the one this client was
 * configured for (or first found there): another Plex server now answers
 * at the address. Names both machine identifiers.
 */
export class PlexIdentityError extends PlexError {
  /** The machine identifier the client expected. */
  readonly expected: string;
  /** The machine identifier the server answered with. */
  readonly actual: string;
  /** Creates the error. */
  constructor(
    message: string,
    endpoint: string,
    expected: string,
    actual: string,
  ) {
    super(message, endpoint);
    this.name = "PlexIdentityError";
    this.expected = expected;
    this.actual = actual;
  }
}
