// Host tools of the console (issue 15): co-hosts promoted or demoted in place (token exchange through the API, then the
// device side through /_sim/), the ban list with lift, ingest configurations for encoders (the stream key shown once, then
// an encoder started or stopped through /_sim/encoder/), and cross-stage replication. console.js hands over its helpers once
// (installHostTools) and calls render(stage) whenever it shows a stage; the panel is built once per stage, so polling
// never wipes what the user is typing, and its lists refresh on its own actions and its Refresh button.

export function installHostTools({ state, api, sim, act, el, button, log, root }) {
  let shownStageId = null;
  // ingestConfigurationId -> stream key, for this page only: the API returns it once and never lists it.
  const keys = new Map();

  const path = (extra = {}) => ({ params: { path: { stageId: state.stageId, ...extra } } });
  const isOwner = (stage) => Array.isArray(stage?.invitedUserIds);
  const isHost = (stage) => isOwner(stage) || (stage?.coHostIds ?? []).includes(state.auth?.userName);
  const list = (testid) => el('ul', { class: 'list', testid });

  // ------------------------------------------------------------ co-hosts and exchange

  async function setCoHost(userId, add) {
    const current = state.stage.coHostIds;
    const coHostIds = add ? [...new Set([...current, userId])] : current.filter((id) => id !== userId);
    state.stage = await api((client) => client.PATCH('/stages/{stageId}', { ...path(), body: { coHostIds } }));
    log(`${add ? 'Added' : 'Removed'} co-host ${userId}; their next token exchange ${add ? 'may publish' : 'is subscribe-only'}.`);
  }

  // The promotion or demotion without reconnecting: the API mints the new token, the device presents it to IVS.
  async function exchange(entry) {
    const fresh = await api((client) => client.POST('/stages/{stageId}/participant-tokens/exchange',
      { ...path(), body: { token: entry.token } }));
    if (entry.joined) await sim(`stages/${entry.stageId}/participants/${entry.participantId}/exchange`, { token: fresh.token });
    Object.assign(entry, { token: fresh.token, capabilities: fresh.capabilities, expirationTime: fresh.expirationTime });
    if (!fresh.capabilities.includes('PUBLISH')) entry.published = false;
    log(`Participant ${entry.participantId} exchanged its token: ${fresh.capabilities.join(', ')}.`);
  }

  function coHostPanel(stage) {
    const userId = el('input', { testid: 'co-host-user', placeholder: 'user id', 'aria-label': 'Co-host user id' });
    const owner = isOwner(stage)
      ? el('div', { class: 'row' }, userId,
        button('Add co-host', () => act(() => setCoHost(userId.value.trim(), true)), { testid: 'add-co-host' }),
        button('Remove co-host', () => act(() => setCoHost(userId.value.trim(), false)), { class: 'secondary', testid: 'remove-co-host' }))
      : null;
    const mine = [...state.tokens.values()].filter((t) => t.stageId === state.stageId && !t.kicked);
    const exchanges = mine.map((entry) => button(`Exchange ${entry.participantId}`, () => act(async () => {
      await exchange(entry);
      render(state.stage, { force: true });
    }), { class: 'secondary', testid: 'exchange-token', 'aria-label': `Exchange the token of participant ${entry.participantId}` }));
    return [el('h4', {}, 'Co-hosts and token exchange'), owner,
      el('p', { class: 'muted' }, 'After a co-host change, exchange a token: the participant stays connected.'),
      el('div', { class: 'row' }, ...exchanges)];
  }

  // ------------------------------------------------------------ bans

  async function refreshBans(target) {
    const bans = await api((client) => client.GET('/stages/{stageId}/bans', path()));
    target.replaceChildren(...bans.items.map((ban) => el('li', { testid: 'ban-row' }, el('code', {}, ban.userId), ' ',
      button('Lift', () => act(async () => {
        await api((client) => client.DELETE('/stages/{stageId}/bans/{userId}', path({ userId: ban.userId })));
        log(`Lifted the ban of ${ban.userId}.`);
        await refreshBans(target);
      }), { class: 'secondary', testid: 'lift-ban' }))));
    if (bans.items.length === 0) target.replaceChildren(el('li', { class: 'muted' }, 'Nobody is banned.'));
  }

  // ------------------------------------------------------------ ingest

  async function refreshIngest(target) {
    const configurations = await api((client) => client.GET('/stages/{stageId}/ingest-configurations', path()));
    target.replaceChildren(...configurations.items.map((c) => {
      const key = keys.get(c.ingestConfigurationId);
      const encoder = key
        ? button(c.state === 'ACTIVE' ? 'Stop encoder' : 'Start encoder', () => act(async () => {
          await sim(`encoder/${c.state === 'ACTIVE' ? 'stop' : 'start'}`, { streamKey: key });
          log(`Encoder of ${c.name}: ${c.state === 'ACTIVE' ? 'stopped' : 'publishing'}.`);
          await refreshIngest(target);
        }), { class: 'secondary', testid: 'sim-encoder' })
        : null;
      return el('li', { testid: 'ingest-row', dataset: { state: c.state } },
        el('code', {}, c.name), ` ${c.ingestProtocol} · ${c.state} · user ${c.userId ?? '—'} `, encoder,
        button('Delete', () => act(async () => {
          await api((client) => client.DELETE('/stages/{stageId}/ingest-configurations/{ingestConfigurationId}',
            path({ ingestConfigurationId: c.ingestConfigurationId })));
          keys.delete(c.ingestConfigurationId);
          await refreshIngest(target);
        }), { class: 'secondary', testid: 'delete-ingest' }));
    }));
  }

  function ingestPanel() {
    const name = el('input', { testid: 'ingest-name', value: 'obs', 'aria-label': 'Ingest configuration name' });
    const protocol = el('select', { testid: 'ingest-protocol', 'aria-label': 'Ingest protocol' },
      el('option', { value: 'RTMPS' }, 'RTMPS'), el('option', { value: 'RTMP' }, 'RTMP'));
    const secret = el('div', { class: 'detail', testid: 'ingest-secret', hidden: true });
    const rows = list('ingest-list');
    const create = button('Create ingest configuration', () => act(async () => {
      const created = await api((client) => client.POST('/stages/{stageId}/ingest-configurations',
        { ...path(), body: { name: name.value.trim(), ingestProtocol: protocol.value } }));
      keys.set(created.ingestConfigurationId, created.streamKey);
      secret.hidden = false;
      secret.replaceChildren(el('p', {}, 'Shown once — give these to the encoder now:'),
        el('p', {}, 'Server ', el('code', { testid: 'ingest-endpoint' }, created.ingestEndpoint)),
        el('p', {}, 'Stream key ', el('code', { testid: 'ingest-stream-key' }, created.streamKey)),
        button('Hide', () => { secret.hidden = true; secret.replaceChildren(); }, { class: 'secondary' }));
      log(`Created ingest configuration ${created.name} (${created.ingestProtocol}).`);
      await refreshIngest(rows);
    }), { testid: 'create-ingest' });
    return { nodes: [el('h4', {}, 'Encoders (RTMP ingest)'), el('div', { class: 'row' }, name, protocol, create), secret, rows], rows };
  }

  // ------------------------------------------------------------ replication

  function replicationPanel() {
    const participant = el('input', { testid: 'replica-participant', placeholder: 'publishing participant id', 'aria-label': 'Participant' });
    const destination = el('select', { testid: 'replica-destination', 'aria-label': 'Destination stage' },
      state.stages.filter((s) => s.stageId !== state.stageId).map((s) => el('option', { value: s.stageId }, `${s.name} (${s.stageId})`)));
    const rows = list('replica-list');
    const refresh = async () => {
      if (!participant.value.trim()) return;
      const replicas = await api((client) => client.GET('/stages/{stageId}/replications',
        { params: { path: { stageId: state.stageId }, query: { participantId: participant.value.trim() } } }));
      rows.replaceChildren(...replicas.items.map((r) => el('li', { testid: 'replica-row', dataset: { state: r.state } },
        `${r.participantId} → ${r.destinationStageId} · ${r.state} `,
        r.state === 'ACTIVE' ? button('Stop', () => act(async () => {
          await api((client) => client.DELETE('/stages/{stageId}/replications/{participantId}', {
            params: { path: { stageId: state.stageId, participantId: r.participantId }, query: { destinationStageId: r.destinationStageId } },
          }));
          log(`Stopped replicating ${r.participantId} to ${r.destinationStageId}.`);
          await refresh();
        }), { class: 'secondary', testid: 'stop-replica' }) : null)));
    };
    const start = button('Replicate', () => act(async () => {
      await api((client) => client.POST('/stages/{stageId}/replications',
        { ...path(), body: { participantId: participant.value.trim(), destinationStageId: destination.value } }));
      log(`Replicating ${participant.value.trim()} to ${destination.value}.`);
      await refresh();
    }), { testid: 'start-replica' });
    return { nodes: [el('h4', {}, 'Cross-stage guests (replication)'), el('div', { class: 'row' }, participant, destination, start,
      button('Show replicas', () => act(refresh), { class: 'secondary', testid: 'list-replicas' })), rows], refresh };
  }

  // ------------------------------------------------------------ panel

  function render(stage, { force = false } = {}) {
    if (!root) return;
    if (!isHost(stage)) {
      root.hidden = true;
      shownStageId = null;
      return;
    }
    if (!force && shownStageId === stage.stageId) return;
    shownStageId = stage.stageId;
    const ingest = ingestPanel();
    const replication = replicationPanel();
    const bans = el('ul', { class: 'list', testid: 'ban-list' });
    root.hidden = false;
    root.replaceChildren(el('h3', {}, 'Host tools'), ...coHostPanel(stage),
      ...(isOwner(stage) ? [el('h4', {}, 'Bans'), bans] : []), ...ingest.nodes, ...replication.nodes);
    act(async () => {
      if (isOwner(stage)) await refreshBans(bans);
      await refreshIngest(ingest.rows);
    });
  }

  return { render };
}
