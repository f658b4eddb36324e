/** Loosely typed JSON, for tests that read service answers field by field. */
// biome-ignore lint/suspicious/noExplicitAny: tests read loosely shaped JSON and assert on it
export type Json = any;

/** The JSON body of a fetch response. */
export async function json(response: Response | Promise<Response>): Promise<Json> {
  return (await response).json();
}
