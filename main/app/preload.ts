import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type ApiMethod } from '../ipc/channels.js';
import type { Api } from '../ipc/contract.js';

/**
 * Exposes exactly the contract's methods as `window.api`, each a call to its
 * own channel with one request object. No raw ipcRenderer, no generic invoke,
 * no event objects handed to the page.
 */
const api = Object.fromEntries(
  (Object.keys(CHANNELS) as ApiMethod[]).map((method) => [
    method,
    (request: unknown) => ipcRenderer.invoke(CHANNELS[method], request),
  ]),
) as Api;

contextBridge.exposeInMainWorld('api', api);
