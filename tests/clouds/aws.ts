import { ofType } from "../support";
import type { CloudFixture } from "./types";

export const AWS_FIXTURE: CloudFixture = {
    sdk: "@pulumi/aws",
    secretHolders: {
        "aws:secretsmanager/secretVersion:SecretVersion": ["secretString"],
        "aws:rds/instance:Instance": ["password"],
        "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
    },
    storedValues: (r) => ofType(r, "aws:secretsmanager/secretVersion:SecretVersion").map((v) => v.plainInputs.secretString as string),
};
