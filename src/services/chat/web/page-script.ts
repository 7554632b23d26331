/**
 * The web chat's script (inlined into page.ts; the Content-Security-Policy allows it by its
 * hash). Plain browser JavaScript, no framework. It speaks docs/protocols/chat-websocket.md:
 * every line the user types is sent as `{"type":"line","text"}`, and every server event is
 * drawn from its JSON. Whatever came from the server is put into the page as text
 * (textContent), never as HTML.
 *
 * It mirrors the hub's notion of the current room: the room joined (or re-joined with
 * /join) last. Clicking a room sends `/join #room`, which makes it current on the server too.
 */
export const CHAT_PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var body = document.body;
  var box = $('messages');
  var state = {
    ws: null, me: null, wantNick: null, quitting: false, ever: false, retry: 0, timer: 0,
    rooms: [],      /* the rooms you are in, as the server spells them, in the order you joined them */
    order: [],      /* their keys, the current (most recently joined or switched to) last, as the hub keeps them */
    current: null,  /* key of the current room */
    members: {},    /* room key -> nicks */
    counts: {},     /* room key -> member count, from /rooms */
    unread: {},     /* room key -> unread messages */
    logs: {},       /* room key -> its message list element */
    others: [],     /* rooms you are not in, from /rooms */
    rejoin: null,   /* after a reconnection: the rooms to join again, the current one last */
    sent: [], sentAt: 0
  };

  function key(name) { return String(name).toLowerCase(); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function hue(nick) {
    var h = 0;
    for (var i = 0; i < nick.length; i++) h = (h * 31 + nick.charCodeAt(i)) % 360;
    return h;
  }
  function avatar(nick) {
    var a = el('div', 'avatar', nick.charAt(0));
    a.style.background = 'hsl(' + hue(nick) + ', 58%, 52%)';
    a.setAttribute('aria-hidden', 'true');
    return a;
  }
  function nameColour(nick) { return 'hsl(' + hue(nick) + ', 55%, 36%)'; }
  function hhmm(ms) {
    var d = new Date(typeof ms === 'number' ? ms : Date.now());
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  /* --- connection --------------------------------------------------------------------- */

  function setStatus(status) {
    body.dataset.status = status;
    var text = { connecting: 'connecting…', connected: 'connected', reconnecting: 'reconnecting…', disconnected: 'disconnected' }[status];
    $('status-label').textContent = text;
    $('nick-status').textContent = text;
    $('status').title = text;
  }

  function connect() {
    clearTimeout(state.timer);
    setStatus(state.ever ? 'reconnecting' : 'connecting');
    var ws;
    try {
      ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    } catch (e) {
      schedule();
      return;
    }
    state.ws = ws;
    ws.onopen = function () {
      state.retry = 0;
      if (state.ever) notice(null, 'reconnected');
      state.ever = true;
      setStatus('connected');
      if (state.wantNick) send(state.wantNick);
      else $('nick-submit').disabled = false;
    };
    ws.onmessage = function (m) {
      var ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (ev && typeof ev.type === 'string') handle(ev);
    };
    ws.onclose = function () {
      if (state.ws !== ws) return;
      state.ws = null;
      if (state.me !== null) {
        state.wantNick = state.me;
        state.rejoin = state.rooms.slice();
        var cur = state.rooms.filter(function (r) { return key(r) === state.current; })[0];
        if (cur) { state.rejoin = state.rejoin.filter(function (r) { return r !== cur; }); state.rejoin.push(cur); }
      }
      state.me = null;
      if (state.quitting) {
        state.quitting = false;
        state.wantNick = null;
        setStatus('disconnected');
        showNick('You left the chat. Pick a nickname to come back.');
        return;
      }
      if (state.ever && state.wantNick) notice(null, 'connection lost; reconnecting…', 'error');
      schedule();
    };
  }

  function schedule() {
    setStatus(state.ever ? 'reconnecting' : 'connecting');
    var delay = Math.min(10000, 500 * Math.pow(2, state.retry++));
    state.timer = setTimeout(connect, delay);
  }

  function send(text) {
    if (!state.ws || state.ws.readyState !== 1) return false;
    state.ws.send(JSON.stringify({ type: 'line', text: text }));
    return true;
  }

  /* --- screens ------------------------------------------------------------------------ */

  function showNick(error) {
    $('chat-screen').hidden = true;
    $('nick-screen').hidden = false;
    $('nick-error').textContent = error || '';
    $('nick-submit').disabled = !state.ws || state.ws.readyState !== 1;
    $('nick').focus();
  }

  function showChat() {
    $('nick-screen').hidden = true;
    $('chat-screen').hidden = false;
    $('me').textContent = state.me;
    var a = $('me-avatar');
    a.textContent = state.me.charAt(0);
    a.style.background = 'hsl(' + hue(state.me) + ', 58%, 52%)';
    $('input').focus();
  }

  $('nick-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var nick = $('nick').value.trim();
    if (!nick) return;
    state.wantNick = nick;
    $('nick-error').textContent = '';
    if (state.ws && state.ws.readyState === 1) {
      $('nick-submit').disabled = true;
      send(nick);
    } else if (!state.ws) connect();
  });

  /* --- events ------------------------------------------------------------------------- */

  function handle(ev) {
    switch (ev.type) {
      case 'info': return onInfo(String(ev.text));
      case 'error': return onError(ev);
      case 'you': return onYou(String(ev.nick));
      case 'rooms': return onRooms(Array.isArray(ev.rooms) ? ev.rooms : []);
      case 'who':
        state.members[key(ev.room)] = (Array.isArray(ev.nicks) ? ev.nicks : []).map(String);
        return renderMembers();
      case 'message': case 'action': return onMessage(ev);
      case 'private': return addMessage(null, ev, 'private');
      case 'join': return onJoin(ev);
      case 'part': return onPart(ev);
      case 'nick': return onNick(ev);
    }
  }

  function onInfo(text) {
    if (state.me === null) {
      var ask = /^choose a nickname \((.*)\):?$/.exec(text);
      if (ask) $('nick-hint').textContent = ask[1].charAt(0).toUpperCase() + ask[1].slice(1) + '.';
      return;
    }
    var now = /^now talking in (#\S+)$/.exec(text);
    if (now) { setCurrent(now[1]); return; }
    var history = /^the last .* in (#\S+):$/.exec(text);
    if (history) { notice(history[1], 'earlier messages'); return; }
    notice(null, text, 'info');
  }

  function onError(ev) {
    var message = String(ev.message);
    if (state.me === null) {
      state.wantNick = null;
      showNick(message.charAt(0).toUpperCase() + message.slice(1));
      return;
    }
    notice(null, message, 'error');
  }

  function onYou(nick) {
    state.me = nick;
    state.wantNick = nick;
    var rejoin = state.rejoin;
    state.rejoin = null;
    state.rooms = [];
    state.order = [];
    state.current = null;
    showChat();
    renderRooms();
    if (rejoin) for (var i = 0; i < rejoin.length; i++) send('/join ' + rejoin[i]);
    send('/rooms');
  }

  function onRooms(rooms) {
    state.counts = {};
    state.others = [];
    rooms.forEach(function (r) {
      state.counts[key(r.name)] = Number(r.members) || 0;
      if (state.order.indexOf(key(r.name)) < 0) state.others.push({ name: String(r.name), members: Number(r.members) || 0 });
    });
    renderRooms();
  }

  function onMessage(ev) {
    var k = key(ev.room);
    addMessage(ev.room, ev, ev.type);
    if (k !== state.current) {
      state.unread[k] = (state.unread[k] || 0) + 1;
      renderRooms();
    }
  }

  function onJoin(ev) {
    var k = key(ev.room);
    if (ev.nick === state.me) {
      if (state.order.indexOf(k) < 0) state.rooms.push(String(ev.room));
      setCurrent(ev.room);
      send('/who ' + ev.room);
      refreshRoomsSoon();
      return;
    }
    var list = state.members[k];
    if (list && list.indexOf(ev.nick) < 0) { list.push(String(ev.nick)); sortNicks(list); }
    notice(ev.room, ev.nick + ' joined');
    renderMembers();
  }

  function onPart(ev) {
    var k = key(ev.room);
    if (ev.nick === state.me) {
      state.rooms = state.rooms.filter(function (r) { return key(r) !== k; });
      state.order = state.order.filter(function (r) { return r !== k; });
      delete state.members[k];
      delete state.unread[k];
      var next = state.order[state.order.length - 1];
      setCurrent(next ? state.rooms.filter(function (r) { return key(r) === next; })[0] : null);
      notice(null, 'you left ' + ev.room);
      refreshRoomsSoon();
      return;
    }
    var list = state.members[k];
    if (list) state.members[k] = list.filter(function (n) { return n !== ev.nick; });
    notice(ev.room, ev.nick + (ev.quit ? ' quit' : ' left'));
    renderMembers();
  }

  function onNick(ev) {
    var mine = ev.from === state.me;
    if (mine) { state.me = String(ev.to); state.wantNick = state.me; $('me').textContent = state.me; }
    Object.keys(state.members).forEach(function (k) {
      var list = state.members[k];
      var i = list.indexOf(ev.from);
      if (i < 0) return;
      list[i] = String(ev.to);
      sortNicks(list);
      if (!mine) notice(k, ev.from + ' is now known as ' + ev.to);
    });
    if (mine) notice(null, 'you are now known as ' + ev.to);
    renderMembers();
  }

  function sortNicks(list) {
    list.sort(function (a, b) { return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0; });
  }

  var refreshTimer = 0;
  function refreshRoomsSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () { send('/rooms'); }, 400);
  }

  /* --- rooms -------------------------------------------------------------------------- */

  function setCurrent(name) {
    var k = name ? key(name) : null;
    if (k) state.order = state.order.filter(function (r) { return r !== k; }).concat([k]);
    state.current = k;
    delete state.unread[k];
    Object.keys(state.logs).forEach(function (lk) { state.logs[lk].hidden = lk !== (k || ''); });
    logFor(k);
    $('current-room').textContent = name || 'no room';
    $('input').placeholder = name ? 'Message ' + name : 'Join a room to talk: /join #name';
    renderRooms();
    renderMembers();
    box.scrollTop = box.scrollHeight;
    $('jump').hidden = true;
    updateTitle();
  }

  function switchTo(name) {
    body.classList.remove('rooms-open');
    if (key(name) === state.current) return;
    setCurrent(name);
    send('/join ' + name);
    send('/who ' + name);
  }

  function renderRooms() {
    var ul = $('rooms');
    ul.textContent = '';
    state.rooms.forEach(function (name) {
      var k = key(name);
      var li = el('li');
      li.dataset.room = name;
      li.setAttribute('aria-current', String(k === state.current));
      li.append(el('span', 'hash', '#'), el('span', 'name', name.slice(1)));
      if (state.unread[k]) li.append(el('span', 'badge', state.unread[k] > 99 ? '99+' : state.unread[k]));
      var leave = el('button', 'leave', '×');
      leave.type = 'button';
      leave.title = 'Leave ' + name;
      leave.setAttribute('aria-label', 'Leave ' + name);
      leave.addEventListener('click', function (e) { e.stopPropagation(); send('/part ' + name); });
      li.append(leave);
      li.addEventListener('click', function () { switchTo(name); });
      ul.append(li);
    });
    if (state.rooms.length === 0) ul.append(el('li', 'empty', 'You are in no room.'));
    var other = $('other-rooms');
    other.textContent = '';
    state.others.forEach(function (r) {
      var li = el('li');
      li.dataset.room = r.name;
      li.title = 'Join ' + r.name;
      li.append(el('span', 'hash', '#'), el('span', 'name', r.name.slice(1)), el('span', 'count', r.members));
      li.addEventListener('click', function () { body.classList.remove('rooms-open'); send('/join ' + r.name); });
      other.append(li);
    });
    if (state.others.length === 0) other.append(el('li', 'empty', 'No other rooms yet.'));
    updateTitle();
  }

  function renderMembers() {
    var nicks = (state.current && state.members[state.current]) || [];
    var ul = $('members');
    ul.textContent = '';
    nicks.forEach(function (nick) {
      var li = el('li');
      li.dataset.nick = nick;
      var name = el('span', 'name', nick);
      li.append(avatar(nick), name);
      if (nick === state.me) li.append(el('span', 'you', 'you'));
      else li.title = 'Send ' + nick + ' a private message';
      li.addEventListener('click', function () { privateTo(nick); });
      ul.append(li);
    });
    var n = nicks.length;
    $('members-count').textContent = n ? String(n) : '';
    $('member-count').textContent = String(n);
    $('room-meta').textContent = state.current ? n + (n === 1 ? ' member' : ' members') : 'join a room to talk';
  }

  function privateTo(nick) {
    body.classList.remove('members-open');
    if (nick === state.me) return;
    var input = $('input');
    input.value = '/msg ' + nick + ' ';
    input.focus();
  }

  function updateTitle() {
    var total = 0;
    Object.keys(state.unread).forEach(function (k) { total += state.unread[k] || 0; });
    var room = state.rooms.filter(function (r) { return key(r) === state.current; })[0];
    document.title = (total ? '(' + total + ') ' : '') + (room ? room + ' · ' : '') + 'netkit chat';
  }

  $('join-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var name = $('room').value.trim();
    if (!name) return;
    if (name.charAt(0) !== '#') name = '#' + name;
    $('room').value = '';
    body.classList.remove('rooms-open');
    if (state.order.indexOf(key(name)) >= 0) switchTo(name);
    else send('/join ' + name);
  });
  $('refresh-rooms').addEventListener('click', function () { send('/rooms'); });

  /* --- messages ----------------------------------------------------------------------- */

  function logFor(roomKey) {
    var k = roomKey || '';
    var log = state.logs[k];
    if (!log) {
      log = el('div', 'log');
      log.dataset.room = k;
      log.hidden = k !== (state.current || '');
      state.logs[k] = log;
      box.append(log);
    }
    return log;
  }

  function nearBottom() { return box.scrollHeight - box.scrollTop - box.clientHeight < 80; }

  function append(log, node, mine) {
    var visible = !log.hidden;
    var stick = visible && nearBottom();
    log.append(node);
    while (log.childNodes.length > 1000) log.removeChild(log.firstChild);
    if (!visible) return;
    if (stick || mine) box.scrollTop = box.scrollHeight;
    else $('jump').hidden = false;
  }

  function notice(room, text, kind) {
    var log = logFor(room ? key(room) : state.current);
    var n = el('div', 'notice' + (kind ? ' ' + kind : ''), text);
    log.lastMessage = null;
    append(log, n, false);
  }

  function addMessage(room, ev, kind) {
    var log = logFor(room ? key(room) : state.current);
    var from = String(ev.from);
    var time = Number(ev.time) || Date.now();
    var mine = from === state.me;
    var last = log.lastMessage;
    var cont = kind === 'message' && last && last.from === from && last.node === log.lastChild && time - last.time < 300000;
    var row = el('div', 'msg ' + kind + (mine ? ' mine' : '') + (cont ? ' cont' : ''));
    row.dataset.from = from;
    row.dataset.type = kind;
    var gutter = el('div', 'gutter');
    if (cont) gutter.append(el('span', 'ctime', hhmm(time)));
    else gutter.append(avatar(from));
    var main = el('div', 'body');
    if (!cont) {
      var meta = el('div', 'meta-line');
      var who = el('span', 'from', from);
      who.style.color = nameColour(from);
      who.addEventListener('click', function () { privateTo(from); });
      meta.append(who);
      if (kind === 'private') meta.append(el('span', 'to', '→ ' + String(ev.to)), el('span', 'tag', 'private'));
      else if (mine) meta.append(el('span', 'tag', 'you'));
      meta.append(el('span', 'time', hhmm(time)));
      main.append(meta);
    }
    var text = String(ev.text);
    main.append(el('div', 'text', kind === 'action' ? from + ' ' + text : text));
    row.append(gutter, main);
    if (!mine && state.me && kind !== 'private' && new RegExp('(^|[^A-Za-z0-9_-])' + state.me + '($|[^A-Za-z0-9_-])', 'i').test(text))
      row.classList.add('mention');
    log.lastMessage = kind === 'message' ? { from: from, time: time, node: row } : null;
    append(log, row, mine);
  }

  box.addEventListener('scroll', function () { if (nearBottom()) $('jump').hidden = true; });
  $('jump').addEventListener('click', function () { box.scrollTop = box.scrollHeight; $('jump').hidden = true; });

  /* --- the input line ----------------------------------------------------------------- */

  $('send-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = $('input');
    var text = input.value;
    if (!text.trim()) return;
    if (!send(text)) { notice(null, 'not connected; your message was not sent', 'error'); return; }
    if (/^\/quit\b/i.test(text.trim())) state.quitting = true;
    state.sent.push(text);
    if (state.sent.length > 50) state.sent.shift();
    state.sentAt = state.sent.length;
    input.value = '';
  });
  $('input').addEventListener('keydown', function (e) {
    var input = $('input');
    if (e.key === 'ArrowUp' && state.sentAt > 0 && (input.value === '' || input.value === state.sent[state.sentAt])) {
      state.sentAt--;
      input.value = state.sent[state.sentAt];
      e.preventDefault();
    } else if (e.key === 'ArrowDown' && state.sentAt < state.sent.length) {
      state.sentAt++;
      input.value = state.sent[state.sentAt] || '';
      e.preventDefault();
    }
  });

  /* --- drawers (phones) --------------------------------------------------------------- */

  $('open-rooms').addEventListener('click', function () {
    body.classList.toggle('rooms-open');
    body.classList.remove('members-open');
    if (body.classList.contains('rooms-open') && state.me) send('/rooms');
  });
  $('open-members').addEventListener('click', function () { body.classList.toggle('members-open'); body.classList.remove('rooms-open'); });
  $('backdrop').addEventListener('click', function () { body.classList.remove('rooms-open', 'members-open'); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') body.classList.remove('rooms-open', 'members-open'); });

  setInterval(function () { if (state.me) send('/rooms'); }, 30000);
  connect();
})();
`;
