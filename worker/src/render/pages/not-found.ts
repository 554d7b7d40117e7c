/** Friendly 404 for pages (badges and charts never 404: they answer with a grey "no data" image instead). */
import { html } from '../escape.js';
import { renderPage } from '../layout.js';

export function renderNotFoundPage(what: string, hint?: string): string {
  const body = html`<h1>Not found</h1>
<div class="card"><p>${what}</p>${hint && html`<p class="muted">${hint}</p>`}
<p><a href="/">Back to the leaderboard</a></p></div>`;
  return renderPage({ title: 'Not found', body });
}
