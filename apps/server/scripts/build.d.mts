/** The bundle's entry point, apps/server/dist/cli.js. */
export declare const entryFile: string;
/** The inputs changed, added or removed since the bundle was built: empty when fresh, undefined when there is no bundle. */
export declare function staleInputs(): string[] | undefined;
/** Build apps/server/dist/ (about a second); safe to run concurrently. */
export declare function buildServer(): Promise<void>;
