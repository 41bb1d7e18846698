// Protocol test: spawn the built server ($CAPTURE_LSP, else <repo>/target/debug/capture-lsp)
// and talk to it with vscode-jsonrpc the way the extension does: the same command line
// (`--stdio`), the same initializationOptions (built by src/settings.ts), the same answer to
// `workspace/configuration`, VS Code's client capabilities (UTF-16 positions, hierarchical
// symbols, markdown hover, code-action literals), language id `capture`.
//
// Each step is its own test, so the output shows which server features work already.
// A missing server binary FAILS the tests (it never skips).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const rpc = require('vscode-jsonrpc/node');

const settings = require('../out/settings.js');
const { SEED_TEXT, serverPath } = require('./helpers');

const TIMEOUT = Number(process.env.CAPTURE_LSP_TEST_TIMEOUT_MS || 15000);
const TWEET = 'https://twitter.com/bbcchinese/status/1638167790505930759';
const TITLE = '习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机”';

const SERVER = serverPath();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-protocol-'));
const file = path.join(dir, 'article.md');
fs.writeFileSync(file, SEED_TEXT);
const uri = pathToFileURL(file).href;
const lines = SEED_TEXT.split('\n');

let proc;
let conn;
let stderr = '';
let initResult;
let version = 1;
const diagnostics = []; // every publishDiagnostics for our uri, in order
const diagWaiters = [];
const configurationRequests = [];

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${TIMEOUT} ms\nserver stderr:\n${stderr.slice(-2000)}`)), TIMEOUT);
    }),
  ]).finally(() => clearTimeout(timer));
}

function request(method, params) {
  // No params at all for shutdown (as vscode-languageclient sends it), not `[null]`.
  const p = params === undefined ? conn.sendRequest(method) : conn.sendRequest(method, params);
  return withTimeout(p, method);
}

/** Resolves with the first publishDiagnostics (for our uri) after index `from` matching `pred`. */
function nextDiagnostics(from, pred = () => true) {
  const found = diagnostics.slice(from).find(pred);
  if (found) return Promise.resolve(found);
  return withTimeout(
    new Promise((resolve) => diagWaiters.push({ from, pred, resolve })),
    'textDocument/publishDiagnostics',
  );
}

// The settings the extension would send with default VS Code settings, plus one rule override
// to show the object is passed through.
const initializationOptions = settings.buildServerSettings((k) => (k === 'rules' ? { 'no-such-rule': 'off' } : undefined));

const clientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
  window: { workDoneProgress: true, showMessage: {} },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true, willSave: true, willSaveWaitUntil: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true, symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => i + 1) } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports', 'source.fixAll'] },
      },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
  },
};

test.before(async () => {
  assert.ok(
    fs.existsSync(SERVER),
    `capture-lsp binary not found at ${SERVER}: build it with \`cargo build\` or set CAPTURE_LSP to its path`,
  );
  proc = cp.spawn(SERVER, settings.serverArgs([]), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CAPTURE_LSP_LOG: 'debug' } });
  proc.stderr.on('data', (d) => {
    stderr += d.toString();
  });
  conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    diagnostics.push(p);
    for (const w of diagWaiters.slice()) {
      const hit = diagnostics.slice(w.from).find(w.pred);
      if (hit) {
        diagWaiters.splice(diagWaiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  });
  conn.onNotification(() => {}); // window/logMessage, $/progress, ...
  conn.onRequest('workspace/configuration', (p) => {
    configurationRequests.push(p);
    return p.items.map((i) => (i.section === settings.SECTION ? initializationOptions : null));
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('client/unregisterCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('workspace/applyEdit', () => ({ applied: true }));
  conn.listen();
});

test.after(async () => {
  if (conn) {
    try {
      await withTimeout(conn.sendRequest('shutdown'), 'shutdown');
      await conn.sendNotification('exit');
    } catch {
      /* reported by the shutdown test */
    }
    conn.dispose();
  }
  if (proc && proc.exitCode === null) proc.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('initialize: capabilities', async () => {
  initResult = await request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: '1.82.0' },
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'ws' }],
    capabilities: clientCapabilities,
    initializationOptions,
    trace: 'off',
  });
  const caps = initResult.capabilities;
  assert.ok(caps, 'capabilities');
  // VS Code speaks UTF-16 only; the server must fall back to it.
  assert.ok(caps.positionEncoding === undefined || caps.positionEncoding === 'utf-16', `positionEncoding ${caps.positionEncoding}`);
  const sync = typeof caps.textDocumentSync === 'number' ? caps.textDocumentSync : caps.textDocumentSync?.change;
  assert.equal(sync, 2, 'incremental text document sync');
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'capture', version, text: SEED_TEXT } });
});

for (const cap of ['documentSymbolProvider', 'hoverProvider', 'codeActionProvider']) {
  test(`initialize: server advertises ${cap}`, () => {
    assert.ok(initResult?.capabilities?.[cap], cap);
  });
}

test('diagnostics: pushed after didOpen, with CAP codes for the empty embeds and the relative time', async () => {
  const p = await nextDiagnostics(0, (d) => d.diagnostics.length > 0);
  const codes = p.diagnostics.map((d) => String(d.code ?? ''));
  assert.ok(codes.every((c) => /^CAP\d+$/.test(c)), `codes: ${codes.join(', ')}`);
  const at = (d) => lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
  const covered = p.diagnostics.map(at).join('\n');
  assert.ok(p.diagnostics.some((d) => at(d).includes('twitter-embed') || /twitter|tweet/i.test(d.message)), `twitter placeholder flagged:\n${covered}`);
  assert.ok(p.diagnostics.some((d) => at(d).includes('instagram-embed') || /instagram/i.test(d.message)), 'instagram placeholder flagged');
  assert.ok(p.diagnostics.some((d) => at(d).includes('28 分钟前') || d.message.includes('28 分钟前')), 'relative time flagged');
});

test('documentSymbol: the root is the title, the h2 section is inside', async () => {
  const symbols = await request('textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(Array.isArray(symbols) && symbols.length > 0, 'symbols');
  assert.ok('children' in symbols[0] || 'range' in symbols[0], 'hierarchical DocumentSymbol');
  assert.equal(symbols[0].name, TITLE);
  const names = [];
  const walk = (s) => {
    names.push(s.name);
    (s.children || []).forEach(walk);
  };
  symbols.forEach(walk);
  assert.ok(names.includes('强调密切关系'), `h2 in outline: ${names.join(' | ')}`);
});

test('hover: the first <img shows its credit', async () => {
  const character = lines[4].indexOf('<img') + 1; // on the tag name; JS indices are UTF-16
  const hover = await request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character } });
  assert.ok(hover, 'a hover');
  const c = hover.contents;
  const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n') : c.value;
  assert.match(text, /KREMLIN POOL\/SPUTNIK\/EPA/);
});

test('codeAction: a quick fix replaces the empty Twitter placeholder with a link', async () => {
  const start = lines[4].indexOf('<div data-e2e="twitter-embed-');
  assert.ok(start > 0);
  const range = { start: { line: 4, character: start + 5 }, end: { line: 4, character: start + 5 } };
  const last = diagnostics[diagnostics.length - 1];
  const ctxDiags = (last?.diagnostics ?? []).filter((d) => d.range.start.line <= 4 && d.range.end.line >= 4 && d.range.start.character <= start + 5 && d.range.end.character >= start + 5);
  let actions = await request('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics: ctxDiags, only: undefined, triggerKind: 1 },
  });
  assert.ok(Array.isArray(actions) && actions.length > 0, 'code actions');
  actions = await Promise.all(actions.map((a) => (a.edit || a.command || !initResult.capabilities.codeActionProvider?.resolveProvider ? a : request('codeAction/resolve', a))));
  const fix = actions.find((a) => a.kind === 'quickfix' && JSON.stringify(a.edit ?? {}).includes(TWEET));
  assert.ok(fix, `a quickfix whose edit links ${TWEET}: ${actions.map((a) => `${a.title} [${a.kind}]`).join(' | ')}`);
  // The fix replaces the placeholder, and only it.
  const edits = fix.edit.changes?.[uri] ?? fix.edit.documentChanges?.find((c) => c.textDocument?.uri === uri)?.edits ?? [];
  assert.ok(edits.length >= 1, 'edits for this document');
  assert.ok(edits.every((e) => e.range.start.line === 4 && e.range.end.line === 4), 'edits stay on the body line');
});

test('didChange: an incremental edit updates the diagnostics', async () => {
  const before = diagnostics.length;
  const col = lines[4].indexOf('28 分钟前');
  assert.ok(col > 0);
  version++;
  // Replace "28 分钟前" with an absolute date; the relative-time diagnostic goes away.
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: { line: 4, character: col }, end: { line: 4, character: col + '28 分钟前'.length } }, text: '2023年3月21日' }],
  });
  const p = await nextDiagnostics(before);
  assert.ok(!p.diagnostics.some((d) => d.message.includes('28 分钟前')), 'relative-time diagnostic gone');
  const after = lines[4].slice(0, col) + '2023年3月21日' + lines[4].slice(col + '28 分钟前'.length);
  const at = (d) => (d.range.start.line === 4 ? after.slice(d.range.start.character, d.range.end.character) : '');
  assert.ok(
    p.diagnostics.some((d) => at(d).includes('twitter-embed') || /twitter|tweet/i.test(d.message)),
    'the Twitter diagnostic is still there (its range shifted with the edit)',
  );
});

test('shutdown and exit', async () => {
  await request('shutdown');
  await conn.sendNotification('exit');
  const code = await withTimeout(
    new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.on('exit', resolve))),
    'exit',
  );
  assert.equal(code, 0);
  conn.dispose();
  conn = undefined;
});
