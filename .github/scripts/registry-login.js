#!/usr/bin/env node
// Logs Docker in to the registry a stack pushes its built image to, with a short-lived token from
// the cloud CLI the job is already logged in to by OIDC (no stored registry password). A stack
// that runs a prebuilt image (no fastapi-platform:build.context in its stack file) pushes nothing,
// so nothing happens. Kubernetes stacks push to an external registry: log in to it before this.
// Usage: node .github/scripts/registry-login.js <stack>   (after the stack-login action)
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const { parse } = require("yaml");
const { stackFacts } = require("./stack-facts");

/** The commands (argv lists) that log Docker in for this stack, or [] when it builds nothing. */
function registryLogin(stack, projectDir, run = (argv) => execFileSync(argv[0], argv.slice(1), { encoding: "utf8" }).trim()) {
    const facts = stackFacts(stack, projectDir);
    const config = (parse(fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8")) || {}).config || {};
    const build = config["fastapi-platform:build"] || {};
    if (!build.context) return [];
    switch (facts.cloud) {
        case "aws": {
            const account = run(["aws", "sts", "get-caller-identity", "--query", "Account", "--output", "text"]);
            return [["sh", "-c", 'aws ecr get-login-password --region "$1" | docker login --username AWS --password-stdin "$2"', "ecr-login", facts.region, `${account}.dkr.ecr.${facts.region}.amazonaws.com`]];
        }
        case "gcp":
            return [["gcloud", "auth", "configure-docker", `${facts.region}-docker.pkg.dev`, "--quiet"]];
        case "azure": {
            // The registry carries the stack's tags; on a stack's very first `up` it does not exist yet (docs/delivery.md).
            const name = run(["az", "acr", "list", "--query", `[?tags.stack=='${stack}' && tags.project=='fastapi-platform'].name | [0]`, "--output", "tsv"]);
            return name ? [["az", "acr", "login", "--name", name]] : [];
        }
        default:
            return [];
    }
}

module.exports = { registryLogin };

if (require.main === module) {
    try {
        for (const argv of registryLogin(process.argv[2], path.resolve(__dirname, "..", ".."))) {
            process.stdout.write(`registry-login: ${argv[0]} ${argv[1]} ...\n`);
            execFileSync(argv[0], argv.slice(1), { stdio: "inherit" });
        }
    } catch (error) {
        process.stderr.write(`registry-login: ${error.message}\n`);
        process.exit(1);
    }
}
