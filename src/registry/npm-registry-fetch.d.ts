// The package ships no types; this declares only the surface reldiff uses.
declare module 'npm-registry-fetch' {
  interface RegistryResponse {
    status: number;
    headers: { get(name: string): string | null };
    buffer(): Promise<Buffer>;
  }
  type FetchOptions = Record<string, unknown>;
  function npmFetch(url: string, options?: FetchOptions): Promise<RegistryResponse>;
  export default npmFetch;
}
