/**
 * The web chat's stylesheet (inlined into page.ts; the Content-Security-Policy allows it by
 * its hash). Three columns on a desktop; under 760 px wide the room and member lists become
 * drawers and the messages take the width.
 */
export const CHAT_PAGE_STYLE = `
:root {
  --bg: #f5f6fa; --panel: #ffffff; --line: #e4e6ef; --text: #1c2030; --muted: #687089;
  --side: #1b1f33; --side-hover: #272c45; --side-active: #343b63; --side-text: #d3d7ea; --side-muted: #8b91ad;
  --accent: #5865f2; --accent-dark: #4450d6; --accent-soft: #eef0ff;
  --private: #fff7e6; --private-edge: #f2a900; --error: #c93a3a; --ok: #23a55a; --warn: #e8a317;
  --radius: 10px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  font-size: 15px; color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; height: 100%; }
body { overflow: hidden; -webkit-font-smoothing: antialiased; }
button, input { font: inherit; color: inherit; }
button { cursor: pointer; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
svg { width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }

/* --- the nickname screen --- */
.nick-screen { height: 100%; display: grid; place-items: center; padding: 20px;
  background: radial-gradient(circle at 20% 10%, #6d78ff 0, transparent 45%), radial-gradient(circle at 90% 90%, #2bc4a9 0, transparent 40%), var(--side); }
.card { width: min(400px, 100%); background: var(--panel); border-radius: 18px; padding: 32px 28px 24px;
  box-shadow: 0 24px 60px rgba(10, 12, 30, .35); display: flex; flex-direction: column; gap: 10px; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 700; letter-spacing: .2px; color: var(--accent-dark); }
.logo { display: inline-grid; place-items: center; width: 34px; height: 34px; border-radius: 10px; background: var(--accent); color: #fff; }
.logo svg { width: 19px; height: 19px; }
.card h1 { margin: 14px 0 0; font-size: 24px; }
.hint { margin: 0 0 6px; color: var(--muted); font-size: 14px; line-height: 1.4; }
.card input { padding: 12px 14px; border: 1.5px solid var(--line); border-radius: var(--radius); outline: none; font-size: 16px; }
.card input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px var(--accent-soft); }
.form-error { margin: 0; min-height: 1.3em; color: var(--error); font-size: 14px; }
.primary { padding: 12px 16px; border: 0; border-radius: var(--radius); background: var(--accent); color: #fff; font-weight: 600; }
.primary:hover { background: var(--accent-dark); }
.primary:disabled { opacity: .6; cursor: default; }
.conn { margin: 6px 0 0; display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 13px; }

/* --- connection status --- */
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--warn); flex: none; }
body[data-status="connected"] .dot { background: var(--ok); }
body[data-status="disconnected"] .dot { background: var(--error); }
body[data-status="reconnecting"] .dot, body[data-status="connecting"] .dot { animation: pulse 1.2s infinite; }
@keyframes pulse { 50% { opacity: .3; } }
.status { display: inline-flex; align-items: center; gap: 7px; padding: 5px 11px; border-radius: 999px;
  background: var(--bg); color: var(--muted); font-size: 13px; white-space: nowrap; }
body[data-status="reconnecting"] .status, body[data-status="disconnected"] .status { background: #fff1e0; color: #8a5300; }

/* --- the chat: three columns --- */
.chat { display: grid; grid-template-columns: 264px minmax(0, 1fr) 232px; height: 100vh; height: 100dvh; }
.sidebar { background: var(--side); color: var(--side-text); display: flex; flex-direction: column; min-height: 0; padding: 18px 12px; gap: 6px; overflow-y: auto; }
.side-head { display: flex; align-items: center; gap: 10px; padding: 0 8px 12px; font-weight: 700; font-size: 17px; color: #fff; }
.me { display: flex; align-items: center; gap: 10px; margin: 0 4px 10px; padding: 10px; border-radius: var(--radius); background: var(--side-hover); font-size: 13px; color: var(--side-muted); }
.me strong { display: block; color: #fff; font-size: 15px; }
.sidebar h2, .members-panel h2 { margin: 12px 8px 4px; font-size: 11.5px; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: var(--side-muted); display: flex; align-items: center; justify-content: space-between; }
.rooms { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
.rooms li { display: flex; align-items: center; gap: 8px; padding: 7px 8px 7px 10px; border-radius: 8px; cursor: pointer; user-select: none; }
.rooms li:hover { background: var(--side-hover); }
.rooms li[aria-current="true"] { background: var(--side-active); color: #fff; font-weight: 600; }
.rooms .hash { color: var(--side-muted); font-weight: 700; width: 12px; text-align: center; }
.rooms .name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.rooms .count { font-size: 12px; color: var(--side-muted); }
.badge { min-width: 20px; padding: 1px 6px; border-radius: 999px; background: #f04f5f; color: #fff; font-size: 11.5px; font-weight: 700; text-align: center; }
.leave { border: 0; background: none; color: var(--side-muted); padding: 2px 5px; border-radius: 6px; line-height: 1; visibility: hidden; }
.rooms li:hover .leave, .rooms li[aria-current="true"] .leave { visibility: visible; }
.leave:hover { color: #fff; background: rgba(255, 255, 255, .12); }
.join { display: flex; gap: 6px; margin: 6px 4px 0; }
.join input { flex: 1; min-width: 0; padding: 8px 10px; border-radius: 8px; border: 1px solid #3a4060; background: #141829; color: #fff; outline: none; }
.join input:focus { border-color: var(--accent); }
.join button { border: 0; border-radius: 8px; padding: 0 12px; background: var(--accent); color: #fff; font-weight: 600; }
.ghost { border: 0; background: none; color: var(--side-muted); padding: 2px 4px; border-radius: 6px; }
.ghost:hover { color: #fff; }
.ghost svg { width: 14px; height: 14px; }
.empty { color: var(--side-muted); font-size: 13px; padding: 4px 10px; }

.main { display: flex; flex-direction: column; min-width: 0; min-height: 0; background: var(--panel); position: relative; }
.topbar { display: flex; align-items: center; gap: 12px; padding: 12px 20px; border-bottom: 1px solid var(--line); min-height: 62px; }
.title { flex: 1; min-width: 0; }
.title h1 { margin: 0; font-size: 18px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.title .meta { color: var(--muted); font-size: 13px; }
.icon { display: none; border: 0; background: var(--bg); border-radius: 9px; padding: 8px; align-items: center; gap: 5px; color: var(--text); }
.icon span { font-size: 13px; font-weight: 600; }

.messages { flex: 1; overflow-y: auto; padding: 12px 0 8px; overscroll-behavior: contain; }
.log { display: flex; flex-direction: column; }
.msg { display: grid; grid-template-columns: 40px minmax(0, 1fr); column-gap: 12px; padding: 6px 20px 3px; margin-top: 8px; }
.msg.cont { margin-top: 0; padding-top: 1px; }
.msg:hover { background: #f8f9fc; }
.avatar { width: 38px; height: 38px; border-radius: 12px; display: grid; place-items: center; color: #fff; font-weight: 700; font-size: 16px; text-transform: uppercase; }
.ctime { display: block; visibility: hidden; font-size: 11px; color: var(--muted); text-align: right; padding-top: 3px; }
.msg.cont:hover .ctime { visibility: visible; }
.meta-line { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
.from { font-weight: 700; cursor: pointer; }
.from:hover { text-decoration: underline; }
.time { color: var(--muted); font-size: 12px; }
.tag { font-size: 11px; font-weight: 700; padding: 1px 7px; border-radius: 999px; background: var(--accent-soft); color: var(--accent-dark); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.45; }
.msg.mine { background: linear-gradient(90deg, var(--accent-soft), rgba(238, 240, 255, .25)); }
.msg.mention { box-shadow: inset 3px 0 0 var(--accent); background: #f4f5ff; }
.msg.action .text { font-style: italic; color: #3b4160; }
.msg.private { background: var(--private); box-shadow: inset 3px 0 0 var(--private-edge); margin: 8px 0 0; }
.msg.private .tag { background: #ffe3a3; color: #7a4b00; }
.notice { align-self: center; max-width: calc(100% - 40px); margin: 8px 20px 2px; padding: 3px 12px; border-radius: 999px; background: var(--bg); color: var(--muted); font-size: 12.5px; text-align: center; white-space: pre-wrap; overflow-wrap: anywhere; }
.notice.error { background: #fdecec; color: var(--error); }
.notice.info { border-radius: 8px; align-self: stretch; text-align: left; background: none; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12.5px; padding: 0 20px; margin: 0; }
.jump { position: absolute; right: 24px; bottom: 86px; border: 0; border-radius: 999px; padding: 7px 14px; background: var(--accent); color: #fff; font-size: 13px; font-weight: 600; box-shadow: 0 6px 18px rgba(40, 50, 140, .3); }
.composer { display: flex; gap: 10px; padding: 12px 20px 16px; }
.composer input { flex: 1; min-width: 0; padding: 13px 16px; border: 1.5px solid var(--line); border-radius: 12px; outline: none; background: var(--bg); font-size: 15px; }
.composer input:focus { border-color: var(--accent); background: #fff; box-shadow: 0 0 0 3px var(--accent-soft); }
.composer button { border: 0; border-radius: 12px; width: 48px; background: var(--accent); color: #fff; display: grid; place-items: center; }
.composer button:hover { background: var(--accent-dark); }

.members-panel { border-left: 1px solid var(--line); background: #fafbfd; padding: 18px 10px; overflow-y: auto; min-height: 0; }
.members-panel h2 { color: var(--muted); }
#members { list-style: none; margin: 0; padding: 0; }
#members li { display: flex; align-items: center; gap: 10px; padding: 6px 8px; border-radius: 8px; cursor: pointer; }
#members li:hover { background: var(--accent-soft); }
#members .avatar { width: 28px; height: 28px; border-radius: 9px; font-size: 13px; }
#members .you { color: var(--muted); font-size: 12px; }
.tip { color: var(--muted); font-size: 12px; margin: 14px 8px; line-height: 1.4; }
.backdrop { display: none; }

/* --- a phone: the lists become drawers --- */
@media (max-width: 760px) {
  .chat { grid-template-columns: minmax(0, 1fr); }
  .icon { display: inline-flex; }
  .topbar { padding: 10px 12px; gap: 8px; min-height: 56px; }
  .title h1 { font-size: 17px; }
  .status { padding: 5px 9px; }
  .status .label { display: none; }
  .sidebar, .members-panel { position: fixed; top: 0; bottom: 0; z-index: 20; width: min(300px, 84vw); transition: transform .22s ease; box-shadow: 0 0 40px rgba(0, 0, 0, .25); }
  .sidebar { left: 0; transform: translateX(-105%); }
  .members-panel { right: 0; transform: translateX(105%); background: #fff; }
  body.rooms-open .sidebar, body.members-open .members-panel { transform: none; }
  body.rooms-open .backdrop, body.members-open .backdrop { display: block; position: fixed; inset: 0; z-index: 10; background: rgba(15, 18, 35, .45); }
  .msg { padding: 6px 12px 3px; column-gap: 10px; grid-template-columns: 34px minmax(0, 1fr); }
  .avatar { width: 34px; height: 34px; border-radius: 11px; font-size: 15px; }
  .composer { padding: 10px 10px 12px; }
  .jump { bottom: 76px; right: 14px; }
  .rooms li .leave { visibility: visible; }
}
`;
