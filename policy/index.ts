import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES, DEFAULT_ENFORCEMENT, PACK_DESCRIPTION, PACK_NAME } from "./rules";

// Only constructs the pack (which starts the policy server the Pulumi CLI talks to). The policies
// live in ./rules so tests can import them without starting a server. See docs/guardrails.md.
new PolicyPack(PACK_NAME, {
    description: PACK_DESCRIPTION,
    displayName: "fastapi-platform production baseline",
    enforcementLevel: DEFAULT_ENFORCEMENT,
    tags: ["aws", "gcp", "azure", "baseline"],
    policies: ALL_POLICIES,
});
