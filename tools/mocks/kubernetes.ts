import { stableHex, type CloudMocks, type State } from "./common";

/**
 * Kubernetes objects come back as their inputs (the program names every object itself and reads
 * nothing the cluster computes); an object given without metadata gets its logical name and a uid.
 */
function genericState(_type: string, name: string, inputs: State): State {
    const metadata = inputs.metadata ?? {};
    return { metadata: { ...metadata, name: metadata.name ?? name, uid: `${stableHex(name, 8)}-0000-4000-8000-${stableHex(`${name}/uid`, 12)}` } };
}

export const KUBERNETES_MOCKS: CloudMocks = { computed: {}, invokes: {}, generic: genericState };
