// Stand-in for `vscode-languageclient/node`: records how the extension builds its client.
'use strict';

const instances = [];

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions });
    this.started = 0;
    this.stopped = 0;
    this.notifications = [];
    instances.push(this);
  }
  start() {
    this.started++;
    return Promise.resolve();
  }
  stop() {
    this.stopped++;
    return Promise.resolve();
  }
  sendNotification(type, params) {
    this.notifications.push({ method: type.method, params });
    return Promise.resolve();
  }
}

module.exports = {
  __instances: instances,
  LanguageClient,
  TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
  DidChangeConfigurationNotification: { type: { method: 'workspace/didChangeConfiguration' } },
};
