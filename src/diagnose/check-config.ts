/**
 * Check 6: is the feature enabled in the nodegroup config? The ConfigMap's `nodegroup.yaml` has
 * sections scheduling, policy, rbac, ippool, each `{enabled: bool}`; a section that is absent or
 * not `enabled: true` is off, as the controller reads it. A disabled section explains missing
 * annotations (a warning, not a failure: it may be intended).
 */
import { stringify } from 'yaml';
import {
  type ConfigSection,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIG_SECTIONS,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_NAMESPACE,
} from '../constants';
import { DISABLED_CONFIG, parseNodegroupConfig } from '../nodegroup-config';
import { REASONS } from './model-names';
import { eventsAbout, finding } from './objects';
import { repairs as cmd } from './repairs';
import type { ConfigEvidence, Evidence, Finding } from './types';

/** What a disabled section leaves undone (model of the controller). */
const EFFECT: Record<ConfigSection, string> = {
  scheduling: `bound namespaces get no scheduling annotation`,
  ippool: 'groups get no IPPool and bound namespaces no IPPool annotation',
  policy: 'no network policy for bound namespaces',
  rbac: 'no RBAC for group managers',
};

/** The config as the controller reads it, from the ConfigMap's key (undefined: no ConfigMap). */
export function parseConfig(text: string | undefined, found = true): ConfigEvidence {
  if (text === undefined) return { found, sections: { ...DISABLED_CONFIG } };
  return { found, text, ...parseNodegroupConfig(text) };
}

/** The config text with these sections enabled, everything else kept. */
function enabledText(config: ConfigEvidence, sections: ConfigSection[]): string {
  const doc: Record<string, unknown> = structuredClone(config.document ?? {});
  for (const section of sections) {
    const old = doc[section];
    doc[section] = { ...(typeof old === 'object' && old !== null ? old : {}), enabled: true };
  }
  return stringify(doc);
}

export function checkConfig(ev: Evidence): Finding[] {
  const config = ev.config;
  const ref = `configmap/${NODEGROUP_NAMESPACE}/${NODEGROUP_CONFIGMAP}`;
  if (!config.found || config.text === undefined) {
    const what = config.found ? `has no key ${NODEGROUP_CONFIG_KEY}` : 'not found';
    return [
      finding('config-enabled', 'fail', `${NODEGROUP_CONFIGMAP} ${what}: every feature is off`, {
        objects: [{ ref, found: config.found }],
        likelyCause: 'the nodegroup chart installs this ConfigMap: it was deleted or edited',
        repair: cmd.showConfig(),
      }),
    ];
  }
  const objects = [{ ref, [NODEGROUP_CONFIG_KEY]: config.text }];
  if (config.error) {
    return [
      finding('config-enabled', 'fail', `${NODEGROUP_CONFIGMAP} is unusable: ${config.error}`, {
        objects,
        events: eventsAbout(ev.events, 'ConfigMap', NODEGROUP_CONFIGMAP, [REASONS.configInvalid]).slice(-1),
        likelyCause: 'the controller keeps its previous config until the text is fixed',
        repair: cmd.showConfig(),
      }),
    ];
  }
  const off = NODEGROUP_CONFIG_SECTIONS.filter((s) => !config.sections[s]);
  if (!off.length) {
    return [
      finding('config-enabled', 'pass', `sections ${NODEGROUP_CONFIG_SECTIONS.join(', ')} enabled`, {
        objects,
      }),
    ];
  }
  return [
    finding('config-enabled', 'warn', `disabled in ${NODEGROUP_CONFIGMAP}: ${off.join(', ')}`, {
      objects: [{ ...objects[0]!, sections: config.sections }],
      likelyCause: off.map((s) => `${s} disabled: ${EFFECT[s]}`).join('; '),
      repair: cmd.patchConfig(enabledText(config, off)),
    }),
  ];
}
