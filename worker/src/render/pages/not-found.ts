/**
 * Friendly error pages: 404 for unknown repositories and runs, and the same layout with another heading for the
 * other page errors (400 bad address, 409 run still incomplete, 422 runs not comparable). Badges and charts never
 * use these: they answer with a grey image instead.
 */
import { html } from '../escape.js';
import { renderPage } from '../layout.js';

export const ERROR_TITLES = { 400: 'Bad request', 404: 'Not found', 409: 'Not ready', 422: 'Cannot compare' } as const;
export type PageErrorStatus = keyof typeof ERROR_TITLES;

export function renderErrorPage(status: PageErrorStatus, what: string, hint?: string): string {
  const title = ERROR_TITLES[status];
  const body = html`<h1>${title}</h1>
<div class="card"><p>${what}</p>${hint && html`<p class="muted">${hint}</p>`}
<p><a href="/">Back to the leaderboard</a></p></div>`;
  return renderPage({ title, body });
}

export function renderNotFoundPage(what: string, hint?: string): string {
  return renderErrorPage(404, what, hint);
}
