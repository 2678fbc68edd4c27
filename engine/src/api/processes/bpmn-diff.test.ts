import { describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { diffBpmn, UnreadableBpmnError } from './bpmn-diff.js';

const withDiagram = (xml: string, x: number) =>
  xml.replace(
    '</bpmn:definitions>',
    `<bpmndi:BPMNDiagram id="d" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC">
       <bpmndi:BPMNPlane id="p" bpmnElement="order">
         <bpmndi:BPMNShape id="check_di" bpmnElement="check"><dc:Bounds x="${x}" y="80" width="100" height="80" /></bpmndi:BPMNShape>
       </bpmndi:BPMNPlane>
     </bpmndi:BPMNDiagram></bpmn:definitions>`,
  );

describe('diffBpmn', () => {
  const base = () => processBuilder('order').startEvent().serviceTask('check', { type: 'check' });

  it('finds nothing between a version and itself, nor when only the layout moved', async () => {
    const xml = base().endEvent().toXml();
    expect(await diffBpmn(xml, xml)).toEqual({ added: [], removed: [], changed: [] });
    expect(await diffBpmn(withDiagram(xml, 100), withDiagram(xml, 400))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('names added and removed elements and flows by id', async () => {
    const before = base().endEvent().toXml();
    const after = base().userTask('review').endEvent().toXml();
    const diff = await diffBpmn(before, after);
    expect(diff.added.sort()).toEqual(['check-review', 'review', 'review-end']);
    expect(diff.removed).toEqual(['check-end']);
  });

  it('names the changed properties: attributes, extension elements, references', async () => {
    const before = base().endEvent().toXml();
    const renamed = processBuilder('order')
      .startEvent()
      .serviceTask('check', { type: 'check', name: 'Check the claim', retries: '5' })
      .endEvent()
      .toXml();
    expect((await diffBpmn(before, renamed)).changed).toEqual([
      { elementId: 'check', properties: ['extensionElements', 'name'] },
    ]);
  });

  it('says which version is unreadable', async () => {
    await expect(diffBpmn('<nope', base().toXml())).rejects.toThrow(UnreadableBpmnError);
    await expect(diffBpmn(base().toXml(), '<nope')).rejects.toThrow(/The to version/);
  });
});
