/** An error the user can fix (bad flag, missing file, malformed record). The CLI prints its message, no stack. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}
