import type { CloudProvider } from "../../components/platform";
import { AzurePlatform } from "./platform";
import { validateAzure } from "./validate";

export { AzurePlatform } from "./platform";

export const provider: CloudProvider = {
    validate: validateAzure,
    create: (args, opts) => new AzurePlatform(args.baseName, args, opts),
};
