// A compose file a person must fix: where (file, line, key path) and what is wrong.

export interface ComposeErrorLocation {
  file?: string;
  line?: number;
  /** Dotted key path, e.g. `services.web.ports[0]`. */
  keyPath?: string;
}

export class ComposeError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly keyPath?: string;

  constructor(message: string, location: ComposeErrorLocation = {}, options?: { cause?: unknown }) {
    const where = [
      location.file && (location.line ? `${location.file}:${location.line}` : location.file),
      location.keyPath,
    ]
      .filter(Boolean)
      .join(': ');
    super(where ? `${where}: ${message}` : message, options);
    this.name = 'ComposeError';
    this.file = location.file;
    this.line = location.line;
    this.keyPath = location.keyPath;
  }
}
