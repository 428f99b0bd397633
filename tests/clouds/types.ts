import type { RunResult } from "../../tools/harness";

/** What the cloud-independent tests (secrets, loading) need to know about one cloud. */
export interface CloudFixture {
    /** The npm package of the cloud's SDK, which no other cloud's stack may load. */
    sdk: string;
    /** Resource type -> the input fields allowed to hold a secret value in plain text: the store's value and the services' own credentials. */
    secretHolders: Record<string, string[]>;
    /** The plain values held in the cloud's secret store (to prove every secret reaches it). */
    storedValues(result: RunResult): string[];
    /** The plain value the secret store holds under `key` (e.g. DATABASE_URL, DATABASE_OWNER_URL). */
    storedSecret(result: RunResult, key: string): string;
    /**
     * What one workload receives: its plain variables, and for each secret variable the store key
     * it is read from (so a test sees that the migrations' DATABASE_URL is the owner's entry).
     */
    workloadEnv(result: RunResult, role: "api" | "worker" | "migrations"): WorkloadEnv;
    /** The migrations container's command (arguments) exactly as the program sets it. */
    migrationCommand(result: RunResult): string[];
}

export interface WorkloadEnv {
    plain: Record<string, string>;
    /** Env var name -> secret-store key. */
    secrets: Record<string, string>;
}

/** DATABASE_OWNER_URL <-> database-owner-url: the store names of Key Vault and Secret Manager entries. */
export const kebab = (key: string): string => key.toLowerCase().replace(/_/g, "-");
export const unkebab = (name: string): string => name.toUpperCase().replace(/-/g, "_");
