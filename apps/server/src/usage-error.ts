/** A refusal the user can act on: printed as one line, no stack. 2 = bad input, 1 = cannot now. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
