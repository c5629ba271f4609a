// What the converter could not carry over, as data for the UI and lines for the CLI.

export interface ConversionWarning {
  /** Compose service the warning is about, if any. */
  service?: string;
  /** Compose key path, e.g. `services.web.ulimits`. */
  key?: string;
  message: string;
  /**
   * true when kompose reports the same thing on stderr; false for what kompose drops silently.
   * The CLI prints the second kind only with --verbose, so kompose's stderr contract holds.
   */
  kompose: boolean;
}

export class WarningSink {
  readonly list: ConversionWarning[] = [];

  kompose(message: string, service?: string, key?: string): void {
    this.list.push({ message, service, key, kompose: true });
  }

  dropped(service: string, key: string, message = 'is not carried over to Kubernetes'): void {
    this.list.push({
      service,
      key: `services.${service}.${key}`,
      message: `services.${service}.${key} ${message}`,
      kompose: false,
    });
  }
}
