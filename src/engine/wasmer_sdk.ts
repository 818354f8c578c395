/**
 * The part of the Wasmer JS SDK (`@wasmer/sdk` 0.16, browser build) that wasp uses, declared
 * here instead of imported as types: type-checking wasp (or a program that imports mod.ts)
 * then never resolves the SDK's npm graph, whose optional native dependency (bufferutil)
 * made Deno print an "Ignored build scripts" warning to every user.
 * @module
 */

/** A running guest command. */
export interface WasmerProcess {
  stdin: { write(bytes: Uint8Array): Promise<void>; close(): Promise<void> } | null;
  stdout: AsyncIterable<Uint8Array> | null;
  stderr: AsyncIterable<Uint8Array> | null;
  wait(): Promise<{ reason: string; exitCode: number }>;
  kill(): Promise<void>;
}

/** A package of modules and commands. */
export type WasmerPackage = object;

/** A sandbox: a virtual filesystem and the commands that run in it. */
export interface WasmerSandbox {
  fs: {
    mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
    readDir(
      path: string,
    ): Promise<readonly { name: string; kind: "file" | "directory"; size: number }[]>;
    readFile(path: string): Promise<Uint8Array>;
  };
  command(
    pkg: WasmerPackage,
    args: string[],
    options: { env: Record<string, string>; cwd: string },
  ): {
    spawn(
      options: { stdin: "pipe"; stdout: "pipe"; stderr: "pipe" },
    ): Promise<WasmerProcess>;
  };
  close(): Promise<void>;
}

/** An SDK instance. */
export interface WasmerInstance {
  packages: {
    create(options: {
      modules: Record<string, Uint8Array>;
      commands: Record<string, { module: string }>;
    }): Promise<WasmerPackage>;
  };
  sandboxes: {
    create(options: {
      packages: WasmerPackage[];
      files: Record<string, Uint8Array>;
    }): Promise<WasmerSandbox>;
  };
  close(): Promise<void>;
}

/** The SDK module. */
export interface WasmerSdk {
  Wasmer: new (options: { cache: boolean }) => WasmerInstance;
}
