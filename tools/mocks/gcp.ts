import type { CloudMocks } from "./common";

/** GCP resources and data sources as the program uses them (filled in with providers/gcp). */
export const GCP_MOCKS: CloudMocks = { computed: {}, invokes: {} };
