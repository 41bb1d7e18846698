// Unit tests for the VS Code extension, run with `node --test` after `node esbuild.mjs --test`.
// `vscode` and `vscode-languageclient/node` are stubbed (test/stubs/).
'use strict';

require('./stubs/install');

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const vscode = require('vscode');
const lc = require('vscode-languageclient/node');
const ext = require('../out/extension.js');
const detect = require('../out/detect.js');
const settings = require('../out/settings.js');
const { SEED, SEED_TEXT, EDITORS, readSettingsKeys } = require('./helpers');

// ---------------------------------------------------------------- content detection

const SAMPLES = JSON.parse(fs.readFileSync(path.join(EDITORS, 'test-data', 'detect-samples.json'), 'utf8')).samples;
SAMPLES.push({ name: 'the seed', lines: SEED_TEXT.split('\n').slice(0, 5), capture: true });

for (const { name, lines, capture } of SAMPLES) {
  test(`detect: ${name} -> ${capture}`, () => {
    assert.equal(detect.isCaptureLines(lines), capture);
    assert.equal(detect.isCaptureText(lines.join('\n')), capture);
  });
}

test('detect: a 400 KB one-line body is cheap', () => {
  const text = SEED_TEXT + '<p>' + 'x'.repeat(400_000) + '</p>\n';
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) assert.equal(detect.isCaptureText(text), true);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(ms < 2000, `20 detections took ${ms} ms`);
});

test('detect: every capture in shared/corpus is detected (when the corpus is present)', (t) => {
  const corpus = path.resolve(EDITORS, '..', '..', 'shared', 'corpus');
  if (!fs.existsSync(corpus)) {
    t.skip(`no corpus at ${corpus}`);
    return;
  }
  const files = fs.readdirSync(corpus).filter((f) => f !== 'MANIFEST.tsv');
  assert.ok(files.length > 100, `only ${files.length} corpus files`);
  const missed = files.filter((f) => !detect.isCaptureText(fs.readFileSync(path.join(corpus, f), 'utf8').slice(0, 20000)));
  assert.deepEqual(missed, []);
});

test('detect: file names', () => {
  assert.equal(detect.isContentDetectedFileName('/a/b/article.md'), true);
  assert.equal(detect.isContentDetectedFileName('/a/b/ARTICLE.TXT'), true);
  assert.equal(detect.isContentDetectedFileName('/a/b/article.capture'), false);
  assert.equal(detect.isContentDetectedFileName('/a/b/article.html'), false);
});

// ---------------------------------------------------------------- settings

test('settings: defaults', () => {
  assert.deepEqual(settings.buildServerSettings(() => undefined), {
    rules: {},
    credits: { markers: [], agencies: {} },
    hover: { imagePreview: false },
    largeFileThreshold: 2000000,
  });
});

test('settings: values are passed through, malformed ones dropped', () => {
  const cfg = {
    rules: { 'relative-time': 'off', CAP101: 'error', bogus: 'loud', n: 3 },
    'credits.markers': ['摄影：', 7, 'Photo:'],
    'credits.agencies': { 美联社: 'AP', x: 1 },
    'hover.imagePreview': true,
    largeFileThreshold: 5000.7,
  };
  assert.deepEqual(settings.buildServerSettings((k) => cfg[k]), {
    rules: { 'relative-time': 'off', CAP101: 'error' },
    credits: { markers: ['摄影：', 'Photo:'], agencies: { 美联社: 'AP' } },
    hover: { imagePreview: true },
    largeFileThreshold: 5000,
  });
  assert.equal(settings.buildServerSettings((k) => (k === 'largeFileThreshold' ? -1 : undefined)).largeFileThreshold, 2000000);
});

test('settings: keys agree with editors/settings-keys.json and package.json', () => {
  const keys = readSettingsKeys();
  assert.deepEqual([...settings.SERVER_KEYS], keys.server);
  assert.deepEqual([...settings.CLIENT_KEYS], keys.client);
  assert.equal(settings.SECTION, keys.section);
  assert.equal(settings.LANGUAGE_ID, keys.languageId);
  assert.equal(settings.SERVER_COMMAND, keys.command);

  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  const expected = [...keys.server, ...keys.client].map((k) => `${keys.section}.${k}`).sort();
  assert.deepEqual(Object.keys(props).sort(), expected);
  assert.equal(props['capture-lsp.largeFileThreshold'].default, 2000000);
  assert.equal(props['capture-lsp.hover.imagePreview'].default, false);
  assert.equal(props['capture-lsp.detectByContent'].default, true);
  assert.equal(props['capture-lsp.server.path'].default, '');
  assert.deepEqual(props['capture-lsp.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(props['capture-lsp.rules'].additionalProperties.enum, ['off', 'hint', 'info', 'warning', 'error']);

  const lang = pkg.contributes.languages.find((l) => l.id === keys.languageId);
  assert.ok(lang, 'language capture contributed');
  assert.deepEqual(lang.extensions, keys.extensions.map((e) => `.${e}`));
  assert.equal(pkg.contributes.grammars[0].language, keys.languageId);
  const cmds = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(cmds, ['capture-lsp.restartServer', 'capture-lsp.showLog']);
});

// ---------------------------------------------------------------- server path resolution

function fakeEnv(files, PATH = '/usr/bin:/opt/capture/bin') {
  return { PATH, platform: 'linux', home: '/home/u', workspaceFolder: '/ws', isExecutable: (p) => files.includes(p) };
}

test('resolve: setting with an existing binary wins', () => {
  const r = settings.resolveServerPath('/opt/x/capture-lsp', fakeEnv(['/opt/x/capture-lsp', '/usr/bin/capture-lsp']));
  assert.deepEqual(r, { ok: true, command: '/opt/x/capture-lsp', source: 'setting' });
});

test('resolve: ~ and ${workspaceFolder} are expanded', () => {
  assert.equal(settings.resolveServerPath('~/bin/capture-lsp', fakeEnv(['/home/u/bin/capture-lsp'])).command, '/home/u/bin/capture-lsp');
  assert.equal(
    settings.resolveServerPath('${workspaceFolder}/target/debug/capture-lsp', fakeEnv(['/ws/target/debug/capture-lsp'])).command,
    '/ws/target/debug/capture-lsp',
  );
});

test('resolve: empty setting falls back to PATH', () => {
  const r = settings.resolveServerPath('', fakeEnv(['/opt/capture/bin/capture-lsp']));
  assert.deepEqual(r, { ok: true, command: '/opt/capture/bin/capture-lsp', source: 'PATH' });
  assert.equal(settings.resolveServerPath(undefined, fakeEnv(['/usr/bin/capture-lsp'])).command, '/usr/bin/capture-lsp');
});

test('resolve: a bare command name in the setting is looked up on PATH', () => {
  const r = settings.resolveServerPath('capture-lsp-dev', fakeEnv(['/opt/capture/bin/capture-lsp-dev']));
  assert.deepEqual(r, { ok: true, command: '/opt/capture/bin/capture-lsp-dev', source: 'setting' });
});

test('resolve: a missing configured binary is a clear error naming the setting', () => {
  const r = settings.resolveServerPath('/nope/capture-lsp', fakeEnv(['/usr/bin/capture-lsp']));
  assert.equal(r.ok, false);
  assert.match(r.message, /\/nope\/capture-lsp/);
  assert.match(r.message, /"capture-lsp\.server\.path"/);
});

test('resolve: nothing on PATH is a clear error naming the setting', () => {
  const r = settings.resolveServerPath('', fakeEnv([]));
  assert.equal(r.ok, false);
  assert.match(r.message, /could not find the "capture-lsp" server on PATH/);
  assert.match(r.message, /"capture-lsp\.server\.path"/);
});

test('resolve: Windows looks for capture-lsp.exe', () => {
  const env = { PATH: 'C:\\bin;C:\\tools', platform: 'win32', isExecutable: (p) => p === path.join('C:\\tools', 'capture-lsp.exe') };
  assert.equal(settings.resolveServerPath('', env).ok, true);
});

test('resolve: the real file-system check', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-vscode-'));
  const bin = path.join(dir, 'capture-lsp');
  fs.writeFileSync(bin, '#!/bin/sh\n');
  assert.equal(settings.isExecutableFile(bin), false, 'not executable yet');
  fs.chmodSync(bin, 0o755);
  assert.equal(settings.isExecutableFile(bin), true);
  assert.equal(settings.isExecutableFile(dir), false, 'a directory is not a binary');
  const r = settings.resolveServerPath('', settings.processResolveEnv());
  // Whatever PATH holds, the answer is either a found binary or the error naming the setting.
  if (!r.ok) assert.match(r.message, /capture-lsp\.server\.path/);
  fs.rmSync(dir, { recursive: true });
});

// ---------------------------------------------------------------- activation (stubbed vscode)

function fakeServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-vscode-'));
  const bin = path.join(dir, 'capture-lsp');
  fs.writeFileSync(bin, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return bin;
}

async function fresh(config = {}) {
  await ext.deactivate();
  vscode.__reset();
  lc.__instances.length = 0;
  Object.assign(vscode.__state.config, config);
  return { subscriptions: [] };
}

const flush = () => new Promise((r) => setImmediate(r));

test('activate: registers both commands and starts nothing without a capture document', async () => {
  const ctx = await fresh({ 'server.path': fakeServer() });
  await ext.activate(ctx);
  assert.deepEqual([...vscode.__state.commands.keys()].sort(), ['capture-lsp.restartServer', 'capture-lsp.showLog']);
  assert.equal(lc.__instances.length, 0);
  assert.ok(ctx.subscriptions.length >= 4);
});

test('activate: a .md capture already open is switched to capture and the client starts', async () => {
  const bin = fakeServer();
  const ctx = await fresh({ 'server.path': bin, 'server.extraArgs': ['--log-file', '/tmp/x.log'], rules: { CAP101: 'off' } });
  vscode.__state.documents.push(vscode.__makeDocument('/ws/article.md', SEED_TEXT, 'markdown'));
  vscode.__state.documents.push(vscode.__makeDocument('/ws/README.md', '# Hello\n\nworld\n', 'markdown'));
  await ext.activate(ctx);
  await flush();

  assert.deepEqual(vscode.__state.languageSwitches, [{ fileName: '/ws/article.md', from: 'markdown', to: 'capture' }]);
  assert.equal(lc.__instances.length, 1, 'one client');
  const c = lc.__instances[0];
  assert.equal(c.id, 'capture-lsp');
  assert.equal(c.started, 1);
  assert.equal(c.serverOptions.run.command, bin);
  assert.deepEqual(c.serverOptions.run.args, ['--stdio', '--log-file', '/tmp/x.log']);
  assert.deepEqual(c.clientOptions.documentSelector, [{ language: 'capture' }]);
  assert.deepEqual(c.clientOptions.initializationOptions, {
    rules: { CAP101: 'off' },
    credits: { markers: [], agencies: {} },
    hover: { imagePreview: false },
    largeFileThreshold: 2000000,
  });
  assert.equal(c.clientOptions.outputChannel, vscode.__state.outputChannels[0]);
});

test('activate: opening a capture .txt later switches it; a plain .txt is left alone', async () => {
  const ctx = await fresh({ 'server.path': fakeServer() });
  await ext.activate(ctx);
  vscode.__open(vscode.__makeDocument('/ws/notes.txt', 'just notes\n------\n', 'plaintext'));
  vscode.__open(vscode.__makeDocument('/ws/a.txt', SEED_TEXT, 'plaintext'));
  await flush();
  await flush();
  assert.deepEqual(vscode.__state.languageSwitches.map((s) => s.fileName), ['/ws/a.txt']);
  assert.equal(lc.__instances.length, 1);
  assert.equal(lc.__instances[0].started, 1);
});

test('activate: a .capture document (language already capture) starts the client', async () => {
  const ctx = await fresh({ 'server.path': fakeServer() });
  vscode.__state.documents.push(vscode.__makeDocument('/ws/a.capture', SEED_TEXT, 'capture'));
  await ext.activate(ctx);
  assert.equal(vscode.__state.languageSwitches.length, 0);
  assert.equal(lc.__instances.length, 1);
});

test('activate: detectByContent=false leaves .md documents alone', async () => {
  const ctx = await fresh({ 'server.path': fakeServer(), detectByContent: false });
  vscode.__state.documents.push(vscode.__makeDocument('/ws/article.md', SEED_TEXT, 'markdown'));
  await ext.activate(ctx);
  vscode.__open(vscode.__makeDocument('/ws/b.md', SEED_TEXT, 'markdown'));
  await flush();
  assert.equal(vscode.__state.languageSwitches.length, 0);
  assert.equal(lc.__instances.length, 0);
});

test('activate: a document the user switched back to markdown stays markdown', async () => {
  const ctx = await fresh({ 'server.path': fakeServer() });
  await ext.activate(ctx);
  vscode.__open(vscode.__makeDocument('/ws/a.md', SEED_TEXT, 'markdown'));
  await flush();
  assert.equal(vscode.__state.languageSwitches.length, 1);
  // The user picks "Markdown" in the language picker: VS Code closes and re-opens the document.
  const cur = vscode.__state.documents.find((d) => d.fileName === '/ws/a.md');
  await vscode.languages.setTextDocumentLanguage(cur, 'markdown');
  await flush();
  assert.equal(vscode.__state.languageSwitches.length, 2);
  assert.equal(vscode.__state.documents.find((d) => d.fileName === '/ws/a.md').languageId, 'markdown');
});

test('activate: a missing server gives an error naming capture-lsp.server.path, no client', async () => {
  const ctx = await fresh({ 'server.path': '/definitely/not/here/capture-lsp' });
  vscode.__state.documents.push(vscode.__makeDocument('/ws/a.capture', SEED_TEXT, 'capture'));
  await ext.activate(ctx);
  assert.equal(lc.__instances.length, 0);
  assert.equal(vscode.__state.errors.length, 1);
  assert.match(vscode.__state.errors[0].message, /capture-lsp\.server\.path/);
  assert.deepEqual(vscode.__state.errors[0].items, ['Open Settings']);
  assert.ok(vscode.__state.outputChannels[0].lines.some((l) => l.includes('capture-lsp.server.path')));
});

test('commands: showLog shows the output channel, restartServer makes a new client', async () => {
  const ctx = await fresh({ 'server.path': fakeServer() });
  vscode.__state.documents.push(vscode.__makeDocument('/ws/a.capture', SEED_TEXT, 'capture'));
  await ext.activate(ctx);
  await vscode.commands.executeCommand('capture-lsp.showLog');
  assert.equal(vscode.__state.outputChannels[0].shown, 1);
  await vscode.commands.executeCommand('capture-lsp.restartServer');
  assert.equal(lc.__instances.length, 2);
  assert.equal(lc.__instances[0].stopped, 1);
  assert.equal(lc.__instances[1].started, 1);
});

test('workspace/configuration for section capture-lsp answers the server settings object', async () => {
  const ctx = await fresh({ 'server.path': fakeServer(), 'hover.imagePreview': true, 'server.extraArgs': [] });
  vscode.__state.documents.push(vscode.__makeDocument('/ws/a.capture', SEED_TEXT, 'capture'));
  await ext.activate(ctx);
  const mw = lc.__instances[0].clientOptions.middleware.workspace.configuration;
  const next = async (params) => params.items.map((i) => ({ raw: i.section }));
  const res = await mw({ items: [{ section: 'capture-lsp' }, { section: 'editor' }] }, {}, next);
  assert.deepEqual(res, [
    { rules: {}, credits: { markers: [], agencies: {} }, hover: { imagePreview: true }, largeFileThreshold: 2000000 },
    { raw: 'editor' },
  ]);
  assert.deepEqual(res[0], lc.__instances[0].clientOptions.initializationOptions);
});

test('settings change: server settings are pushed, server.* restarts', async () => {
  const ctx = await fresh({ 'server.path': fakeServer() });
  vscode.__state.documents.push(vscode.__makeDocument('/ws/a.capture', SEED_TEXT, 'capture'));
  await ext.activate(ctx);
  vscode.__state.config.rules = { 'relative-time': 'off' };
  vscode.__changeConfig(['rules']);
  await flush();
  const c = lc.__instances[0];
  assert.deepEqual(c.notifications, [
    {
      method: 'workspace/didChangeConfiguration',
      params: {
        settings: {
          'capture-lsp': { rules: { 'relative-time': 'off' }, credits: { markers: [], agencies: {} }, hover: { imagePreview: false }, largeFileThreshold: 2000000 },
        },
      },
    },
  ]);
  vscode.__state.config['server.extraArgs'] = ['--log-file', '/tmp/y.log'];
  vscode.__changeConfig(['server.extraArgs']);
  await flush();
  await flush();
  assert.equal(lc.__instances.length, 2);
  assert.deepEqual(lc.__instances[1].serverOptions.run.args, ['--stdio', '--log-file', '/tmp/y.log']);
});

test.after(async () => {
  await ext.deactivate();
});

// ---------------------------------------------------------------- TextMate grammar

test('grammar: header lines get their scopes, the body is HTML', async () => {
  const vsctm = require('vscode-textmate');
  const oniguruma = require('vscode-oniguruma');
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const onigLib = Promise.resolve({
    createOnigScanner: (s) => new oniguruma.OnigScanner(s),
    createOnigString: (s) => new oniguruma.OnigString(s),
  });
  // VS Code's html and yaml grammars are not on this machine; minimal stand-ins with the same
  // scope names show that the body and the front matter are handed to them.
  const stubs = {
    'text.html.basic': { scopeName: 'text.html.basic', patterns: [{ match: '<[a-z]+', name: 'meta.tag.html.stub' }] },
    'source.yaml': { scopeName: 'source.yaml', patterns: [{ match: '^[a-z]+(?=:)', name: 'entity.name.tag.yaml.stub' }] },
  };
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scope) => {
      if (scope === 'text.html.capture') {
        const p = path.join(__dirname, '..', 'syntaxes', 'capture.tmLanguage.json');
        return vsctm.parseRawGrammar(fs.readFileSync(p, 'utf8'), p);
      }
      return stubs[scope] ? vsctm.parseRawGrammar(JSON.stringify(stubs[scope]), `${scope}.json`) : null;
    },
  });
  const grammar = await registry.loadGrammar('text.html.capture');
  assert.ok(grammar);

  function scopesOf(text) {
    let ruleStack = vsctm.INITIAL;
    const out = [];
    for (const line of text.split('\n')) {
      const r = grammar.tokenizeLine(line, ruleStack);
      out.push(r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
      ruleStack = r.ruleStack;
    }
    return out;
  }
  const find = (lineTokens, text) => lineTokens.find((t) => t.text === text)?.scopes ?? [];

  const seed = scopesOf(SEED_TEXT.split('\n').slice(0, 5).join('\n').slice(0, 2000));
  assert.ok(find(seed[0], '1679425984000').includes('constant.numeric.timestamp.capture'));
  assert.ok(find(seed[0], '<!--').includes('punctuation.definition.comment.begin.html'));
  assert.ok(find(seed[1], '习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机”').includes('entity.name.section.capture'));
  assert.ok(find(seed[1], 'https://www.bbc.com/zhongwen/simp/chinese-news-65032731').includes('markup.underline.link.capture'));
  assert.ok(find(seed[2], '------').includes('meta.header.separator.capture'));
  assert.ok(find(seed[4], '<main').includes('meta.tag.html.stub'), 'body is tokenized by text.html.basic');

  const fm = scopesOf('---\nlayout: post\n---\n<!--1598707855000-->\n[[视频]t](http://x/y)\n------\n\n日期：Fri, 19 Jun 2020 15:56:13 +0000');
  assert.ok(find(fm[0], '---').includes('punctuation.definition.front-matter.begin.capture'));
  assert.ok(find(fm[1], 'layout').includes('entity.name.tag.yaml.stub'));
  assert.ok(find(fm[1], 'layout').includes('meta.embedded.block.frontmatter.capture'));
  assert.ok(find(fm[2], '---').includes('punctuation.definition.front-matter.end.capture'));
  assert.ok(find(fm[3], '1598707855000').includes('constant.numeric.timestamp.capture'));
  assert.ok(find(fm[4], '[视频]t').includes('entity.name.section.capture'), 'nested brackets stay in the title');
  assert.ok(find(fm[7], '日期').includes('keyword.other.date.capture'));
  assert.ok(find(fm[7], 'Fri, 19 Jun 2020 15:56:13 +0000').includes('constant.other.date.capture'));
});
