import type { RecordedResource } from "../harness";

export type Fields = Record<string, unknown>;

/** What a reviewer checks on one resource type; `summary` rows collapse all resources of the type into one line. */
export interface KeySetting {
    label: string;
    fields?: (resource: RecordedResource) => Fields;
    summary?: (resources: RecordedResource[]) => string;
}

export const pick = (inputs: Fields, names: string[]): Fields => Object.fromEntries(names.map((name) => [name, inputs[name]]));
