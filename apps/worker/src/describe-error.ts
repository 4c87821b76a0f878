/** How an error is logged: its kind and code, never its message (it may quote data). */
export function describeError(error: unknown): { name: string; code?: string } {
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? { name, code: String(code) } : { name };
}
