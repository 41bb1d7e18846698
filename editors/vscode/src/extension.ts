import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

import { isCaptureLines, isContentDetectedFileName, MAX_LINES } from './detect';
import {
  buildServerSettings,
  type ConfigGetter,
  extraArgs,
  LANGUAGE_ID,
  processResolveEnv,
  resolveServerPath,
  SECTION,
  serverArgs,
  type ServerSettings,
} from './settings';

export { isCaptureLines, isCaptureText } from './detect';
export { buildServerSettings, resolveServerPath, serverArgs } from './settings';

const CLIENT_NAME = 'Capture Language Server';

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
let outputChannel: vscode.OutputChannel | undefined;
/** Documents this extension switched to `capture`; if the user switches one back, leave it. */
const switched = new Set<string>();

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

function getter(scope?: vscode.ConfigurationScope): ConfigGetter {
  const c = config(scope);
  return (key) => c.get(key);
}

export function currentServerSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  return buildServerSettings(getter(scope));
}

function log(message: string): void {
  outputChannel?.appendLine(`[client] ${message}`);
}

/** Switch a Markdown / plain-text document to `capture` when its first lines are a capture header. */
export async function detectDocument(doc: vscode.TextDocument): Promise<boolean> {
  if (doc.languageId !== 'markdown' && doc.languageId !== 'plaintext') return false;
  if (!isContentDetectedFileName(doc.fileName)) return false;
  if (config(doc.uri).get<boolean>('detectByContent', true) === false) return false;
  const key = doc.uri.toString();
  if (switched.has(key)) return false; // switched before, and the user chose another language
  const lines: string[] = [];
  const n = Math.min(doc.lineCount, MAX_LINES);
  for (let i = 0; i < n; i++) lines.push(doc.lineAt(i).text);
  if (!isCaptureLines(lines)) return false;
  switched.add(key);
  await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  return true;
}

function firstWorkspaceFolder(): string | undefined {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
}

function createClient(): LanguageClient | undefined {
  const resolution = resolveServerPath(config().get('server.path'), processResolveEnv(firstWorkspaceFolder()));
  if (!resolution.ok) {
    log(resolution.message);
    void vscode.window.showErrorMessage(resolution.message, 'Open Settings').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
      }
    });
    return undefined;
  }
  const args = serverArgs(extraArgs(getter()));
  log(`starting ${resolution.command} ${args.join(' ')} (found via ${resolution.source})`);

  const serverOptions: ServerOptions = {
    run: { command: resolution.command, args, transport: TransportKind.stdio },
    debug: {
      command: resolution.command,
      args,
      transport: TransportKind.stdio,
      options: { env: { ...process.env, CAPTURE_LSP_LOG: 'debug' } },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }],
    initializationOptions: currentServerSettings(),
    outputChannel,
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for section `capture-lsp` with exactly the object
        // sent as initializationOptions (not VS Code's raw section, which holds client keys).
        configuration: async (params, token, next) => {
          const raw = await next(params, token);
          if (!Array.isArray(raw)) return raw;
          return params.items.map((item, i) => {
            if (item.section === SECTION) {
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              return currentServerSettings(scope);
            }
            return raw[i];
          });
        },
      },
    },
  };

  return new LanguageClient(SECTION, CLIENT_NAME, serverOptions, clientOptions);
}

async function startClient(): Promise<void> {
  if (client) return;
  if (starting) return starting;
  starting = (async () => {
    const c = createClient();
    if (!c) return;
    client = c;
    try {
      await c.start();
    } catch (err) {
      const message = `capture-lsp: the server failed to start: ${err instanceof Error ? err.message : String(err)}`;
      log(message);
      void vscode.window.showErrorMessage(message);
    }
  })().finally(() => {
    starting = undefined;
  });
  return starting;
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      log(`stop failed: ${String(err)}`);
    }
  }
}

export async function restartServer(): Promise<void> {
  await stopClient();
  await startClient();
}

function hasCaptureDocument(): boolean {
  return vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID);
}

async function onDidOpen(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId === LANGUAGE_ID) {
    await startClient();
    return;
  }
  if (await detectDocument(doc)) await startClient();
}

/** Forget a switched document once it is really closed (not just re-opened in another language). */
function onDidClose(doc: vscode.TextDocument): void {
  const key = doc.uri.toString();
  if (!switched.has(key)) return;
  const timer = setTimeout(() => {
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) switched.delete(key);
  }, 1000);
  timer.unref?.();
}

async function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!e.affectsConfiguration(SECTION)) return;
  if (e.affectsConfiguration(`${SECTION}.server`)) {
    if (client || hasCaptureDocument()) await restartServer();
    return;
  }
  if (e.affectsConfiguration(`${SECTION}.detectByContent`)) {
    for (const doc of vscode.workspace.textDocuments) await detectDocument(doc);
  }
  if (client) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: currentServerSettings() },
    });
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(outputChannel);

  context.subscriptions.push(
    vscode.commands.registerCommand(`${SECTION}.restartServer`, restartServer),
    vscode.commands.registerCommand(`${SECTION}.showLog`, () => outputChannel?.show(true)),
    vscode.workspace.onDidOpenTextDocument((doc) => void onDidOpen(doc)),
    vscode.workspace.onDidCloseTextDocument(onDidClose),
    vscode.workspace.onDidChangeConfiguration((e) => void onConfigurationChanged(e)),
    { dispose: () => void stopClient() },
  );

  for (const doc of vscode.workspace.textDocuments) await detectDocument(doc);
  if (hasCaptureDocument()) await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
  switched.clear();
}

/** For tests only. */
export function _client(): LanguageClient | undefined {
  return client;
}
