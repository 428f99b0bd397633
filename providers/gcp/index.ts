import type { CloudProvider } from "../../components/platform";
import { GcpPlatform } from "./platform";
import { validateGcp } from "./validate";

export { GcpPlatform } from "./platform";

export const provider: CloudProvider = {
    validate: validateGcp,
    create: (args, opts) => new GcpPlatform(args.baseName, args, opts),
};
