// The package ships no types; this declares only the surface reldiff uses.
declare module 'npm-registry-fetch' {
  interface RegistryResponse {
    status: number;
    headers: { get(name: string): string | null };
    buffer(): Promise<Buffer>;
  }
  type FetchOptions = Record<string, unknown>;
  interface Auth { token: string | null; auth: string | null; cert: string | null; key: string | null }
  function npmFetch(url: string, options?: FetchOptions): Promise<RegistryResponse>;
  namespace npmFetch {
    /** The credentials npm would send to `url`, by npm's own scoping of `//host/path/:_authToken` keys. */
    function getAuth(url: string, options: FetchOptions): Auth;
  }
  export default npmFetch;
}

declare module 'make-fetch-happen' {
  interface Response {
    status: number;
    headers: { get(name: string): string | null };
    buffer(): Promise<Buffer>;
  }
  function fetch(url: string, options?: Record<string, unknown>): Promise<Response>;
  export default fetch;
}
