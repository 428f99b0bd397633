import type { CloudMocks } from "./common";

/** AZURE resources and data sources as the program uses them (filled in with providers/azure). */
export const AZURE_MOCKS: CloudMocks = { computed: {}, invokes: {} };
