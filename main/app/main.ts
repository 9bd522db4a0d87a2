import { app, BrowserWindow, clipboard, dialog, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAllowedExternalUrl } from '../core/external-links.js';
import { freshdeskUrl } from '../core/subdomain.js';
import { createHandlers } from '../ipc/handlers.js';
import { registerIpc } from '../ipc/register.js';
import { createCloudElementsClient } from '../services/cloud-elements.js';
import { createFreshdeskClient } from '../services/freshdesk.js';
import { createSecretVault } from '../services/secret-vault.js';
import { openSettings, storeSchema, type Settings } from '../services/settings.js';
import { denyPermissions, lockDownContents } from './security.js';

const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const preloadFile = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
// electron-vite sets ELECTRON_RENDERER_URL for `npm run dev` only; a build loads its own files.
const appUrl =
  !app.isPackaged && process.env['ELECTRON_RENDERER_URL']
    ? process.env['ELECTRON_RENDERER_URL']
    : pathToFileURL(rendererFile).href;
const trustedWebContents = new Set<number>();

function createWindow(): void {
  const window = new BrowserWindow({
    width: 960,
    height: 720,
    minWidth: 760,
    minHeight: 560,
    title: 'Freshdesk Events Setup Assistant',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const id = window.webContents.id;
  trustedWebContents.add(id);
  window.webContents.once('destroyed', () => trustedWebContents.delete(id));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appUrl);
}

// Every renderer sandboxed, whatever a window's own settings say; must precede 'ready'.
app.enableSandbox();

// One running instance at a time: a second launch focuses the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, appUrl));

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession);
    const handlers = createHandlers({
      cloudElements: (apiBase, credentials) => createCloudElementsClient({ apiBase, credentials }),
      writeClipboard: async (text) => clipboard.writeText(text),
      openExternal: async (url) => {
        if (isAllowedExternalUrl(url)) await shell.openExternal(url);
      },
      freshdesk: (subdomain, apiKey) => createFreshdeskClient({ baseUrl: freshdeskUrl(subdomain), apiKey }),
      saveFile: async (suggestedName, content) => {
        const window = BrowserWindow.getFocusedWindow();
        const options = { defaultPath: join(app.getPath('documents'), suggestedName) };
        const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
        if (choice.canceled || !choice.filePath) return undefined;
        await writeFile(choice.filePath, content, 'utf8');
        return choice.filePath;
      },
      vault: createSecretVault(),
      settings: openSettings(() => new ElectronStore<Settings>({ name: 'settings', schema: storeSchema() }), {
        filePath: join(app.getPath('userData'), 'settings.json'),
      }),
    });
    registerIpc(handlers, { appUrl, trustedWebContents });
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
