/** Vite's `?url` imports: the URL the build gives an asset (https://vite.dev/guide/assets#explicit-url-imports). */
declare module '*?url' {
  const url: string;
  export default url;
}
