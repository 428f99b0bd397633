import { container, envOf, ofType, secretRefsOf } from "../support";
import { kebab, type CloudFixture } from "./types";

const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

export const AWS_FIXTURE: CloudFixture = {
    sdk: "@pulumi/aws",
    secretHolders: {
        "aws:secretsmanager/secretVersion:SecretVersion": ["secretString"],
        "aws:rds/instance:Instance": ["password"],
        "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
    },
    storedValues: (r) => ofType(r, SECRET_VERSION).map((v) => v.plainInputs.secretString as string),
    storedSecret: (r, key) => {
        const found = ofType(r, SECRET_VERSION).filter((v) => v.name === `${r.project}-${r.stack}-${kebab(key)}`);
        if (found.length !== 1) throw new Error(`no Secrets Manager version for ${key}`);
        return found[0].plainInputs.secretString as string;
    },
    migrationCommand: (r) => container(r, "migrations").command,
    workloadEnv: (r, role) => {
        const def = container(r, role);
        // A secret's name is <baseName>/<KEY>; tasks reference it by ARN.
        const keyByArn = new Map(ofType(r, "aws:secretsmanager/secret:Secret").map((s) => [s.state.arn as string, String(s.plainInputs.name).split("/").pop()!]));
        return {
            plain: envOf(def),
            secrets: Object.fromEntries(Object.entries(secretRefsOf(def)).map(([envName, arn]) => [envName, keyByArn.get(arn) ?? `unknown ${arn}`])),
        };
    },
};
