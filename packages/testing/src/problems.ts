/** The field paths of a VALIDATION_FAILED problem (RFC 9457 body with `errors`). */
export function fieldPaths(response: { json<T>(): T }): string[] {
  return (response.json<{ errors?: Array<{ path: string }> }>().errors ?? []).map((e) => e.path);
}
