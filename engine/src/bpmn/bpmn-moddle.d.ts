// The parts of bpmn-moddle's API that the compiler uses (the package ships element types only).
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: unknown; warnings: { message: string; element?: unknown }[] }>;
  }
}
