// The parts of dmn-moddle's API that the DMN compiler uses (the package ships no types).
declare module 'dmn-moddle' {
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: unknown; warnings: { message: string; element?: unknown }[] }>;
  }
}
