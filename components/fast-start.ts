/**
 * Imported first by index.ts. The SDK records `new Error().stack` for every promise it creates
 * (read only by its report of promises still pending at exit), and the source-map support that
 * `pulumi` installs maps every frame of each: about a second of every preview and update of this
 * program. Those traces are left empty; other message-less traces (the SDK's source positions)
 * get the plain V8 format; real errors keep their mapped positions.
 */
export function skipSourceMapsForSdkTraces(): void {
    const mapStack = Error.prepareStackTrace;
    if (!mapStack || (mapStack as { sdkTracesUnmapped?: boolean }).sdkTracesUnmapped) return;
    const prepare = (error: Error, frames: NodeJS.CallSite[]) => {
        if (error.message !== "") return mapStack(error, frames);
        if (frames[0]?.getFunctionName() === "debuggablePromise") return "";
        return `${error.name}\n${frames.map((frame) => `    at ${frame}`).join("\n")}`;
    };
    Error.prepareStackTrace = Object.assign(prepare, { sdkTracesUnmapped: true });
}

skipSourceMapsForSdkTraces();
