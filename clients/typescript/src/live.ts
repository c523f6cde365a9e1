// The seam for live updates. The architecture plans an API Gateway WebSocket API (JWT on connect, DynamoDB Streams
// → notifier → @connections) that pushes stage, participant and composition changes; it is not built yet, and there
// is no AsyncAPI message catalogue to generate its types from. When it lands:
//   - generate LiveEvent from the AsyncAPI document next to openapi.yaml (as schema.d.ts is generated),
//   - implement connectLive with the same TokenProvider (token in the connect query, refresh once on 401),
//     reconnect with backoff, resubscribe, and a refetch over HTTP when a `version` gap shows a missed message,
//   - keep these signatures, so apps written against them need no change.
// Until then connectLive throws LiveUpdatesUnavailableError and apps poll GET /stages/{stageId} (the console does).
import type { components } from './schema.js';

/** What the channel will deliver: the new state of a resource the caller subscribed to, with its `version`. */
export type LiveEvent =
  | { type: 'stage'; stageId: string; version: number; stage: components['schemas']['Stage'] }
  | { type: 'stage-deleted'; stageId: string; version: number };

export interface LiveOptions {
  /** The WebSocket API's URL (a future stack output). */
  url: string;
  /** Stages to follow. */
  stageIds: string[];
  onEvent: (event: LiveEvent) => void;
}

export interface LiveChannel {
  close(): void;
}

export class LiveUpdatesUnavailableError extends Error {
  constructor() {
    super('The API has no live-updates channel yet: poll GET /stages/{stageId} (see docs/client.md).');
    this.name = 'LiveUpdatesUnavailableError';
  }
}

/** Opens the live-updates channel. Not available yet: always throws {@link LiveUpdatesUnavailableError}. */
export function connectLive(_options: LiveOptions): LiveChannel {
  throw new LiveUpdatesUnavailableError();
}
