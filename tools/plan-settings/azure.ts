import type { KeySetting } from "./common";

/** The AZURE settings a reviewer looks at first, by resource type (filled in with providers/azure). */
export const AZURE_SETTINGS: Record<string, KeySetting> = {};
