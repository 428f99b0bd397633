import type { CloudProvider } from "../../components/platform";
import { KubernetesPlatform } from "./platform";
import { validateKubernetes } from "./validate";

export { KubernetesPlatform } from "./platform";

export const provider: CloudProvider = {
    validate: validateKubernetes,
    create: (args, opts) => new KubernetesPlatform(args.baseName, args, opts),
};
