// socketserver admin console: plain JS, no build step, no inline script (the page's CSP forbids it).
// The token lives in this tab's sessionStorage and only ever travels as the Authorization header.
'use strict';

(() => {
  const TOKEN_KEY = 'socketserver-admin.token';
  const POLL_MS = 1000;
  const WINDOW_SECONDS = 300; // the charts show the last five minutes

  // The table: add a column by adding an entry here (drain's open-connections column will be one line).
  const COLUMNS = [
    { key: 'name', label: 'name' },
    { key: 'id', label: 'id', cls: 'mono' },
    { key: 'family', label: 'family' },
    { key: 'serverClass', label: 'class' },
    { key: 'mixIn', label: 'mix-in' },
    { key: 'address', label: 'address', cls: 'mono' },
    { key: 'fileno', label: 'fileno', cls: 'num' },
    { key: 'state', label: 'state', render: (td, s) => {
        const span = document.createElement('span');
        span.className = 'state state-' + s.state;
        span.textContent = s.state;
        td.replaceChildren(span);
      } },
    { key: 'received', label: 'received', cls: 'num' },
    { key: 'requestsHandled', label: 'handled', cls: 'num' },
    { key: 'activeRequests', label: 'active', cls: 'num' },
    { key: 'errors', label: 'errors', cls: 'num' },
    { key: 'dropped', label: 'dropped', cls: 'num' },
  ];

  // The buttons: add an action by adding an entry; each one POSTs /api/servers/{id}/{path}.
  const ACTIONS = [
    { path: 'handle-request', label: 'Handle request',
      confirm: (s) => `Run handleRequest() once on ${s.name} (${s.id})? It waits up to 10 s for a client.` },
    { path: 'shutdown', label: 'Shutdown',
      confirm: (s) => `Stop the serveForever() loop of ${s.name} (${s.id})? The socket stays open.` },
    { path: 'drain', label: 'Drain',
      confirm: (s) => `Drain ${s.name} (${s.id})? It stops accepting, lets running requests finish (up to 30 s) and closes for good.` },
    { path: 'close', label: 'Close', danger: true,
      confirm: (s) => `Close ${s.name} (${s.id})? This closes its socket for good.` },
  ];

  const $ = (id) => document.getElementById(id);
  const history = new Map(); // id -> {last: {t, handled}, points: [{t, rate, active}]}
  let timer = null;
  let generation = 0; // a restarted poll loop makes the older one stop

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  async function call(method, path) {
    const response = await fetch(path, {
      method,
      headers: { 'Authorization': 'Bearer ' + token(), 'Accept': 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    const text = await response.text();
    let body = text;
    try { body = JSON.parse(text); } catch (e) { /* not JSON: keep the text */ }
    return { status: response.status, body };
  }

  function setStatus(text, kind) {
    const el = $('status');
    el.textContent = text;
    el.className = 'status' + (kind ? ' ' + kind : '');
  }

  function showLogin(message) {
    stopPolling();
    $('console').hidden = true;
    $('login').hidden = false;
    $('forget-token').hidden = true;
    const err = $('auth-error');
    err.hidden = !message;
    err.textContent = message || '';
    $('token-input').value = '';
    $('token-input').focus();
  }

  function showConsole() {
    $('login').hidden = true;
    $('auth-error').hidden = true;
    $('console').hidden = false;
    $('forget-token').hidden = false;
  }

  function rejected(response) {
    sessionStorage.removeItem(TOKEN_KEY);
    const why = response.body && response.body.message ? response.body.message : 'HTTP ' + response.status;
    setStatus('not connected', 'bad');
    showLogin(`The gateway refused this token (401 ${why}). Paste the token the gateway was started with.`);
  }

  function buildHead() {
    const row = $('servers-head');
    const cells = COLUMNS.map((c) => {
      const th = document.createElement('th');
      th.textContent = c.label;
      return th;
    });
    for (const label of ['requests/s · active', 'actions']) {
      const th = document.createElement('th');
      th.textContent = label;
      cells.push(th);
    }
    row.replaceChildren(...cells);
  }

  function newRow(server) {
    const tr = document.createElement('tr');
    tr.dataset.serverId = server.id;
    for (const c of COLUMNS) {
      const td = document.createElement('td');
      td.dataset.field = c.key;
      if (c.cls) td.className = c.cls;
      tr.append(td);
    }
    const chartCell = document.createElement('td');
    const canvas = document.createElement('canvas');
    canvas.className = 'chart';
    canvas.width = 220;
    canvas.height = 42;
    chartCell.append(canvas);
    tr.append(chartCell);
    const actions = document.createElement('td');
    actions.className = 'actions';
    for (const a of ACTIONS) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.action = a.path;
      b.textContent = a.label;
      if (a.danger) b.className = 'danger';
      b.addEventListener('click', () => act(a, tr.server));
      actions.append(b);
    }
    tr.append(actions);
    return tr;
  }

  function fill(tr, server) {
    tr.server = server;
    for (const c of COLUMNS) {
      const td = tr.querySelector(`td[data-field="${c.key}"]`);
      if (c.render) {
        c.render(td, server);
      } else {
        const v = server[c.key];
        td.textContent = v === null || v === undefined ? '' : String(v);
      }
    }
  }

  function sample(server, now) {
    let h = history.get(server.id);
    if (!h) {
      h = { last: null, points: [] };
      history.set(server.id, h);
    }
    let rate = 0;
    if (h.last && now > h.last.t) {
      rate = Math.max(0, (server.requestsHandled - h.last.handled) / ((now - h.last.t) / 1000));
    }
    h.last = { t: now, handled: server.requestsHandled };
    h.points.push({ t: now, rate, active: server.activeRequests });
    while (h.points.length && h.points[0].t < now - WINDOW_SECONDS * 1000) h.points.shift();
    return h;
  }

  function draw(canvas, h, now) {
    const ctx = canvas.getContext('2d');
    const w = canvas.width, ht = canvas.height;
    ctx.clearRect(0, 0, w, ht);
    canvas.dataset.points = String(h.points.length);
    const max = Math.max(1, ...h.points.map((p) => Math.max(p.rate, p.active)));
    // the time axis grows with the data, from 10 s up to the whole window
    const oldest = h.points.length ? h.points[0].t : now;
    const span = Math.min(WINDOW_SECONDS * 1000, Math.max(10000, now - oldest));
    const x = (t) => w - ((now - t) / span) * w;
    const y = (v) => ht - 2 - (v / max) * (ht - 14);
    for (const [key, color] of [['rate', '#2563eb'], ['active', '#b45309']]) {
      ctx.beginPath();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      h.points.forEach((p, i) => (i ? ctx.lineTo(x(p.t), y(p[key])) : ctx.moveTo(x(p.t), y(p[key]))));
      ctx.stroke();
    }
    const last = h.points[h.points.length - 1];
    const fmt = (v) => (v >= 10 ? String(Math.round(v)) : v.toFixed(1));
    ctx.fillStyle = '#5f6b7a';
    ctx.font = '10px sans-serif';
    ctx.textAlign = 'left';
    ctx.fillText(`${fmt(last ? last.rate : 0)}/s · ${last ? last.active : 0} active`, 3, 10);
    ctx.textAlign = 'right';
    ctx.fillText(`max ${fmt(max)} · ${Math.round(span / 1000)} s`, w - 3, 10);
  }

  function render(servers) {
    const body = $('servers-body');
    const now = Date.now();
    const rows = new Map([...body.querySelectorAll('tr')].map((tr) => [tr.dataset.serverId, tr]));
    const ordered = servers.map((s) => {
      const tr = rows.get(s.id) || newRow(s);
      rows.delete(s.id);
      fill(tr, s);
      draw(tr.querySelector('canvas'), sample(s, now), now);
      return tr;
    });
    for (const id of rows.keys()) history.delete(id);
    body.replaceChildren(...ordered);
    $('no-servers').hidden = servers.length > 0;
  }

  async function poll(gen) {
    try {
      const r = await call('GET', '/api/servers');
      if (gen !== generation) return;
      if (r.status === 401) {
        rejected(r);
        return;
      }
      if (r.status !== 200) {
        setStatus(`GET /api/servers answered ${r.status}`, 'bad');
      } else {
        render(r.body);
        setStatus(`connected · ${r.body.length} server(s) · updated ${new Date().toLocaleTimeString()}`, 'ok');
      }
    } catch (e) {
      setStatus('gateway unreachable: ' + e.message, 'bad');
    }
    if (timer !== null && gen === generation) timer = setTimeout(() => poll(gen), POLL_MS);
  }

  function startPolling() {
    stopPolling();
    showConsole();
    timer = 0;
    poll(generation);
  }

  function stopPolling() {
    generation++;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function confirmAction(text) {
    return new Promise((resolve) => {
      const dialog = $('confirm');
      $('confirm-text').textContent = text;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
    });
  }

  async function act(action, server) {
    if (!server || !(await confirmAction(action.confirm(server)))) return;
    const path = `/api/servers/${encodeURIComponent(server.id)}/${action.path}`;
    const result = $('result');
    result.className = 'pending';
    result.textContent = `POST ${path} …`;
    try {
      const r = await call('POST', path);
      if (r.status === 401) {
        rejected(r);
        return;
      }
      const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 1);
      const code = r.status >= 400 && r.body && r.body.error ? ` ${r.body.error}` : '';
      result.className = r.status >= 400 ? 'http-error' : 'http-ok';
      result.dataset.status = String(r.status);
      result.textContent = `POST ${path} → ${r.status}${code}\n${body}`;
    } catch (e) {
      result.className = 'http-error';
      result.dataset.status = 'network';
      result.textContent = `POST ${path} failed: ${e.message}`;
    }
    if (timer !== null) {
      stopPolling();
      startPolling(); // show the new state at once
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    buildHead();
    $('window-minutes').textContent = String(WINDOW_SECONDS / 60);
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token-input').value.trim();
      if (!value) return;
      sessionStorage.setItem(TOKEN_KEY, value);
      startPolling();
    });
    $('forget-token').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      setStatus('not connected');
      showLogin();
    });
    if (token()) startPolling(); else showLogin();
  });
})();
