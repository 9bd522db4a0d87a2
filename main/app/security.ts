import { shell, type Session, type WebContents } from 'electron';
import { isAllowedExternalUrl } from '../core/external-links.js';

/**
 * Locks a window's contents down: no new windows, no navigation away from
 * the app, no webviews. Links the page tries to open go to the user's browser
 * only when they are on the allow-list.
 */
export function lockDownContents(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Denies every permission request (camera, notifications, ...) and check. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
