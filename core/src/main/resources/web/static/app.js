// Likeness console and portal: one module, no framework, no inline script. Every datum comes from /api/v1 with the
// reader's session (cookie) and CSRF token; every text from the server's message bundle (/web/messages.json).
'use strict';

const API = '/api/v1';
let messages = {};
let session = null; // GET /me: {account, name, organisation, role, subject, via}

/** The session's CSRF token: the server sets it as a cookie the page may read, and wants it back in a header. */
function csrf() {
  const m = document.cookie.match(/(?:^|;\s*)likeness_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : null;
}

// ---------- small helpers ----------

/** The message `key` with {0}, {1}… filled in; the key itself where the bundle lacks it. */
export function t(key, ...args) {
  const m = messages[key] ?? key;
  return m.replace(/\{(\d+)\}/g, (_, i) => (args[+i] ?? ''));
}

/** An element with attributes and children (strings become text nodes: data is never parsed as HTML). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const $ = (sel) => document.querySelector(sel);

function say(text, error = false, where = '#status') {
  const s = $(where);
  if (!s) return;
  s.classList.toggle('error', error);
  s.textContent = text;
}

/** A date (YYYY-MM-DD) or date and time (UTC) a person reads; '—' for none. */
function day(iso) {
  return iso ? iso.slice(0, 10) : '—';
}

function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

const GOOD = new Set(['CONSENTED', 'active', 'succeeded', 'finished']);
const WAIT = new Set(['NOT_YET_VALID', 'pending', 'queued', 'running']);

/** A state as a symbol and a word (never colour alone). */
function badge(state, label) {
  const cls = GOOD.has(state) ? 'ok' : WAIT.has(state) ? 'wait' : 'bad';
  return el('span', {class: 'state ' + cls}, label ?? t('state.' + state));
}

/** A consent record's state now: active, revoked, expired or not yet valid. */
function consentState(c, now = new Date()) {
  if (c.revoked_at) return 'revoked';
  if (c.valid_until && new Date(c.valid_until) <= now) return 'expired';
  if (c.valid_from && new Date(c.valid_from) > now) return 'pending';
  return 'active';
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

/** Calls the API; a problem+json answer becomes an ApiError with its detail; 401 sends the reader to sign in. */
async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrf()) headers['X-CSRF-Token'] = csrf();
  let r;
  try {
    r = await fetch(API + path, {method, headers, body: payload, credentials: 'same-origin'});
  } catch (e) {
    throw new ApiError(0, {detail: t('error.network')});
  }
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json().catch(() => ({})) : await r.text();
  if (!r.ok) {
    if (r.status === 401 && document.body.dataset.page !== 'login' && document.body.dataset.page !== 'invite') {
      location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
    }
    throw new ApiError(r.status, typeof data === 'object' ? data : {detail: String(data).slice(0, 300)});
  }
  return data;
}

/** A list route's items, whatever the paging envelope ({items}, {subjects}, a bare array). */
function items(page) {
  if (Array.isArray(page)) return page;
  for (const k of ['items', 'data', 'subjects', 'consents', 'collections', 'jobs', 'entries', 'accounts', 'keys', 'paths']) {
    if (Array.isArray(page?.[k])) return page[k];
  }
  return [];
}

function guard(fn) {
  return async (ev) => {
    ev?.preventDefault?.();
    const button = ev?.submitter || (ev?.currentTarget instanceof HTMLButtonElement ? ev.currentTarget : null);
    if (button) button.disabled = true;
    try {
      await fn(ev);
    } catch (e) {
      say(e.message, true);
    } finally {
      if (button) button.disabled = false;
    }
  };
}

// ---------- page chrome ----------

async function loadMessages() {
  const lang = document.documentElement.lang || 'en';
  const r = await fetch('/web/messages.json?lang=' + encodeURIComponent(lang), {credentials: 'same-origin'});
  messages = await r.json();
}

function chrome() {
  const page = document.body.dataset.page;
  const current = document.querySelector(`[data-nav="${page === 'subject' ? 'subjects' : page}"]`);
  if (current) current.setAttribute('aria-current', 'page');
  const lang = $('#lang-select');
  if (lang) {
    lang.value = document.documentElement.lang === 'zh-Hant' ? 'zh-Hant' : 'en';
    lang.addEventListener('change', () => {
      const u = new URL(location.href);
      u.searchParams.set('lang', lang.value);
      location.assign(u);
    });
  }
  const out = $('#signout');
  if (out) {
    out.addEventListener('click', guard(async () => {
      await api('POST', '/logout');
      location.assign('/login');
    }));
  }
}

async function signedIn() {
  session = await api('GET', '/me');
  const a = session;
  const who = $('#who');
  if (who) who.textContent = t('nav.signedin', a.name, a.role);
  // the console's links a role may follow (the API refuses the others anyway)
  document.querySelectorAll('[data-roles]').forEach((e) => (e.hidden = !e.dataset.roles.split(' ').includes(a.role)));
  return a;
}

// ---------- console ----------

const pages = {};

pages.login = async () => {
  $('#login-form').addEventListener('submit', guard(async (ev) => {
    const f = new FormData(ev.target);
    try {
      session = await api('POST', '/login', {name: f.get('name'), password: f.get('password')});
    } catch (e) {
      say(t('login.failed', e.message), true);
      $('#login-password').focus();
      return;
    }
    const role = session.role;
    const next = new URLSearchParams(location.search).get('next');
    location.assign(next && next.startsWith('/') && !next.startsWith('//') ? next : role === 'subject' ? '/portal' : '/console');
  }));
};

pages.dashboard = async () => {
  await signedIn();
  const [summary, head] = await Promise.all([api('GET', '/console/summary'), api('GET', '/log/head')]);
  $('#n-subjects').textContent = summary.subjects;
  $('#n-collections').textContent = summary.collections;
  const dl = $('#consent-states');
  dl.replaceChildren();
  for (const [state, n] of Object.entries(summary.consents || {})) {
    dl.append(el('div', {}, el('dt', {}, badge(state)), el('dd', {}, n)));
  }
  $('#log-head').textContent = head.head;
  $('#log-entries').textContent = summary.log_entries ?? '—';
  const jobs = await api('GET', '/jobs?limit=5').catch(() => null);
  const ul = $('#jobs');
  ul.replaceChildren(...items(jobs).map(jobLine));
  if (!ul.children.length) ul.append(el('li', {class: 'empty'}, t('audits.none')));
  $('#verify').addEventListener('click', guard(verifyLog));
};

async function verifyLog() {
  const out = $('#verify-result');
  out.textContent = t('loading');
  try {
    const v = await api('GET', '/log/verify');
    const entries = $('#log-entries');
    if (entries) entries.textContent = v.entries;
    out.replaceChildren(v.intact ? badge('CONSENTED', t('dash.verify.ok', v.entries))
        : badge('NO_CONSENT', t('dash.verify.bad', v.reason || v.head_file_problem
            || (v.row_mismatches || []).map((m) => `${m.table} ${m.id} ${m.field}`).join('; '))));
  } catch (e) {
    out.replaceChildren(badge('NO_CONSENT', t('dash.verify.bad', e.message)));
  }
}

pages.subjects = async () => {
  await signedIn();
  let after = null;
  const tbody = $('#subjects tbody');
  async function load(reset) {
    // the API lists a page at a time in id order; the search filters what is loaded (ids and names)
    const q = $('#q').value.trim().toLowerCase();
    if (reset) { tbody.replaceChildren(); after = null; }
    const qs = new URLSearchParams({limit: '200'});
    if (after) qs.set('after', after);
    const page = await api('GET', '/subjects?' + qs);
    for (const s of items(page)) {
      if (q && !s.id.toLowerCase().includes(q) && !(s.display_name || '').toLowerCase().includes(q)) continue;
      tbody.append(el('tr', {}, el('td', {}, el('a', {href: '/console/subjects/' + encodeURIComponent(s.id)}, s.id)),
          el('td', {}, s.display_name ?? s.name ?? ''), el('td', {}, day(s.created_at))));
    }
    after = page.next ?? null;
    $('#subjects-more').hidden = !after;
    $('#subjects-empty').hidden = tbody.children.length > 0;
  }
  $('#search-form').addEventListener('submit', guard(() => load(true)));
  $('#subjects-more').addEventListener('click', guard(() => load(false)));
  await load(true);
  facePicker();
  $('#enrol-form').addEventListener('submit', guard(async (ev) => {
    const f = ev.target;
    const body = new FormData();
    body.set('id', f.id.value.trim());
    if (f.name.value.trim()) body.set('name', f.name.value.trim());
    for (const file of f.photos.files) body.append('photos', file, file.name);
    const chosen = $('#picker').dataset.face;
    if (chosen) body.set('face', chosen);
    const s = await api('POST', '/subjects', body);
    say(t('subjects.enrolled', s.id ?? body.get('id'), f.photos.files.length));
    location.assign('/console/subjects/' + encodeURIComponent(s.id ?? body.get('id')));
  }));
};

/**
 * When a chosen photo holds several faces, shows it with one button per face (keyboard reachable, labelled with its
 * number and confidence); the chosen face's 1-based index is sent with the enrolment.
 */
function facePicker() {
  const input = $('#enrol-photos');
  const picker = $('#picker');
  input.addEventListener('change', guard(async () => {
    picker.replaceChildren();
    delete picker.dataset.face;
    for (const file of input.files) {
      const body = new FormData();
      body.set('photo', file, file.name);
      const found = await api('POST', '/faces', body);
      const faces = items(found.faces ?? found);
      if (faces.length < 2) continue;
      const url = URL.createObjectURL(file);
      const img = el('img', {src: url, alt: file.name});
      const fig = el('figure', {}, img);
      const buttons = faces.map((f, i) => {
        const b = el('button', {type: 'button', class: 'face', 'aria-pressed': 'false',
          'aria-label': t('subjects.picker.face', i + 1, (f.score ?? f.confidence ?? 0).toFixed(2))}, el('span', {'aria-hidden': 'true'}, i + 1));
        b.addEventListener('click', () => {
          buttons.forEach((o) => o.setAttribute('aria-pressed', String(o === b)));
          picker.dataset.face = String(i + 1);
          say(t('subjects.picker.chosen', i + 1, file.name));
        });
        return b;
      });
      const place = () => {
        const sx = img.clientWidth / (found.width || img.naturalWidth);
        const sy = img.clientHeight / (found.height || img.naturalHeight);
        faces.forEach((f, i) => {
          const box = f.box || f;
          Object.assign(buttons[i].style, {left: box.x * sx + 'px', top: box.y * sy + 'px', width: box.w * sx + 'px', height: box.h * sy + 'px'});
        });
      };
      img.addEventListener('load', place);
      window.addEventListener('resize', place);
      fig.append(...buttons);
      picker.append(el('p', {}, t('subjects.picker', file.name)), fig);
      buttons[0].focus();
      return; // one face index is sent with the enrolment: the first photo with several faces decides it
    }
  }));
}

function subjectIdFromPath(prefix) {
  return decodeURIComponent(location.pathname.slice(prefix.length).replace(/\/$/, ''));
}

/** The rows of a subject's consents with their revoke and receipt buttons. */
function consentRows(list, onRevoke, onReceipt) {
  return list.map((c) => {
    const state = consentState(c);
    return el('tr', {}, el('td', {}, c.purpose), el('td', {}, day(c.valid_from)), el('td', {}, day(c.valid_until)),
        el('td', {}, badge(state)),
        el('td', {}, el('div', {class: 'actions'},
            state === 'revoked' || state === 'expired' ? null
                : el('button', {type: 'button', class: 'secondary', onclick: guard(() => onRevoke(c)),
                  'aria-label': t('subject.revoke.do') + ' ' + c.purpose}, t('subject.revoke.do')),
            el('button', {type: 'button', class: 'secondary', onclick: guard(() => onReceipt(c)),
              'aria-label': t('subject.receipt.do') + ' ' + c.purpose}, t('subject.receipt.do')))));
  });
}

function impactList(report) {
  const per = report?.collections || {};
  const names = Object.keys(per);
  if (!names.length) return el('p', {class: 'empty'}, t('subject.impact.none'));
  return el('ul', {}, names.map((n) => el('li', {}, el('strong', {}, n), ': ', t('impact.images', per[n]))));
}

pages.subject = async () => {
  await signedIn();
  const id = subjectIdFromPath('/console/subjects/');
  const path = '/subjects/' + encodeURIComponent(id);
  const s = await api('GET', path);
  $('#subject-title').textContent = t('subject.title', s.id);
  document.title = s.id + ' · ' + document.title;
  $('#subject-meta').textContent = [s.display_name, s.created_at && t('subjects.col.created') + ' ' + day(s.created_at),
    s.erased_at && t('state.ERASED') + ' ' + day(s.erased_at)].filter(Boolean).join(' · ');
  $('#grant-from').value = new Date().toISOString().slice(0, 10);
  async function consents() {
    const list = items(await api('GET', path + '/consents'));
    $('#consents tbody').replaceChildren(...consentRows(list, revoke, receipt));
    $('#consents-empty').hidden = list.length > 0;
  }
  async function impact() {
    $('#impact').replaceChildren(impactList(await api('GET', path + '/impact')));
  }
  async function revoke(c) {
    const r = await api('POST', '/consents/' + encodeURIComponent(c.id) + '/revoke');
    const report = r.impact;
    $('#impact-after').replaceChildren(el('p', {}, t('subject.revoked', c.id)), impactList(report));
    await consents();
  }
  async function receipt(c) {
    window.open(API + '/consents/' + encodeURIComponent(c.id) + '/receipt', '_blank', 'noopener');
  }
  $('#grant-form').addEventListener('submit', guard(async (ev) => {
    const f = ev.target;
    const body = {purpose: f.purpose.value, from: f.from.value};
    if (f.until.value) body.until = f.until.value;
    if (f.basis.value.trim()) body.legal_basis = f.basis.value.trim();
    const c = await api('POST', path + '/consents', body);
    $('#impact-after').replaceChildren(el('p', {}, t('subject.granted', c.id ?? '', body.purpose)));
    await consents();
  }));
  $('#invite').addEventListener('click', guard(async () => {
    const inv = await api('POST', path + '/invitations');
    const url = new URL(inv.path || ('/invite/' + inv.token), location.origin).toString();
    $('#invite-result').replaceChildren(el('p', {}, t('subject.invite.link', when(inv.expires_at))),
        el('p', {}, el('code', {id: 'invite-url'}, url)));
  }));
  $('#erase-form').addEventListener('submit', guard(async (ev) => {
    if (ev.target.confirm.value.trim() !== s.id) {
      $('#erase-confirm').setAttribute('aria-invalid', 'true');
      say(t('subject.erase.confirm.label') + ': ' + s.id, true);
      return;
    }
    const r = await api('DELETE', path);
    $('#erase-result').replaceChildren(el('p', {}, t('subject.erased')), impactList(r.impact));
  }));
  await Promise.all([consents(), impact()]);
};

pages.collections = async () => {
  await signedIn();
  async function render() {
    const list = items(await api('GET', '/collections?limit=200'));
    $('#collections tbody').replaceChildren(...list.map((c) => el('tr', {}, el('td', {}, c.name),
        el('td', {}, c.images ?? '—'), el('td', {}, c.faces ?? '—'), el('td', {}, day(c.created_at ?? c.registered_at)),
        el('td', {}, el('button', {type: 'button', class: 'rescan', 'aria-label': t('collections.rescan.label', c.name),
          hidden: session.role !== 'holder', onclick: guard(() => rescan(c.name))}, t('collections.rescan.do'))))));
    $('#collections-empty').hidden = list.length > 0;
    $('#release-collection').replaceChildren(...list.map((c) => el('option', {value: c.name}, c.name)));
  }
  // a rescan reads the dataset again where it was registered: its added, removed and changed images
  async function rescan(name) {
    const job = await api('POST', '/collections/' + encodeURIComponent(name) + '/rescan');
    await follow(job.id, async (j) => {
      const r = j.result;
      $('#job-verdict').replaceChildren(badge('CONSENTED', t('collections.rescanned', r.collection ?? name, r.added, r.removed,
          r.changed, r.unchanged, r.failed)));
      await render();
    });
  }
  $('#register-form').addEventListener('submit', guard(async (ev) => {
    const body = dataset(ev.target, 'dataset');
    body.set('name', ev.target.name.value.trim());
    const job = await api('POST', '/collections', body);
    await follow(job.id, async (j) => {
      $('#job-verdict').replaceChildren(badge('CONSENTED', t('collections.registered', j.result.collection ?? '', j.result.images ?? '', j.result.faces ?? '')));
      await render();
    });
  }));
  $('#release-form').addEventListener('submit', guard(async (ev) => {
    const f = ev.target;
    const job = await api('POST', '/collections/' + encodeURIComponent(f.collection.value) + '/releases', {recipient: f.recipient.value.trim()});
    await follow(job.id, async (j) => {
      $('#job-verdict').replaceChildren(badge('CONSENTED', t('collections.released', j.result.written, j.result.total, j.result.recipient)));
      const a = $('#job-report');
      a.href = API + '/jobs/' + encodeURIComponent(j.id) + '/archive';
      a.textContent = t('collections.download');
      a.hidden = false;
    });
  }));
  await render();
};

/** A job's progress in percent (0 while the total is unknown; 100 once it succeeded). */
function percent(job) {
  if (job.state === 'succeeded') return 100;
  const p = job.progress || job;
  return p.total ? Math.min(100, Math.round((100 * p.done) / p.total)) : 0;
}

function jobLine(j) {
  const report = j.kind === 'audit' && j.state === 'succeeded'
    ? el('a', {href: API + '/audits/' + encodeURIComponent(j.id) + '/report'}, t('audits.report.do')) : null;
  return el('li', {}, el('code', {}, j.id), ' ', j.kind || '', ' ', badge(j.state, t('job.' + j.state)), ' ',
      percent(j) + ' %', j.error ? ' — ' + j.error : '', report ? ' ' : '', report);
}

/**
 * Follows a job in the page's job panel (#job): progress from its events, cancel, and at the end the job's record,
 * handed to `done` for what its kind produced.
 */
async function follow(id, done) {
  const box = $('#job');
  box.hidden = false;
  const bar = $('#job-progress');
  const state = $('#job-state');
  $('#job-label').textContent = t('audits.progress') + ' ' + id;
  $('#job-report').hidden = true;
  $('#job-verdict').replaceChildren();
  let last = {state: 'queued', done: 0, total: null};
  let events;
  const show = (j) => {
    last = {...last, ...j};
    const pct = percent(last);
    const known = last.total || last.state === 'succeeded';
    // a dataset whose size is not known before it is read (an archive) shows an indeterminate bar and a count
    if (known) bar.value = pct; else bar.removeAttribute('value');
    bar.textContent = known ? pct + ' %' : t('loading');
    state.replaceChildren(badge(last.state, t('job.' + last.state)), ' ', known ? pct + ' %' : '',
        last.total ? ` (${last.done}/${last.total})` : last.done ? ` (${t('audits.done', last.done)})` : '',
        last.message ? ' — ' + last.message : '');
    if (['succeeded', 'failed', 'cancelled'].includes(last.state) && !last.final) {
      last.final = true;
      events?.close();
      $('#job-cancel').hidden = true;
      // the job's record holds the final counts (a fast job may end before its first progress event arrives)
      api('GET', '/jobs/' + encodeURIComponent(id)).then(async (job) => {
        show({...job.progress, message: job.error ?? last.message});
        if (job.state === 'succeeded') await done(job);
      }).catch((e) => say(e.message, true));
    }
  };
  events = new EventSource(API + '/jobs/' + encodeURIComponent(id) + '/events');
  for (const name of ['state', 'progress', 'problem']) {
    events.addEventListener(name, (e) => show(JSON.parse(e.data)));
  }
  events.onerror = () => {
    // the stream ended or broke: read the job's state once instead
    api('GET', '/jobs/' + encodeURIComponent(id)).then((j) => show({state: j.state, ...j.progress, message: j.error})).catch(() => {});
  };
  $('#job-cancel').hidden = false;
  $('#job-cancel').onclick = guard(async () => { await api('DELETE', '/jobs/' + encodeURIComponent(id)); });
  const j = await api('GET', '/jobs/' + encodeURIComponent(id));
  show({state: j.state, ...j.progress});
}

/** A dataset upload or an allowed server folder, from a form's file input `field` and its `path` input. */
function dataset(form, field) {
  const body = new FormData();
  const files = form.elements[field].files;
  if (files.length) body.set(field, files[0], files[0].name);
  else if (form.path.value.trim()) body.set('path', form.path.value.trim());
  return body;
}

async function jobList(kind) {
  const list = items(await api('GET', '/jobs?limit=20').catch(() => [])).filter((j) => !kind || j.kind === kind);
  $('#jobs').replaceChildren(...list.map(jobLine));
  $('#jobs-empty').hidden = list.length > 0;
}

pages.audits = async () => {
  await signedIn();
  $('#audit-form').addEventListener('submit', guard(async (ev) => {
    const body = dataset(ev.target, 'dataset');
    body.set('purpose', ev.target.purpose.value);
    if (ev.target.show_faces.checked) body.set('show_faces', 'true');
    const job = await api('POST', '/audits', body);
    await follow(job.id, async (j) => {
      const r = j.result;
      $('#job-verdict').replaceChildren(r.verdict === 'consented' ? badge('CONSENTED', t('audits.verdict.ok', r.faces))
          : badge('NO_CONSENT', t('audits.verdict.bad', r.faces - (r.consented ?? 0), r.faces, r.failed ?? 0)));
      const a = $('#job-report');
      a.href = API + '/audits/' + encodeURIComponent(j.id) + '/report';
      a.hidden = false;
      await jobList('audit');
    });
  }));
  await jobList('audit');
};

pages.traces = async () => {
  await signedIn();
  $('#trace-form').addEventListener('submit', guard(async (ev) => {
    const job = await api('POST', '/traces', dataset(ev.target, 'suspect'));
    await follow(job.id, async (j) => {
      const r = j.result;
      const rows = (o) => Object.entries(o || {}).map(([k, v]) => el('li', {}, el('strong', {}, k), ': ', typeof v === 'object' ? JSON.stringify(v) : v));
      $('#job-verdict').replaceChildren(el('p', {}, t('traces.images', r.images, r.failed)),
          el('h3', {}, t('traces.collections')), Object.keys(r.collections || {}).length ? el('ul', {id: 'trace-collections'}, rows(r.collections)) : el('p', {}, t('traces.none')),
          el('h3', {}, t('traces.recipients')), Object.keys(r.recipients || {}).length ? el('ul', {id: 'trace-recipients'}, rows(r.recipients)) : el('p', {}, t('traces.nobody')));
      const a = $('#job-report');
      a.href = API + '/traces/' + encodeURIComponent(j.id);
      a.hidden = false;
      await jobList('trace');
    });
  }));
  await jobList('trace');
};

pages.log = async () => {
  await signedIn();
  let after = null;
  const tbody = $('#log tbody');
  async function load(reset) {
    if (reset) { tbody.replaceChildren(); after = null; }
    const qs = new URLSearchParams({limit: '50'});
    const action = $('#log-action').value.trim();
    if (after) qs.set('after', after);
    const page = await api('GET', '/log?' + qs);
    for (const e of items(page)) {
      if (action && e.action !== action && !e.action.startsWith(action + '.')) continue;
      tbody.append(el('tr', {}, el('td', {}, e.seq), el('td', {}, when(e.at)), el('td', {}, el('code', {}, e.action)),
          el('td', {}, e.actor), el('td', {}, el('code', {}, e.payload))));
    }
    after = page.next ?? null;
    $('#log-more').hidden = !after;
    $('#log-empty').hidden = tbody.children.length > 0;
  }
  $('#log-filter').addEventListener('submit', guard(() => load(true)));
  $('#log-more').addEventListener('click', guard(() => load(false)));
  $('#verify').addEventListener('click', guard(verifyLog));
  await load(true);
};

pages.admin = async () => {
  const me = await signedIn();
  async function render() {
    const [accounts, keys, paths] = await Promise.all([api('GET', '/accounts?limit=200'), api('GET', '/keys?limit=200'),
      api('GET', '/allowed-paths')]);
    const list = (sel, rows) => {
      $(sel).replaceChildren(...rows);
      if (!rows.length) $(sel).append(el('li', {class: 'empty'}, t('empty')));
    };
    list('#accounts', items(accounts).map((a) => el('li', {}, `${a.name} — ${a.role} — ${a.organisation}`)));
    $('#key-account').replaceChildren(...items(accounts).filter((a) => a.role !== 'subject')
        .map((a) => el('option', {value: a.id}, `${a.name} (${a.role})`)));
    list('#keys', items(keys).map((k) => el('li', {}, el('code', {}, k.id), ` — ${k.label ?? ''} — ${k.role} `,
        k.revoked_at ? badge('revoked') : el('button', {type: 'button', class: 'secondary',
          'aria-label': t('admin.key.revoke.do') + ' ' + k.id,
          onclick: guard(async () => { await api('DELETE', '/keys/' + encodeURIComponent(k.id)); await render(); })}, t('admin.key.revoke.do')))));
    list('#paths', items(paths).map((p) => el('li', {}, el('code', {}, p.path), ` — ${p.organisation} `,
        el('button', {type: 'button', class: 'secondary', 'aria-label': t('admin.remove.do') + ' ' + p.path,
          onclick: guard(async () => { await api('DELETE', '/allowed-paths/' + p.id); await render(); })}, t('admin.remove.do')))));
  }
  $('#account-form').addEventListener('submit', guard(async (ev) => {
    const f = ev.target;
    await api('POST', '/accounts', {name: f.name.value.trim(), role: f.role.value, password: f.password.value});
    f.reset();
    await render();
  }));
  $('#key-form').addEventListener('submit', guard(async (ev) => {
    const f = ev.target;
    const k = await api('POST', '/keys', {account: f.account.value, label: f.label.value.trim() || null});
    $('#key-secret').replaceChildren(el('p', {}, t('admin.key.secret')), el('p', {}, el('code', {id: 'key-secret-value'}, k.secret)));
    await render();
  }));
  $('#path-form').addEventListener('submit', guard(async (ev) => {
    const f = ev.target;
    await api('POST', '/allowed-paths', {organisation: me.organisation, path: f.path.value.trim()});
    f.reset();
    await render();
  }));
  await render();
};

// ---------- portal ----------

const PURPOSES = ['training', 'evaluation', 'publication', 'identification'];

pages.portal = async () => {
  const a = await signedIn();
  const sid = a.subject;
  const path = '/subjects/' + encodeURIComponent(sid);
  const org = (await api('GET', '/organisation').catch(() => ({name: a.organisation}))).name;
  $('#portal-intro').textContent = $('#portal-intro').dataset.template.replace('{0}', org);
  $('#appears-intro').textContent = $('#appears-intro').dataset.template.replace('{0}', org);
  async function render() {
    const list = items(await api('GET', path + '/consents'));
    const ul = $('#purposes');
    ul.replaceChildren();
    for (const p of PURPOSES) {
      const mine = list.filter((c) => c.purpose === p);
      const live = mine.find((c) => ['active', 'pending'].includes(consentState(c)));
      const last = live || mine[mine.length - 1];
      const state = live ? consentState(live) : last ? consentState(last) : 'none';
      const label = t('portal.purpose.' + p);
      ul.append(el('li', {'data-purpose': p}, el('span', {class: 'name'}, label),
          state === 'none' ? badge('NO_CONSENT', t('state.NO_CONSENT')) : badge(state),
          live ? el('button', {type: 'button', class: 'secondary', onclick: guard(() => revoke(live, label))}, t('portal.revoke.do', label))
              : el('button', {type: 'button', onclick: guard(() => grant(p, label))}, t('portal.grant.do', label)),
          last ? el('span', {class: 'dates'}, t('portal.col.from') + ' ' + day(last.valid_from) + ' · ' + t('portal.col.until') + ' '
              + day(last.revoked_at ?? last.valid_until)) : null));
    }
    $('#receipts').replaceChildren(...list.map((c) => el('li', {}, c.purpose, ' · ', day(c.recorded_at ?? c.valid_from), ' ',
        el('button', {type: 'button', class: 'link', onclick: guard(() => receipt(c))}, t('portal.receipt.readable')), ' ',
        el('a', {href: API + '/consents/' + encodeURIComponent(c.id) + '/receipt', download: 'consent-' + c.id + '.json'}, t('portal.receipt.json')))));
    const impact = await api('GET', path + '/impact');
    const per = impact.collections || {};
    $('#appears tbody').replaceChildren(...Object.entries(per).map(([n, k]) => el('tr', {}, el('td', {}, n), el('td', {}, k))));
    $('#appears-empty').hidden = Object.keys(per).length > 0;
    return impact;
  }
  async function grant(p, label) {
    await api('POST', path + '/consents', {purpose: p, from: new Date().toISOString().slice(0, 10)});
    await render();
    $('#revoke-result').replaceChildren(el('p', {}, t('portal.granted', label)));
  }
  async function revoke(c, label) {
    const r = await api('POST', '/consents/' + encodeURIComponent(c.id) + '/revoke');
    const impact = await render();
    const per = (r.impact || impact).collections || {};
    $('#revoke-result').replaceChildren(el('p', {}, t('portal.revoked', label)),
        Object.keys(per).length ? el('ul', {}, Object.entries(per).map(([n, k]) => el('li', {}, `${n}: ${k}`))) : el('p', {}, t('portal.appears.none')));
    $('#revoke-result').focus?.();
  }
  async function receipt(c) {
    const r = await api('GET', '/consents/' + encodeURIComponent(c.id) + '/receipt');
    const view = $('#receipt-view');
    const rows = [];
    const walk = (o, prefix) => {
      for (const [k, v] of Object.entries(o)) {
        if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, prefix + k + ' › ');
        else rows.push(el('div', {}, el('dt', {}, prefix + k), el('dd', {}, Array.isArray(v) ? v.map((x) => typeof x === 'object' ? JSON.stringify(x) : x).join(', ') : String(v))));
      }
    };
    walk(r, '');
    view.replaceChildren(el('h3', {}, t('portal.receipts') + ': ' + c.purpose), el('dl', {class: 'kv'}, rows.flatMap((d) => [...d.children])));
    view.focus();
  }
  $('#erase-form').addEventListener('submit', guard(async () => {
    const r = await api('DELETE', path);
    $('#erase-result').replaceChildren(el('p', {}, t('portal.erased')), impactList(r.impact));
  }));
  await render();
};

pages.invite = async () => {
  const token = location.pathname.split('/').pop();
  $('#invite-form').addEventListener('submit', guard(async (ev) => {
    try {
      session = await api('POST', '/invitations/' + encodeURIComponent(token) + '/accept');
    } catch (e) {
      say(e.status === 404 || e.status === 410 ? t('invite.invalid') : e.message, true);
      return;
    }
    location.assign('/portal');
  }));
};

async function main() {
  await loadMessages();
  chrome();
  const page = pages[document.body.dataset.page];
  if (!page) return;
  try {
    await page();
  } catch (e) {
    say(e.message, true);
  }
  document.body.dataset.ready = 'true';
}

main();
