// An error meant for the user: one line, and every problem when there are several.

export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(message: string, readonly details: string[] = []) {
    super(message);
  }
}
