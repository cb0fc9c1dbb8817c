// The part of sql.js (https://sql.js.org/documentation/) that rpmdb-sqlite.ts uses; the package ships no types, and
// @types/sql.js would bring emscripten's with it for four calls.
declare module 'sql.js' {
  export type SqlValue = number | string | Uint8Array | null;
  export interface Statement {
    step(): boolean;
    get(): SqlValue[];
    free(): boolean;
  }
  export interface Database {
    prepare(sql: string): Statement;
    run(sql: string, params?: SqlValue[]): Database;
    export(): Uint8Array;
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  export default function initSqlJs(config?: { locateFile?: (file: string) => string }): Promise<SqlJsStatic>;
}
