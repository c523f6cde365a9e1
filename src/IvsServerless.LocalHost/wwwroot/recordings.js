// Recordings of the open session (docs/recordings.md, "In the console"): each individual participant recording with its
// state, participant, times, first thumbnail, and for an ENDED one a player and a link to its playlist; the owner deletes.
// The player is a <video> driven by hls.js (npm, pinned in src/console-vendor, served by the local host at
// /vendor/hls.light.min.mjs and imported on the first Play only), or the browser's own HLS (Safari) when hls.js cannot
// run. The playback and thumbnail URLs are presigned and expire (playbackExpiresAt): a recording keeps the URLs it was
// first listed with until shortly before then, so a refresh neither reloads its thumbnail nor disturbs the player.
// console.js hands over its helpers once (installRecordings) and calls follow(stageId, sessionId) when a session's
// details open or close, and refresh() whenever it reloads them (a pushed recording change does).

const HLS_MODULE = '/vendor/hls.light.min.mjs';
// A recording the session reports but the list does not show yet (still ACTIVE, or its objects not yet written) is
// asked for again this often, at most PENDING_POLL_LIMIT times in a row.
const PENDING_POLL_MS = 2000;
const PENDING_POLL_LIMIT = 60;
const URL_MARGIN_MS = 60_000;

let hlsModule = null; // the import of hls.js, once

export function installRecordings({ state, api, act, el, button, log, root, RequestError, showError }) {
  const view = {
    stageId: null,
    sessionId: null,
    items: null, // null: not loaded; [] none
    served: true,
    urls: new Map(), // recordingId -> { playbackUrl, thumbnailUrls, playbackExpiresAt } as first listed
    armedDelete: null,
    player: null, // { recordingId, node, hls }
    timer: null,
    pendingPolls: 0,
    loading: null,
  };

  const isOwner = () => Array.isArray(state.stage?.invitedUserIds);

  function dateTime(value) {
    if (!value) return '—';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
  }

  function duration(ms) {
    if (typeof ms !== 'number') return '';
    const seconds = Math.round(ms / 1000);
    return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  }

  // ------------------------------------------------------------ loading

  async function follow(stageId, sessionId) {
    if (stageId === view.stageId && sessionId === view.sessionId) return refresh();
    closePlayer();
    clearTimeout(view.timer);
    Object.assign(view, { stageId, sessionId, items: null, served: true, armedDelete: null, pendingPolls: 0 });
    view.urls.clear();
    render();
    return refresh();
  }

  async function refresh() {
    if (!view.sessionId || !view.stageId) return;
    // One load at a time; a refresh asked for meanwhile is the same answer.
    view.loading ??= load().finally(() => { view.loading = null; });
    await view.loading;
  }

  async function load() {
    const { stageId, sessionId } = view;
    let items;
    try {
      const page = await api((client) => client.GET('/stages/{stageId}/sessions/{sessionId}/recordings',
        { params: { path: { stageId, sessionId } } }));
      items = page.items ?? [];
    } catch (error) {
      // API Gateway answers a route it does not have with a plain 404 (no problem code).
      if (error instanceof RequestError && error.status === 404 && !error.code) {
        view.served = false;
        items = [];
      } else {
        throw error;
      }
    }
    if (stageId !== view.stageId || sessionId !== view.sessionId) return;
    const now = Date.now();
    for (const item of items) {
      const kept = view.urls.get(item.recordingId);
      if (item.playbackUrl && (!kept || Date.parse(kept.playbackExpiresAt) - now < URL_MARGIN_MS)) {
        view.urls.set(item.recordingId,
          { playbackUrl: item.playbackUrl, thumbnailUrls: item.thumbnailUrls ?? [], playbackExpiresAt: item.playbackExpiresAt });
      }
    }
    view.items = items;
    if (view.player && !items.some((item) => item.recordingId === view.player.recordingId)) closePlayer();
    render();
    schedulePendingPoll();
  }

  // Recordings still to come: one ACTIVE, or one the session detail reports (participant recording state) that the
  // list does not show yet. The push channel tells about state changes, not about the objects being written.
  function pending() {
    if (view.items === null) return false;
    if (view.items.some((item) => item.state === 'ACTIVE' || (item.state === 'ENDED' && !item.playbackUrl && view.served))) {
      return true;
    }
    const participants = state.sessionDetail?.participants ?? [];
    const listed = new Set(view.items.filter((item) => item.kind !== 'composition').map((item) => item.participantId));
    return participants.some((p) => p.recording?.state && !listed.has(p.participantId));
  }

  function schedulePendingPoll() {
    clearTimeout(view.timer);
    if (!pending() || view.pendingPolls >= PENDING_POLL_LIMIT) {
      view.pendingPolls = 0;
      return;
    }
    view.pendingPolls += 1;
    const { stageId, sessionId } = view;
    view.timer = setTimeout(() => {
      // Not act(): a background refresh must not clear an error the user has not read yet.
      if (stageId === view.stageId && sessionId === view.sessionId) refresh().catch(showError);
    }, PENDING_POLL_MS);
  }

  // ------------------------------------------------------------ player

  async function loadHls() {
    hlsModule ??= import(HLS_MODULE).catch((error) => {
      hlsModule = null;
      throw error;
    });
    return (await hlsModule).default;
  }

  function closePlayer() {
    if (!view.player) return;
    view.player.hls?.destroy();
    view.player.node.remove();
    view.player = null;
  }

  /** What a recording recorded: a participant, or a composition (its S3 destination). */
  function subject(recording) {
    return recording.kind === 'composition'
      ? `composition ${recording.compositionId}`
      : `participant ${recording.participantId}`;
  }

  async function play(recording) {
    const urls = view.urls.get(recording.recordingId);
    if (!urls) return;
    closePlayer();
    const status = el('span', { class: 'muted small', testid: 'recording-player-status', 'aria-live': 'polite' }, 'Loading…');
    const video = el('video', {
      controls: true, muted: true, playsInline: true, preload: 'auto', class: 'player',
      'aria-label': `Recording of ${subject(recording)}`,
    });
    const node = el('div',
      { class: 'detail', testid: 'recording-player', dataset: { recordingId: recording.recordingId, manifestParsed: 'false' } },
      el('div', { class: 'row spread' },
        el('h4', {}, `Playing ${recording.compositionId ?? recording.participantId}${recording.userId ? ` (${recording.userId})` : ''}`),
        button('Close player', () => { closePlayer(); render(); }, { class: 'link', testid: 'recording-player-close' })),
      video, el('div', {}, status));
    view.player = { recordingId: recording.recordingId, node, hls: null };
    render();

    let Hls = null;
    try {
      Hls = await loadHls();
    } catch (error) {
      log(`hls.js did not load from ${HLS_MODULE} (${error.message}); trying the browser's own HLS.`, 'error');
    }
    if (view.player?.node !== node) return; // closed or replaced meanwhile
    if (Hls?.isSupported()) {
      node.dataset.engine = `hls.js ${Hls.version}`;
      const hls = new Hls({ enableWorker: true });
      view.player.hls = hls;
      let fragments = 0;
      hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
        node.dataset.manifestParsed = 'true';
        node.dataset.levels = String(data.levels.length);
        status.textContent = `Playlist parsed: ${data.levels.length} rendition(s).`;
        log(`Recording ${recording.recordingId}: hls.js parsed the playlist (${data.levels.length} rendition(s)).`);
      });
      hls.on(Hls.Events.FRAG_LOADED, () => {
        fragments += 1;
        node.dataset.fragmentsLoaded = String(fragments);
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        node.dataset.lastError = data.details;
        if (!data.fatal) return;
        node.dataset.fatalError = data.details;
        status.textContent = `Playback stopped: ${data.type} ${data.details}.`;
      });
      hls.loadSource(urls.playbackUrl);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      node.dataset.engine = 'native';
      video.addEventListener('loadedmetadata', () => {
        node.dataset.manifestParsed = 'true';
        status.textContent = 'Playlist loaded.';
      });
      video.addEventListener('error', () => { status.textContent = 'The browser cannot play this recording.'; });
      video.src = urls.playbackUrl;
    } else {
      node.dataset.engine = 'none';
      status.textContent = 'This browser plays no HLS: use the playlist link.';
    }
  }

  // ------------------------------------------------------------ delete

  async function remove(recording) {
    if (view.armedDelete !== recording.recordingId) {
      view.armedDelete = recording.recordingId;
      render();
      return;
    }
    view.armedDelete = null;
    await api((client) => client.DELETE('/stages/{stageId}/recordings/{recordingId}',
      { params: { path: { stageId: view.stageId, recordingId: recording.recordingId } } }));
    log(`Deleted recording ${recording.recordingId}.`);
    if (view.player?.recordingId === recording.recordingId) closePlayer();
    view.urls.delete(recording.recordingId);
    await refresh();
  }

  // ------------------------------------------------------------ view

  function row(recording) {
    const urls = view.urls.get(recording.recordingId);
    const thumbnail = urls?.thumbnailUrls?.[0];
    const playable = recording.state === 'ENDED' && urls;
    const owner = isOwner();
    return el('tr', { testid: 'recording-row', dataset: { recordingId: recording.recordingId, state: recording.state } },
      el('td', {}, thumbnail
        ? el('img', {
          src: thumbnail, class: 'thumbnail', width: '96', height: '54', testid: 'recording-thumbnail',
          alt: `Thumbnail of the recording of ${subject(recording)}`,
        })
        : el('span', { class: 'muted small' }, 'no thumbnail')),
      el('td', {}, recording.kind === 'composition' ? 'composition ' : '',
        el('code', {}, recording.compositionId ?? recording.participantId), ' ',
        recording.userId || el('span', { class: 'muted' }, '(no user id)')),
      el('td', { testid: 'recording-state' }, recording.state === 'ACTIVE'
        ? el('span', { class: 'badge live' }, 'recording')
        : recording.state),
      el('td', {}, dateTime(recording.startedAt)),
      el('td', {}, dateTime(recording.endedAt), recording.durationMs !== undefined ? ` (${duration(recording.durationMs)})` : ''),
      el('td', { class: 'actions' },
        playable ? button('Play', () => act(() => play(recording)),
          { testid: 'play-recording', 'aria-label': `Play the recording of ${subject(recording)}` }) : '',
        playable ? el('a', {
          href: urls.playbackUrl, target: '_blank', rel: 'noopener', class: 'small', testid: 'recording-playlist',
          title: `HLS playlist, for any HLS player; valid until ${dateTime(urls.playbackExpiresAt)}`,
        }, 'Playlist (.m3u8)') : '',
        owner && recording.state !== 'ACTIVE'
          ? button(view.armedDelete === recording.recordingId ? 'Confirm delete' : 'Delete', () => act(() => remove(recording)),
            { class: 'danger', testid: 'delete-recording', 'aria-label': `Delete the recording of ${subject(recording)}` })
          : ''));
  }

  function render() {
    root.hidden = !view.sessionId;
    if (root.hidden) {
      root.replaceChildren();
      return;
    }
    const items = view.items ?? [];
    const note = view.items === null ? 'Loading recordings…'
      : !view.served ? 'This API serves no recordings.'
        : items.length === 0 ? 'No recordings in this session (a stage records when created with "record participants").'
          : null;
    const table = el('table', { class: 'list', testid: 'recording-list' },
      el('caption', { class: 'visually-hidden' }, `Recordings of session ${view.sessionId}`),
      el('thead', {}, el('tr', {},
        ['Thumbnail', 'Participant', 'State', 'Started', 'Ended'].map((name) => el('th', { scope: 'col' }, name)),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')))),
      el('tbody', {}, items.map(row)));
    table.hidden = items.length === 0;
    // The player node is moved, never rebuilt: a refresh does not interrupt playback.
    root.replaceChildren(
      el('h4', {}, `Recordings of session ${view.sessionId}`),
      note ? el('p', { class: 'muted', testid: 'recording-list-empty' }, note) : '',
      table,
      view.player ? view.player.node : '');
  }

  return { follow, refresh };
}
