// A command-line usage mistake the argument parser cannot see (e.g. a malformed --dims value):
// reported as `error: message` with exit code 2, like the parser's own errors.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
