// The parts of dmn-moddle's API that the rule editor uses (the package ships no types).
declare module 'dmn-moddle' {
  /** A moddle element: typed properties, plus `$attrs` for attributes moddle does not know. */
  export interface ModdleElement {
    readonly $type: string;
    $attrs?: Record<string, string>;
    $parent?: ModdleElement;
    get(name: string): unknown;
    set(name: string, value: unknown): void;
    [property: string]: unknown;
  }

  export class DmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: ModdleElement; warnings: { message: string }[] }>;
    toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
    create(type: string, properties?: Record<string, unknown>): ModdleElement;
  }
}
