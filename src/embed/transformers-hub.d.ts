/**
 * Types for the one deep import of @xenova/transformers (its hub file
 * fetcher, which the package's entry point does not re-export). Only the
 * members download-model.ts uses are declared.
 */
declare module '@xenova/transformers/src/utils/hub.js' {
  export interface HubProgressInfo {
    status: 'initiate' | 'download' | 'progress' | 'done';
    name: string;
    file: string;
    loaded?: number;
    total?: number;
  }
  /** Resolves to the file's bytes, or null when `fatal` is false and the file does not exist. */
  export function getModelFile(
    modelId: string,
    file: string,
    fatal?: boolean,
    options?: { progress_callback?: (info: HubProgressInfo) => void; revision?: string },
  ): Promise<Uint8Array | null>;
}
