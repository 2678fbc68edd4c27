/** Thrown when a listener's port is taken; names the setting that chooses another. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    readonly setting: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Port ${port} (${setting}) is already in use on ${host}; choose another with ${setting}`,
      options,
    );
    this.name = 'PortInUseError';
  }
}
