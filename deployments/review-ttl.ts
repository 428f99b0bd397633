import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";

/**
 * A time-to-live for a review stack, declared by the review stack itself.
 *
 * Review stacks are created by Pulumi Deployments from the `pr` template with names nobody
 * knows in advance, so the deployments project cannot declare a TtlSchedule for each one.
 * Deployments destroys a review stack when its pull request is merged or closed (and the
 * template's `deleteAfterDestroy` then deletes it); this schedule is the backstop for pull
 * requests left open: the stack is destroyed `ttlHours` after its first deployment.
 *
 * Wiring (fastapi-platform's index.ts, when its config says it is a review stack):
 *
 *     if (args.reviewStackTtlHours > 0) reviewStackTtl({ ttlHours: args.reviewStackTtlHours });
 *
 * The timestamp is computed on the first `pulumi up` and then kept (`ignoreChanges`), so later
 * commits to the pull request do not push the deadline back: the TTL counts from creation.
 */
export interface ReviewStackTtlArgs {
    /** Hours from the first deployment to the destroy; 1 to 720. */
    ttlHours: number;
    /** Delete the stack from Pulumi Cloud after the destroy (default true). */
    deleteAfterDestroy?: boolean;
    /** Defaults: the running program's organization, project and stack. */
    organization?: string;
    project?: string;
    stack?: string;
    /** The clock, for tests. */
    now?: Date;
}

export function reviewStackTtl(args: ReviewStackTtlArgs, opts: pulumi.CustomResourceOptions = {}): service.TtlSchedule {
    if (!Number.isInteger(args.ttlHours) || args.ttlHours < 1 || args.ttlHours > 720) {
        throw new pulumi.RunError(`review stack TTL is ${args.ttlHours} hours; expected a whole number of hours from 1 to 720`);
    }
    const stack = args.stack ?? pulumi.getStack();
    const now = args.now ?? new Date();
    const timestamp = new Date(now.getTime() + args.ttlHours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return new service.TtlSchedule(`${stack}-ttl`, {
        organization: args.organization ?? pulumi.getOrganization(),
        project: args.project ?? pulumi.getProject(),
        stack,
        timestamp,
        deleteAfterDestroy: args.deleteAfterDestroy ?? true,
    }, { ...opts, ignoreChanges: [...(opts.ignoreChanges ?? []), "timestamp"] });
}
