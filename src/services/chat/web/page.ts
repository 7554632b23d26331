/**
 * The one-page web chat served at `/`: self-contained (inline style and script, inline SVG
 * icons, no external resource, no framework). The markup holds no server data: the script
 * (page-script.ts) fills it in as text. The hashes let the Content-Security-Policy allow
 * exactly this inline script and style and nothing else.
 */
import { createHash } from 'node:crypto';
import { CHAT_PAGE_SCRIPT } from './page-script.js';
import { CHAT_PAGE_STYLE } from './page-style.js';

const ICON_CHAT =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';
const ICON_MENU = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 6h16M4 12h16M4 18h16"/></svg>';
const ICON_PEOPLE =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/><path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.2a6.5 6.5 0 0 1 3.5 5.8"/></svg>';
const ICON_SEND =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 12 20 4l-6 16-3-7-7-1z"/><path d="m11 13 9-9"/></svg>';
const ICON_REFRESH =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 4v7h-7"/></svg>';
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%235865f2'/%3E%3Cpath d='M25 16a9 9 0 0 1-13 8l-6 1 1.5-5A9 9 0 1 1 25 16z' fill='white'/%3E%3C/svg%3E";

const BODY = `
<main id="nick-screen" class="nick-screen">
  <form id="nick-form" class="card" autocomplete="off">
    <div class="brand"><span class="logo">${ICON_CHAT}</span><span>netkit chat</span></div>
    <h1>Pick a nickname</h1>
    <p id="nick-hint" class="hint">A letter, then letters, digits, _ or -.</p>
    <label for="nick" class="sr">Nickname</label>
    <input id="nick" name="nick" maxlength="64" spellcheck="false" autocapitalize="off" placeholder="e.g. alice" autofocus>
    <p id="nick-error" class="form-error" role="alert"></p>
    <button id="nick-submit" class="primary" type="submit" disabled>Join the chat</button>
    <p class="conn"><span class="dot"></span><span id="nick-status">connecting…</span></p>
  </form>
</main>
<div id="chat-screen" class="chat" hidden>
  <aside id="sidebar" class="sidebar" aria-label="Rooms">
    <div class="side-head"><span class="logo">${ICON_CHAT}</span>netkit chat</div>
    <div class="me"><span id="me-avatar" class="avatar"></span><div>signed in as<strong id="me"></strong></div></div>
    <h2>Your rooms</h2>
    <ul id="rooms" class="rooms"></ul>
    <form id="join-form" class="join" autocomplete="off">
      <label for="room" class="sr">Room to join</label>
      <input id="room" name="room" maxlength="40" spellcheck="false" autocapitalize="off" placeholder="#room">
      <button type="submit">Join</button>
    </form>
    <h2>Other rooms <button id="refresh-rooms" class="ghost" type="button" title="Refresh" aria-label="Refresh the room list">${ICON_REFRESH}</button></h2>
    <ul id="other-rooms" class="rooms other"></ul>
  </aside>
  <section class="main" aria-label="Messages">
    <header class="topbar">
      <button id="open-rooms" class="icon" type="button" aria-label="Rooms">${ICON_MENU}</button>
      <div class="title"><h1 id="current-room">#lobby</h1><span id="room-meta" class="meta"></span></div>
      <span id="status" class="status" role="status"><span class="dot"></span><span id="status-label" class="label">connecting…</span></span>
      <button id="open-members" class="icon" type="button" aria-label="Members">${ICON_PEOPLE}<span id="member-count"></span></button>
    </header>
    <div id="messages" class="messages" role="log" aria-live="polite"></div>
    <button id="jump" class="jump" type="button" hidden>New messages ↓</button>
    <form id="send-form" class="composer" autocomplete="off">
      <label for="input" class="sr">Message</label>
      <input id="input" name="input" maxlength="4000" placeholder="Message" enterkeyhint="send">
      <button id="send" type="submit" aria-label="Send">${ICON_SEND}</button>
    </form>
  </section>
  <aside id="members-panel" class="members-panel" aria-label="Members">
    <h2>Members <span id="members-count"></span></h2>
    <ul id="members"></ul>
    <p class="tip">Click a name to send a private message. Type /help for the commands.</p>
  </aside>
  <div id="backdrop" class="backdrop"></div>
</div>`;

export const CHAT_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light">
<title>netkit chat</title>
<link rel="icon" href="${FAVICON}">
<style>${CHAT_PAGE_STYLE}</style>
</head>
<body data-status="connecting">${BODY}
<script>${CHAT_PAGE_SCRIPT}</script>
</body>
</html>
`;

function cspHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/** CSP source expressions (without quotes) for the page's inline script and style. */
export const CHAT_PAGE_SCRIPT_HASH = cspHash(CHAT_PAGE_SCRIPT);
export const CHAT_PAGE_STYLE_HASH = cspHash(CHAT_PAGE_STYLE);
