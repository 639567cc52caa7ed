// Types of webview-assets.mjs for the TypeScript that imports it (the test support).
export declare const WEBVIEW_SCRIPT_ENTRY: string;
export declare const WEBVIEW_STYLE_ENTRY: string;
export declare const WEBVIEW_ASSETS_MODULE: string;
export declare function buildWebviewAssets(options?: { production?: boolean }): { style: string; script: string; inputs: string[] };
export declare function webviewAssetsPlugin(options?: { production?: boolean }): unknown;
