// Types of electron-binary.mjs, for the TypeScript tests that import it.
export declare const ELECTRON_MISSING_HINT: string;
export declare function findElectronBinary(root: string): { path: string; missing?: undefined } | { missing: string; path?: undefined };
