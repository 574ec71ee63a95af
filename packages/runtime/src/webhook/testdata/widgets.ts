/** The Widget kind of `widgets.crd.yaml` and webhooks for it, shared by the webhook tests. */
import type { KubeObject } from '../../api/index.ts';
import type { ResourceDescriptor } from '../../api/index.ts';
import { AdmissionDenied, conversion, defaulting, fieldError, validating, type SpokeConversion } from '../index.ts';

export const group = 'webhooks.kubeforge.dev';
export const widgetsV2: ResourceDescriptor = { group, version: 'v2', kind: 'Widget', plural: 'widgets', namespaced: true };

export interface WidgetV1 extends KubeObject {
  spec?: { size?: number; color?: string };
}
export interface WidgetV2 extends KubeObject {
  spec?: { replicas?: number; color?: string; tier?: string };
}

export const widgetDefaulting = defaulting<WidgetV2>(widgetsV2, (widget) => {
  widget.spec ??= {};
  widget.spec.color ??= 'blue';
  return widget;
});

export const widgetValidation = validating<WidgetV2>(widgetsV2, {
  create: (widget) => check(widget),
  update(widget, old) {
    const outcome = check(widget);
    const [was, is] = [old.spec?.tier, widget.spec?.tier];
    if (was !== undefined && is !== was) {
      outcome.errors.push(fieldError.forbidden('spec.tier', `may not be changed once set (was ${JSON.stringify(was)})`));
    }
    return outcome;
  },
  delete(widget) {
    if (widget.metadata.labels?.protected === 'true') {
      throw new AdmissionDenied('Forbidden', `widget ${widget.metadata.name ?? ''} is protected; remove the label "protected" first`);
    }
  },
});

function check(widget: WidgetV2): { errors: ReturnType<typeof fieldError.invalid>[]; warnings: string[] } {
  const errors = [];
  const warnings = [];
  const replicas = widget.spec?.replicas;
  if (replicas !== undefined && replicas > 10) errors.push(fieldError.invalid('spec.replicas', replicas, 'must be at most 10'));
  if (widget.spec?.tier === 'legacy') warnings.push('spec.tier "legacy" is deprecated; use "standard"');
  return { errors, warnings };
}

const v1: SpokeConversion<WidgetV1, WidgetV2> = {
  toHub(object) {
    const { size, ...rest } = object.spec ?? {};
    return { ...object, spec: { ...rest, ...(size !== undefined && { replicas: size }) } };
  },
  fromHub(hub) {
    const { replicas, tier: _tier, ...rest } = hub.spec ?? {};
    return { ...hub, spec: { ...rest, ...(replicas !== undefined && { size: replicas }) } };
  },
};

export const widgetConversion = conversion({ group, kind: 'Widget', hub: 'v2', spokes: { v1 } });
