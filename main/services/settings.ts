import { renameSync } from 'node:fs';
import { z } from 'zod';

/**
 * Non-secret progress, kept in one JSON file (electron-store in the app, conf
 * in tests and the CLI: the same schema for both). There is no field for a
 * secret, and `update` refuses unknown keys, so none can slip in.
 */
export const SETTINGS_SCHEMA_VERSION = 1;

const walkthroughSchema = z.strictObject({
  ui: z.enum(['current', 'legacy']),
  done: z.array(z.string().max(64)).max(64),
});

const finishedSetupSchema = z.strictObject({
  finishedAt: z.string().max(64),
  apiBase: z.string().max(2048),
  subdomain: z.string().max(64),
  instanceId: z.string().regex(/^\d{1,30}$/),
  instanceName: z.string().max(256),
  eventsUrl: z.string().max(2048),
});

export const settingsShape = {
  schemaVersion: z.number().int().min(1),
  apiBase: z.string().max(2048),
  subdomain: z.string().max(256),
  authKind: z.enum(['apiKey', 'password']),
  freshdeskUsername: z.string().max(256),
  instanceMode: z.enum(['create', 'existing']),
  instanceName: z.string().max(256),
  tags: z.string().max(2048),
  callbackUrl: z.string().max(2048),
  instance: z.union([z.strictObject({ id: z.string().regex(/^\d{1,30}$/), name: z.string().max(256) }), z.null()]),
  currentStep: z.string().max(64),
  walkthrough: walkthroughSchema,
  history: z.array(finishedSetupSchema).max(100),
};

export const settingsSchema = z.strictObject(settingsShape);
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.omit({ schemaVersion: true, history: true }).partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
export type FinishedSetup = z.infer<typeof finishedSetupSchema>;

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  apiBase: 'api.cloud-elements.com',
  subdomain: '',
  authKind: 'apiKey',
  freshdeskUsername: '',
  instanceMode: 'create',
  instanceName: '',
  tags: '',
  callbackUrl: '',
  instance: null,
  currentStep: 'welcome',
  walkthrough: { ui: 'current', done: [] },
  history: [],
};

/** The per-property JSON Schema (with defaults) that electron-store and conf validate the file against. */
export function storeSchema(): Record<keyof Settings, Record<string, unknown>> {
  const entries = Object.entries(settingsShape).map(([key, schema]) => {
    const { $schema: _ignored, ...json } = z.toJSONSchema(schema) as Record<string, unknown>;
    return [key, { ...json, default: DEFAULT_SETTINGS[key as keyof Settings] }];
  });
  return Object.fromEntries(entries) as Record<keyof Settings, Record<string, unknown>>;
}

/** What the settings module needs of electron-store / conf. */
export interface SettingsStore {
  readonly path: string;
  store: Settings;
}

/** Told to the user once when the settings file could not be read and was set aside. */
export interface SettingsNotice {
  backupPath: string;
  message: string;
}

export interface SettingsService {
  read(): Settings;
  update(patch: SettingsPatch): Settings;
  recordFinishedSetup(setup: FinishedSetup): Settings;
  /** Present when this start found a corrupt file. */
  readonly notice: SettingsNotice | undefined;
}

/**
 * Opens the store. A file that is not JSON or breaks the schema is renamed to
 * a backup beside it and a fresh store is made, so the app always starts.
 */
export function openSettings(
  createStore: () => SettingsStore,
  options: { filePath: string; now?: () => Date },
): SettingsService {
  let store: SettingsStore;
  let notice: SettingsNotice | undefined;
  try {
    store = createStore();
    checkStoredSettings(store.store);
  } catch {
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const backupPath = `${options.filePath}.corrupt-${stamp}`;
    renameSync(options.filePath, backupPath);
    store = createStore();
    notice = {
      backupPath,
      message: `Your saved progress could not be read, so the app started fresh. The old file was kept as ${backupPath}.`,
    };
  }

  return {
    notice,
    read: () => ({ ...DEFAULT_SETTINGS, ...store.store, schemaVersion: SETTINGS_SCHEMA_VERSION }),
    update(patch) {
      const checked = settingsPatchSchema.parse(patch);
      const next = { ...DEFAULT_SETTINGS, ...store.store, ...checked } as Settings;
      store.store = next;
      return next;
    },
    recordFinishedSetup(setup) {
      const entry = finishedSetupSchema.parse(setup);
      const current = { ...DEFAULT_SETTINGS, ...store.store };
      const next = { ...current, history: [entry, ...current.history].slice(0, 100) };
      store.store = next;
      return next;
    },
  };
}

/** conf validates what it writes; this checks what it read, including a file edited by hand. */
function checkStoredSettings(stored: unknown): void {
  // conf keeps its own bookkeeping under __internal__ when it runs migrations.
  const { __internal__: _bookkeeping, ...settings } = (stored ?? {}) as Record<string, unknown>;
  settingsSchema.partial().parse(settings);
}
