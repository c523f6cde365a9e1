// The API reference page: Swagger UI over openapi.yaml, with "Try it out" aimed at this local host's API front and
// authorized with a dev token: the web console's sign-in of this tab (read from sessionStorage, never written
// here), or one minted with the form above (kept in memory).
const AUTH_KEY = 'ivs-serverless-console-auth';

const authLabel = document.querySelector('[data-testid="docs-auth"]');

function consoleSignIn() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(AUTH_KEY) ?? 'null');
    return saved && saved.expiresAt > Date.now() + 30_000 ? saved : null;
  } catch {
    return null;
  }
}

function authorize(ui, auth) {
  if (!auth) return;
  ui.preauthorizeApiKey('jwt', auth.token);
  authLabel.textContent = `Authorized as ${auth.userName}: "Try it out" sends its dev token.`;
  document.body.dataset.authorizedAs = auth.userName;
}

async function start() {
  const config = await (await fetch('/config.json')).json();
  const contract = await (await fetch('openapi.yaml')).text();
  // "Try it out" goes to this host's API front, whatever port it listens on: it replaces the document's first
  // server (the local host on its default port).
  const localServer = /^servers:\s*\n\s*- url: (\S+)/m.exec(contract)?.[1];
  const local = localServer ? contract.replaceAll(localServer, config.apiUrl.replace(/\/+$/, '')) : contract;
  const ui = window.SwaggerUIBundle({
    url: URL.createObjectURL(new Blob([local], { type: 'application/yaml' })),
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null, // no call to the public validator
    persistAuthorization: false,
    tryItOutEnabled: false,
    onComplete: () => {
      authorize(ui, consoleSignIn());
      document.body.dataset.ready = 'true';
    },
  });
  window.ui = ui;

  document.querySelector('[data-testid="docs-sign-in"]').addEventListener('submit', async (event) => {
    event.preventDefault();
    const userName = new FormData(event.target).get('userName');
    const response = await fetch('/dev/token', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName }),
    });
    const answer = await response.json();
    if (!response.ok) {
      authLabel.textContent = answer.message ?? `Sign-in failed (HTTP ${response.status}).`;
      return;
    }
    authorize(ui, { token: answer.token, userName: answer.userName });
  });
}

window.addEventListener('load', () => {
  start().catch((error) => { authLabel.textContent = `The reference could not load: ${error.message}`; });
});
