import type { KeySetting } from "./common";

/** The GCP settings a reviewer looks at first, by resource type (filled in with providers/gcp). */
export const GCP_SETTINGS: Record<string, KeySetting> = {};
