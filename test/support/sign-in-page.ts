/**
 * The test server's imitation of SonarQube's "allow this IDE" page (`/sonarlint/auth`): it asks
 * the loopback port who is there, shows it, and on "Allow" has its own server make a token for
 * the user signed in to SonarQube in this browser, then POSTs it to the port, as SonarQube does.
 * Server flavour sends JSON (a CORS preflight, with Chromium's private network access); Cloud
 * labels it text/plain (no preflight), as the API notes say some answer.
 */
export function signInPage(options: { contentType: string; login: string | null }): string {
  const state = JSON.stringify(options);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow a connection</title></head>
<body>
<h1>Allow a connection</h1>
<p id="who">Asking who is there…</p>
<button id="allow" disabled>Allow connection</button>
<p id="result" role="status"></p>
<script>
const { contentType, login } = ${state};
const port = new URLSearchParams(location.search).get('port');
const local = 'http://localhost:' + port;
const who = document.getElementById('who');
const allow = document.getElementById('allow');
const result = document.getElementById('result');
fetch(local + '/sonarlint/api/status')
  .then((r) => r.json())
  .then((status) => {
    who.textContent = status.ideName + ' on ' + status.description + ' asks for a token for ' + (login ?? 'nobody: sign in first') + '.';
    allow.disabled = login === null;
    allow.dataset.description = status.description;
  })
  .catch(() => (who.textContent = 'Nothing answers on port ' + port + '.'));
allow.onclick = async () => {
  const made = await fetch('allow', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'Token Vault for SonarQube (' + allow.dataset.description + ')' }),
  });
  const generated = await made.json();
  const answer = await fetch(local + '/sonarlint/api/token', {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: JSON.stringify(generated),
  }).catch(() => null);
  result.textContent = answer && answer.ok ? 'Connected: you can close this page.' : 'Refused (' + (answer ? answer.status : 'no answer') + ').';
};
</script>
</body></html>`;
}
