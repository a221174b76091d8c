/** The message of anything thrown, for a verdict's `error`. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
