import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type ApiMethod } from './channels.js';
import { dispatch } from './dispatch.js';
import type { Handlers } from './handlers.js';
import { isTrustedSenderUrl } from './sender.js';

/**
 * Registers one ipcMain handler per contract method. A message is answered
 * only when it comes from a trusted window's main frame at the app's URL.
 */
export function registerIpc(handlers: Handlers, options: { appUrl: string; trustedWebContents: Set<number> }): void {
  const trusted = (event: IpcMainInvokeEvent): boolean =>
    options.trustedWebContents.has(event.sender.id) &&
    event.senderFrame !== null &&
    event.senderFrame === event.sender.mainFrame &&
    isTrustedSenderUrl(event.senderFrame.url, options.appUrl);

  const register = <M extends ApiMethod>(method: M): void => {
    ipcMain.handle(CHANNELS[method], (event, request: unknown) => {
      if (!trusted(event)) {
        console.error(`Refused ${method} from an untrusted sender`);
        return { ok: false, error: { kind: 'internal', message: 'Refused: this window may not call the app.' } };
      }
      return dispatch(handlers, method, request);
    });
  };
  for (const method of Object.keys(CHANNELS) as ApiMethod[]) register(method);
}
