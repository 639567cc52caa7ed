// The page's built stylesheet and script: esbuild.mjs provides this module
// (scripts/lib/webview-assets.mjs); the unit tests build the same strings
// through esbuild's API instead (test/support/webview-assets.ts).
declare module 'kpi-webview-assets' {
  export const style: string;
  export const script: string;
}
