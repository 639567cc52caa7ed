// Types of browser.mjs for the TypeScript that imports it (the test support).
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
