// `vsce package` must produce a .vsix holding the bundle, the grammar, the language
// configuration and the manifest — and not node_modules or the sources.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.join(__dirname, '..');

/** Names (and bodies, inflated on demand) of the entries of a zip file, from its central directory. */
function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'end of central directory found');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    entries.set(name, () => {
      const lnlen = buf.readUInt16LE(local + 26);
      const lxlen = buf.readUInt16LE(local + 28);
      const data = buf.subarray(local + 30 + lnlen + lxlen, local + 30 + lnlen + lxlen + csize);
      return method === 8 ? zlib.inflateRawSync(data) : data;
    });
    p += 46 + nlen + xlen + clen;
  }
  return entries;
}

test('vsce package produces a .vsix with the bundle and the grammar', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'capture-vsix-')), 'capture-lsp.vsix');
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  assert.ok(fs.existsSync(vsce), 'vsce installed (npm ci)');
  const r = cp.spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180000,
  });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
  const entries = readZip(out);
  const names = [...entries.keys()];
  for (const want of [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/syntaxes/capture.tmLanguage.json',
    'extension/language-configuration.json',
    'extension/readme.md',
  ]) {
    assert.ok(names.some((n) => n.toLowerCase() === want.toLowerCase()), `${want} in the .vsix: ${names.join(', ')}`);
  }
  assert.ok(!names.some((n) => n.includes('node_modules/')), 'no node_modules in the .vsix');
  assert.ok(!names.some((n) => n.startsWith('extension/src/') || n.startsWith('extension/test/')), 'no sources or tests');

  const bundle = entries.get('extension/dist/extension.js')().toString('utf8');
  assert.ok(bundle.length > 50000, 'the bundle includes vscode-languageclient');
  assert.ok(!/require\(["']vscode-languageclient/.test(bundle), 'vscode-languageclient is bundled, not required');
  const grammar = JSON.parse(entries.get('extension/syntaxes/capture.tmLanguage.json')().toString('utf8'));
  assert.equal(grammar.scopeName, 'text.html.capture');
  const pkg = JSON.parse(entries.get('extension/package.json')().toString('utf8'));
  assert.equal(pkg.contributes.languages[0].id, 'capture');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});
