// The package's version, written in from package.json by the build
// (esbuild.mjs defines KPI_SCORECARD_VERSION); `dev` when the sources run
// without a build (the unit tests under tsx). `kpi --version`, the SARIF
// report and the language server's serverInfo all say this one.
declare const KPI_SCORECARD_VERSION: string | undefined;

export const VERSION: string = typeof KPI_SCORECARD_VERSION === 'string' ? KPI_SCORECARD_VERSION : 'dev';
