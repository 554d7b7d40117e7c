/**
 * The page a browser gets on a private deployment (PRIVATE_READS=true) when it may not read a page: 401 without a
 * token, 403 with a token that does not cover the repository. It says what access is needed instead of answering
 * the JSON envelope a person following a PR comment's link cannot act on.
 */
import { html } from '../escape.js';
import { renderPage } from '../layout.js';

export function renderAccessPage(status: 401 | 403, message: string): string {
  const title = status === 401 ? 'Sign-in needed' : 'No access';
  const body = html`<h1>${title}</h1>
<div class="card">
<p>This medvlm-bench deployment is private: its pages, runs and comparisons are shown only to callers with read access.</p>
<p class="muted">${message}</p>
<h2>What access is needed</h2>
<ul>
<li>An <strong>API token</strong> whose scope covers the repository (<code>owner/name</code> or <code>owner/*</code>),
sent as <code>Authorization: Bearer mvb_…</code>. The operator creates one with
<code>npm run token -- create --repo owner/name --remote</code>.</li>
<li>Or a GitHub Actions OIDC token of a repository of the same owner, when the deployment lists that owner or
repository in <code>ALLOWED_OWNERS</code> / <code>ALLOWED_REPOS</code>.</li>
</ul>
<p>A browser cannot attach the token to a link: read the same data with
<code>curl -H "Authorization: Bearer $TOKEN" …/api/v1/…</code>, use a browser extension that sets the header, or ask
the operator for access. The pull-request comment and job summary of the action carry the figures themselves.</p>
<p><a href="/">Back to the leaderboard</a></p>
</div>`;
  return renderPage({ title, body });
}
