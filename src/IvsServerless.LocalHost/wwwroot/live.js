// The live-updates push channel of the console (docs/live-updates.md, "The client contract"): one WebSocket to
// liveUrl?token=<user JWT>; subscribes to the stages it follows and again after every reconnect; reconnects by itself
// with backoff (1 s, 2 s, 4 s … 30 s, with jitter); keeps the last version per stage and asks for a refetch
// (`onResync`) when a stage's subscription (re)starts and when a version gap shows a message was missed.
// It knows nothing of the page: the console passes callbacks.

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
// API Gateway closes a connection idle for 10 minutes: a ping every 5 keeps an idle console connected.
const PING_MS = 5 * 60_000;

// Messages to one user (every connection of theirs): they carry the version of the change, not a stage sequence.
const USER_MESSAGES = new Set(['invited', 'promoted', 'demoted', 'kicked']);

export class LiveChannel {
  // options: { url, token: async ({ forceRefresh }) => jwt | null,
  //   onStatus(status: 'connecting' | 'live' | 'reconnecting' | 'off'),
  //   onMessage(message), onResync(stageId, reason: 'subscribed' | 'gap'), onError(message) }
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.status = 'off';
    this.attempt = 0;
    this.failedOpens = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.stopped = true;
    // stageId -> { version: number | null, resyncOnSubscribed: boolean }
    this.stages = new Map();
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.stages.clear();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'signed out');
    this.setStatus('off');
  }

  get open() {
    return this.socket?.readyState === WebSocket.OPEN && this.status === 'live';
  }

  // Follows a stage: subscribes now if connected, else once connected; `onResync(stageId, 'subscribed')` follows the
  // answer, so the caller fetches the stage after the subscription started and misses no change in between.
  follow(stageId) {
    this.stages.set(stageId, { version: null, resyncOnSubscribed: true });
    if (this.open) this.send({ action: 'subscribe', stageId });
  }

  unfollow(stageId) {
    if (!this.stages.delete(stageId)) return;
    if (this.open) this.send({ action: 'unsubscribe', stageId });
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  send(frame) {
    this.socket.send(JSON.stringify(frame));
  }

  async connect() {
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    // A handshake refused twice in a row (the browser hides the 401/403): most likely the token expired; get a new one.
    const token = await this.options.token({ forceRefresh: this.failedOpens >= 2 });
    if (this.stopped) return;
    if (!token) {
      this.scheduleRetry();
      return;
    }
    const socket = new WebSocket(`${this.options.url}${this.options.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`);
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      opened = true;
      this.attempt = 0;
      this.failedOpens = 0;
      this.setStatus('live');
      // Nothing survives a connection: subscribe to every followed stage again and refetch each once subscribed.
      for (const [stageId, followed] of this.stages) {
        followed.version = null;
        followed.resyncOnSubscribed = true;
        this.send({ action: 'subscribe', stageId });
      }
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => { if (this.open) this.send({ action: 'ping' }); }, PING_MS);
    });
    socket.addEventListener('message', (event) => {
      if (socket !== this.socket) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.receive(message);
    });
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      clearInterval(this.pingTimer);
      if (!opened) this.failedOpens += 1;
      if (!this.stopped) this.scheduleRetry();
    });
  }

  scheduleRetry() {
    this.setStatus('reconnecting');
    const ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.attempt);
    this.attempt += 1;
    // Jitter: between half and all of the ceiling, so a restarted backend is not hit by every console at once.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  receive(message) {
    const { type, stageId } = message;
    if (type === 'pong' || type === 'unsubscribed') return;
    if (type === 'error') {
      this.options.onError(message);
      return;
    }
    if (type === 'subscribed') {
      const followed = this.stages.get(stageId);
      if (!followed) return;
      followed.version = message.version;
      if (followed.resyncOnSubscribed) {
        followed.resyncOnSubscribed = false;
        this.options.onResync(stageId, 'subscribed');
      }
      return;
    }
    if (USER_MESSAGES.has(type)) {
      this.options.onMessage(message);
      return;
    }
    const followed = this.stages.get(stageId);
    if (!followed) {
      // Not (or no longer) followed: only what ends a subscription matters.
      if (type === 'access-revoked' || type === 'stage-deleted') this.options.onMessage(message);
      return;
    }
    if (followed.version === null) {
      // Before `subscribed` answered: the fetch that follows it shows this change.
      return;
    }
    if (message.version <= followed.version) return; // A retried delivery.
    const gap = message.version > followed.version + 1;
    followed.version = message.version;
    if (type === 'access-revoked' || type === 'stage-deleted') this.stages.delete(stageId);
    this.options.onMessage(message);
    if (gap && this.stages.has(stageId)) this.options.onResync(stageId, 'gap');
  }
}
