import type { CloudProvider } from "../../components/platform";
import { AwsPlatform } from "./platform";
import { validateAws } from "./validate";

export { AwsPlatform } from "./platform";

export const provider: CloudProvider = {
    validate: validateAws,
    create: (args, opts) => new AwsPlatform(args.baseName, args, opts),
};
