/** The project's root folder. */
export const ROOT: string;
/** Where the build writes the compiled sources. */
export const DIST: string;
/** The fingerprint of the sources dist/ was compiled from. */
export const STAMP: string;
/** A hash of the path, size and modification time of every source file and build input. */
export function sourceFingerprint(root?: string): string;
/** True when dist/ holds a build of the sources exactly as they are, or a build with no sources beside it. */
export function isDistFresh(root?: string): boolean;
