// Settings and server-path resolution. Pure: no `vscode` import, unit-tested directly.
//
// The server receives ONE settings object, both as `initializationOptions` and as the answer
// to `workspace/configuration` for section `capture-lsp`. Its keys are listed once in
// editors/settings-keys.json ("server"); the client-only keys are listed there as "client".

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SECTION = 'capture-lsp';
export const LANGUAGE_ID = 'capture';
export const SERVER_COMMAND = 'capture-lsp';

export type Severity = 'off' | 'hint' | 'info' | 'warning' | 'error';

export interface ServerSettings {
  rules: Record<string, Severity>;
  credits: { markers: string[]; agencies: Record<string, string> };
  hover: { imagePreview: boolean };
  largeFileThreshold: number;
}

/** Dotted keys (without the `capture-lsp.` prefix) sent to the server. */
export const SERVER_KEYS = [
  'rules',
  'credits.markers',
  'credits.agencies',
  'hover.imagePreview',
  'largeFileThreshold',
] as const;

/** Dotted keys only the client reads. */
export const CLIENT_KEYS = ['server.path', 'server.extraArgs', 'detectByContent', 'trace.server'] as const;

export const DEFAULT_LARGE_FILE_THRESHOLD = 2_000_000;

/** Reads one dotted key of the `capture-lsp` section (like `WorkspaceConfiguration.get`). */
export type ConfigGetter = (key: string) => unknown;

const SEVERITIES: ReadonlySet<string> = new Set(['off', 'hint', 'info', 'warning', 'error']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Build the server settings object from the editor configuration, dropping malformed values. */
export function buildServerSettings(get: ConfigGetter): ServerSettings {
  const rules: Record<string, Severity> = {};
  const rawRules = get('rules');
  if (isPlainObject(rawRules)) {
    for (const [name, sev] of Object.entries(rawRules)) {
      if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[name] = sev as Severity;
    }
  }

  const rawMarkers = get('credits.markers');
  const markers = Array.isArray(rawMarkers) ? rawMarkers.filter((m): m is string => typeof m === 'string') : [];

  const agencies: Record<string, string> = {};
  const rawAgencies = get('credits.agencies');
  if (isPlainObject(rawAgencies)) {
    for (const [alias, canonical] of Object.entries(rawAgencies)) {
      if (typeof canonical === 'string') agencies[alias] = canonical;
    }
  }

  const imagePreview = get('hover.imagePreview') === true;

  const rawThreshold = get('largeFileThreshold');
  const largeFileThreshold =
    typeof rawThreshold === 'number' && Number.isFinite(rawThreshold) && rawThreshold >= 0
      ? Math.floor(rawThreshold)
      : DEFAULT_LARGE_FILE_THRESHOLD;

  return { rules, credits: { markers, agencies }, hover: { imagePreview }, largeFileThreshold };
}

/** Extra server arguments from `capture-lsp.server.extraArgs`. */
export function extraArgs(get: ConfigGetter): string[] {
  const raw = get('server.extraArgs');
  return Array.isArray(raw) ? raw.filter((a): a is string => typeof a === 'string') : [];
}

export interface ResolveEnv {
  /** The PATH variable. */
  PATH?: string;
  /** `process.platform`. */
  platform: string;
  /** Home directory for `~` expansion. */
  home?: string;
  /** First workspace folder, for `${workspaceFolder}` expansion. */
  workspaceFolder?: string;
  /** Whether `p` is an existing executable file. */
  isExecutable: (p: string) => boolean;
}

export type Resolution =
  | { ok: true; command: string; source: 'setting' | 'PATH' }
  | { ok: false; message: string };

export function expandPath(p: string, env: Pick<ResolveEnv, 'home' | 'workspaceFolder'>): string {
  let out = p.trim();
  if (env.home && (out === '~' || out.startsWith('~/') || out.startsWith('~\\'))) {
    out = env.home + out.slice(1);
  }
  if (env.workspaceFolder) out = out.split('${workspaceFolder}').join(env.workspaceFolder);
  return out;
}

/** Look `name` up on PATH (with PATHEXT-like suffixes on Windows). */
export function findOnPath(name: string, env: ResolveEnv): string | undefined {
  const isWin = env.platform === 'win32';
  const sep = isWin ? ';' : ':';
  const exts = isWin ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of (env.PATH ?? '').split(sep)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (env.isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Setting `capture-lsp.server.path` (a path, or a bare command name looked up on PATH)
 * → `capture-lsp` on PATH → a clear error naming the setting.
 */
export function resolveServerPath(configured: unknown, env: ResolveEnv): Resolution {
  const setting = typeof configured === 'string' ? configured.trim() : '';
  if (setting !== '') {
    const expanded = expandPath(setting, env);
    const isBareName = !expanded.includes('/') && !expanded.includes('\\');
    if (isBareName) {
      const found = findOnPath(expanded, env);
      if (found) return { ok: true, command: found, source: 'setting' };
      return {
        ok: false,
        message:
          `capture-lsp: the server command "${expanded}" set in "${SECTION}.server.path" was not found on PATH. ` +
          `Set "${SECTION}.server.path" to the full path of the capture-lsp binary.`,
      };
    }
    if (env.isExecutable(expanded)) return { ok: true, command: expanded, source: 'setting' };
    return {
      ok: false,
      message:
        `capture-lsp: the server binary "${expanded}" set in "${SECTION}.server.path" does not exist or is not executable. ` +
        `Fix "${SECTION}.server.path", or clear it to use "${SERVER_COMMAND}" from PATH.`,
    };
  }
  const found = findOnPath(SERVER_COMMAND, env);
  if (found) return { ok: true, command: found, source: 'PATH' };
  return {
    ok: false,
    message:
      `capture-lsp: could not find the "${SERVER_COMMAND}" server on PATH. ` +
      `Install it (cargo install --path <capture-lsp checkout>) or set "${SECTION}.server.path" to the binary.`,
  };
}

/** The real file-system check used by the extension. */
export function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function processResolveEnv(workspaceFolder?: string): ResolveEnv {
  return {
    PATH: process.env.PATH,
    platform: process.platform,
    home: os.homedir(),
    workspaceFolder,
    isExecutable: isExecutableFile,
  };
}

/** Arguments the server is started with: `--stdio` then the user's extra arguments. */
export function serverArgs(extra: readonly string[]): string[] {
  return ['--stdio', ...extra];
}
