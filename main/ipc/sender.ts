/**
 * Is an IPC message from our own page? The frame's URL must be the app's
 * renderer entry exactly (file URL in a build, the dev server's origin in
 * development); anything else, such as a page navigated elsewhere, is refused.
 */
export function isTrustedSenderUrl(frameUrl: string | undefined, appUrl: string): boolean {
  if (frameUrl === undefined || frameUrl === '') return false;
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return frame.protocol === 'file:' && frame.pathname === app.pathname;
  return frame.origin === app.origin;
}
