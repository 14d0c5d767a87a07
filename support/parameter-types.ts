/** Words of the runbooks that map to a closed set of values. */
import { defineParameterType } from '@cucumber/cucumber';
import { NODEGROUP_CONFIG_SECTIONS } from '../src/constants';

defineParameterType({
  name: 'kind',
  regexp: /node|namespace|workspace/,
  transformer: (kind: string) => kind,
});

defineParameterType({
  name: 'section',
  regexp: new RegExp(NODEGROUP_CONFIG_SECTIONS.join('|')),
  transformer: (section: string) => section,
});
