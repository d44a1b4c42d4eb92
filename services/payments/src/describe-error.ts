/**
 * One line about a failed gateway call, for logs and `last_error`: the error's class and message,
 * never the error object itself. Gateway clients hang their request configuration on errors
 * (axios keeps the basic-auth key pair in `config`), and a logger serialising the whole object
 * would write the secret out.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  if (typeof error === 'object' && error !== null) {
    const { statusCode, error: inner } = error as { statusCode?: unknown; error?: { description?: unknown; code?: unknown } };
    if (typeof statusCode === 'number') return `gateway answered ${statusCode}${typeof inner?.code === 'string' ? ` ${inner.code}` : ''}${typeof inner?.description === 'string' ? `: ${inner.description}` : ''}`.slice(0, 500);
  }
  return 'unknown error';
}
