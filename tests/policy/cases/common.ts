import type { PolicyCase } from "../fixtures";

/** Cases for the cloud-independent policies (run against the AWS fixtures; the GCP and Azure tag paths have their own). */
export const COMMON_CASES: PolicyCase[] = [
    { policy: "required-tags", title: "a resource without tags", from: "db", patch: { tags: null }, expect: "fail", match: /tags lacks project, environment, managed-by/ },
    { policy: "required-tags", title: "an unknown environment tag", from: "db", patch: { tags: { environment: "prod" } }, expect: "fail", match: /environment tag is 'prod'/ },
    { policy: "required-tags", title: "a type without tags", from: "read-secrets", expect: "not-applicable" },
    { policy: "protect-stateful-resources", title: "an unprotected production database", from: "db", protect: false, expect: "fail", match: /database db is not protected/ },
    { policy: "protect-stateful-resources", title: "an unprotected production secret", from: "database-url", protect: false, expect: "fail" },
    { policy: "protect-stateful-resources", title: "an unprotected staging database", from: "db", protect: false, environment: "staging", expect: "not-applicable" },
    { policy: "protect-stateful-resources", title: "a stateless resource", from: "alb", protect: false, expect: "not-applicable" },
];

/** The same two policies on the other clouds' tag paths (Cloud SQL keeps labels in settings.userLabels). */
export const COMMON_GCP_CASES: PolicyCase[] = [
    { policy: "required-tags", title: "Cloud SQL without userLabels", from: "db", patch: { settings: { userLabels: { environment: undefined, "managed-by": undefined } } }, expect: "fail", match: /settings.userLabels lacks environment, managed-by/ },
    { policy: "required-tags", title: "Cloud Run without labels", from: "api", patch: { labels: null }, expect: "fail", match: /labels lacks/ },
    { policy: "protect-stateful-resources", title: "an unprotected Cloud SQL instance", from: "db", protect: false, expect: "fail" },
    { policy: "protect-stateful-resources", title: "an unprotected Cloud SQL database with deletionPolicy ABANDON", from: "app-db", protect: false, expect: "not-applicable" },
    { policy: "protect-stateful-resources", title: "an unprotected Cloud SQL database that deletion drops", from: "app-db", patch: { deletionPolicy: "DELETE" }, protect: false, expect: "fail" },
];

export const COMMON_AZURE_CASES: PolicyCase[] = [
    { policy: "required-tags", title: "a vault without tags", from: "kv", patch: { tags: { "managed-by": undefined } }, expect: "fail", match: /tags lacks managed-by/ },
    { policy: "protect-stateful-resources", title: "an unprotected Key Vault", from: "kv", protect: false, expect: "fail", match: /secret store kv is not protected/ },
];

/** Kubernetes keeps the standard tags as metadata.labels; CloudNativePG clusters, Secrets and the Redis StatefulSet are stateful. */
export const COMMON_KUBERNETES_CASES: PolicyCase[] = [
    { policy: "required-tags", title: "a Deployment without labels", from: "api", patch: { metadata: { labels: null } }, expect: "fail", match: /metadata.labels lacks project, environment, managed-by/ },
    { policy: "required-tags", title: "a CloudNativePG cluster without managed-by", from: "postgres", patch: { metadata: { labels: { "managed-by": undefined } } }, expect: "fail", match: /metadata.labels lacks managed-by/ },
    { policy: "protect-stateful-resources", title: "an unprotected CloudNativePG cluster", from: "postgres", protect: false, expect: "fail", match: /database postgres is not protected/ },
    { policy: "protect-stateful-resources", title: "an unprotected Kubernetes Secret", from: "app-env", protect: false, expect: "fail", match: /secret app-env is not protected/ },
    { policy: "protect-stateful-resources", title: "an unprotected Redis StatefulSet", from: "redis", protect: false, expect: "fail", match: /cache redis is not protected/ },
    { policy: "protect-stateful-resources", title: "an unprotected staging CloudNativePG cluster", from: "postgres", protect: false, environment: "staging", expect: "not-applicable" },
    { policy: "protect-stateful-resources", title: "a stateless Deployment", from: "api", protect: false, expect: "not-applicable" },
];
