#!/usr/bin/env node
// Prints what a workflow needs to log a job in for one stack of fastapi-platform, as
// `key=value` lines for $GITHUB_OUTPUT: the cloud the stack file names
// (fastapi-platform:cloud, else Pulumi.yaml's default), the stack's environment and its region.
// Usage: node .github/scripts/stack-facts.js <stack>   (run after `npm ci`: it reads YAML with `yaml`)
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require("yaml");

const CLOUDS = ["aws", "gcp", "azure", "kubernetes"];
const REGION_KEYS = { aws: "aws:region", gcp: "gcp:region", azure: "azure-native:location" };

function stackFacts(stack, projectDir) {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack || "")) throw new Error(`'${stack}' is not a stack name`);
    const project = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"));
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`there is no ${path.basename(file)} beside Pulumi.yaml`);
    const config = (parse(fs.readFileSync(file, "utf8")) || {}).config || {};
    const defaults = project.config || {};
    const cloud = config[`${project.name}:cloud`] ?? defaults.cloud?.default ?? "aws";
    if (!CLOUDS.includes(cloud)) throw new Error(`${path.basename(file)}: ${project.name}:cloud is '${cloud}'; allowed: ${CLOUDS.join(", ")}`);
    const environment = config[`${project.name}:environment`] ?? defaults.environment?.default ?? "production";
    const region = REGION_KEYS[cloud] ? config[REGION_KEYS[cloud]] ?? "" : "";
    if (REGION_KEYS[cloud] && !region) throw new Error(`${path.basename(file)} sets no ${REGION_KEYS[cloud]} for cloud ${cloud}`);
    return { stack, cloud, environment, region };
}

module.exports = { stackFacts };

if (require.main === module) {
    try {
        const facts = stackFacts(process.argv[2], path.resolve(__dirname, "..", ".."));
        process.stdout.write(Object.entries(facts).map(([key, value]) => `${key}=${value}\n`).join(""));
    } catch (error) {
        process.stderr.write(`stack-facts: ${error.message}\n`);
        process.exit(1);
    }
}
