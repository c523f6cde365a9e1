// The IvsServerless HTTP API client: openapi-fetch over the types openapi-typescript generates from the contract
// (src/schema.d.ts, never edited by hand), plus what every app needs around it: a bearer-token provider that is
// asked again once when the API answers 401, problem+json errors as a typed union of stable codes, the
// Idempotency-Key of a composition start, and cursor paging. Usage: docs/client.md.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import { connectLive } from './live.js';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

type Schemas = components['schemas'];
export type Stage = Schemas['Stage'];
export type StagePage = Schemas['StagePage'];
export type CreateStage = Schemas['CreateStage'];
export type UpdateStage = Schemas['UpdateStage'];
export type RecordingSetting = Schemas['RecordingSetting'];
export type ParticipantToken = Schemas['Token'];
export type CreateParticipantToken = Schemas['CreateToken'];
export type Composition = Schemas['Composition'];
export type SessionSummary = Schemas['SessionSummary'];
export type SessionPage = Schemas['SessionPage'];
export type SessionDetail = Schemas['SessionDetail'];
export type RecordingList = Schemas['RecordingList'];

/** Every stable problem `code` the contract documents (the `ProblemCode` schema). */
export type ProblemCode = Schemas['ProblemCode'];

/**
 * An application/problem+json answer of the API, discriminated by `status` and `code`: `problem.status === 403`
 * narrows `problem.code` to the 403 codes (`'owner-only' | 'capability-not-allowed' | …`).
 */
export type Problem =
  | Schemas['BadRequestProblem']
  | Schemas['UnauthorizedProblem']
  | Schemas['ForbiddenProblem']
  | Schemas['NotFoundProblem']
  | Schemas['ConflictProblem']
  | Schemas['TooLargeProblem']
  | Schemas['UnsupportedMediaTypeProblem']
  | Schemas['ThrottledProblem']
  | Schemas['UpstreamProblem']
  | Schemas['UnavailableProblem'];

/** API Gateway's own answers (not the function's), e.g. the JWT authorizer's `401 {"message":"Unauthorized"}`. */
export type GatewayMessage = Schemas['GatewayMessage'];

/** Every code as a value, for apps that switch on codes at run time (kept equal to ProblemCode by the type check). */
export const problemCodes = [
  'validation-failed', 'malformed-json', 'unknown-field', 'invalid-path-parameter', 'invalid-cursor', 'invalid-participant-token', 'malformed-event',
  'unauthenticated', 'owner-only', 'host-only', 'capability-not-allowed', 'not-allowed-to-join', 'banned', 'token-not-yours', 'stage-not-found', 'session-not-found',
  'participant-not-found', 'composition-not-found', 'ingest-configuration-not-found', 'replication-not-found', 'not-found', 'route-not-found', 'method-not-allowed', 'conflict',
  'ban-limit-reached', 'exchange-needs-self-signed', 'ingest-limit-reached', 'ivs-quota-exceeded', 'replication-conflict',
  'payload-too-large', 'unsupported-media-type', 'quota-exceeded', 'throttled', 'rate-limited', 'internal-error', 'upstream-error',
  'upstream-unreachable', 'service-quota-exceeded', 'timeout',
  'token-signing-unavailable', 'compositions-not-configured', 'session-history-unavailable', 'store-unavailable',
  'recordings-not-configured', 'recording-active', 'playback-url-rejected', 'recording-not-found', 'recording-delete-failed',
  'recordings-storage-failed',
] as const satisfies readonly ProblemCode[];
// Fails to compile when the contract gains a code this list lacks.
type MissingCodes = Exclude<ProblemCode, (typeof problemCodes)[number]>;
const everyCodeListed: [MissingCodes] extends [never] ? true : MissingCodes = true;
void everyCodeListed;

/** Whether `body` (an openapi-fetch `error`, or any parsed JSON) is a problem of this API. */
export function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null
    && typeof (body as { code?: unknown }).code === 'string'
    && typeof (body as { status?: unknown }).status === 'number'
    && typeof (body as { title?: unknown }).title === 'string';
}

/**
 * A failed call, thrown by {@link ok}: `problem` when the API answered problem+json (switch on `problem.code`),
 * `gateway` when API Gateway answered itself, neither when the body was something else (then `body`).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem?: Problem;
  readonly gateway?: GatewayMessage;
  readonly body: unknown;
  readonly requestId?: string;

  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    const gateway = !problem && typeof body === 'object' && body !== null && typeof (body as GatewayMessage).message === 'string'
      ? body as GatewayMessage : undefined;
    super(problem ? `${problem.title} (${status}, ${problem.code}): ${problem.detail}`
      : gateway ? `HTTP ${status}: ${gateway.message}` : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.gateway = gateway;
    this.body = body;
    this.requestId = problem?.instance;
  }

  /** The problem's stable code, or undefined for an answer that is not a problem of this API. */
  get code(): ProblemCode | undefined {
    return this.problem?.code;
  }
}

/**
 * Unwraps an openapi-fetch result: the typed `data` of a 2xx answer, or throws {@link ApiError}.
 * `const stage = await ok(api.POST('/stages', { body }))`.
 */
export async function ok<T, E>(call: Promise<{ data?: T; error?: E; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, error);
  return data as T;
}

/**
 * Where the client gets the user's bearer token (a Cognito/OIDC ID token; locally a dev token). It is called
 * before each request with `forceRefresh: false` (return a cached token) and, when the API answers 401, once more
 * with `forceRefresh: true` (refresh it); the request is then sent again once. Return null to send none.
 */
export type TokenProvider = (context: { forceRefresh: boolean }) => string | null | undefined | Promise<string | null | undefined>;

export interface IvsServerlessClientOptions extends Omit<ClientOptions, 'baseUrl' | 'fetch'> {
  /** The API's base URL: the stack output `ApiUrl`, or the local host's API front (http://127.0.0.1:3000). */
  baseUrl: string;
  /** The user's bearer token; see {@link TokenProvider}. Without it requests carry no Authorization header. */
  token?: TokenProvider;
  /** The fetch to send requests with (default: globalThis.fetch). */
  fetch?: (request: Request) => Promise<Response>;
}

export interface IvsServerlessClient extends Client<paths> {
  /** Starts a composition; retrying with the same `idempotencyKey` answers the first one (200) instead of a second. */
  startComposition(stageId: string, options?: { idempotencyKey?: string }): Promise<{ composition: Composition; created: boolean; idempotencyKey: string }>;
  /**
   * Live updates (stage, participants, compositions) over a WebSocket: not in the API yet. This is the seam for it:
   * see ./live.ts. Until the channel exists it throws; poll GET /stages/{stageId} instead.
   */
  live: typeof import('./live.js').connectLive;
}

/** A client of the HTTP API, typed by the contract: `api.GET('/stages/{stageId}', { params: { path: { stageId } } })`. */
export function createIvsServerlessClient(options: IvsServerlessClientOptions): IvsServerlessClient {
  const { baseUrl, token, fetch: send = (request: Request) => globalThis.fetch(request), ...rest } = options;
  const authorized = async (request: Request, forceRefresh: boolean): Promise<Response> => {
    const bearer = token ? await token({ forceRefresh }) : undefined;
    const headers = new Headers(request.headers);
    if (bearer) headers.set('authorization', `Bearer ${bearer}`);
    return send(new Request(request, { headers }));
  };
  const client = createClient<paths>({
    ...rest,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    fetch: async (request: Request) => {
      // The body can be read once: keep a copy for the one retry after a refresh.
      const retry = token ? request.clone() : undefined;
      const response = await authorized(request, false);
      if (response.status !== 401 || !retry) return response;
      await response.body?.cancel();
      return authorized(retry, true);
    },
  });

  const startComposition: IvsServerlessClient['startComposition'] = async (stageId, { idempotencyKey } = {}) => {
    const key = idempotencyKey ?? newIdempotencyKey();
    const { data, error, response } = await client.POST('/stages/{stageId}/compositions', {
      params: { path: { stageId }, header: { 'Idempotency-Key': key } },
    });
    if (!response.ok || !data) throw new ApiError(response.status, error);
    return { composition: data, created: response.status === 201, idempotencyKey: key };
  };

  return Object.assign(client, { startComposition, live: connectLive });
}

/** A fresh Idempotency-Key (32 hex digits; the API accepts 1-64 letters, digits, '-' and '_'). */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '');
}

/** One page of a cursor-paged list: `items`, and `nextCursor` unless it is the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Every item of a cursor-paged list, page by page (GET /stages, GET /stages/{stageId}/sessions):
 * `for await (const stage of paginate((cursor) => ok(api.GET('/stages', { params: { query: { cursor } } })))) …`.
 * `maxPages` bounds the walk (default: no bound).
 */
export async function* paginate<T>(page: (cursor: string | undefined) => Promise<Page<T>>, { maxPages = Infinity } = {}): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  for (let fetched = 0; fetched < maxPages; fetched++) {
    const current = await page(cursor);
    yield* current.items;
    if (!current.nextCursor) return;
    cursor = current.nextCursor;
  }
}

export { LiveUpdatesUnavailableError, type LiveChannel, type LiveEvent, type LiveOptions } from './live.js';
export { devSignIn, devTokenProvider, type DevToken } from './dev.js';
