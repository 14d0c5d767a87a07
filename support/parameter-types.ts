/** Words of the runbooks that map to a closed set of values. */
import { defineParameterType } from '@cucumber/cucumber';
import { kindParameterType, kindsParameterType } from '../src/binding-kinds';
import { NODEGROUP_CONFIG_SECTIONS } from '../src/constants';

defineParameterType(kindParameterType());
defineParameterType(kindsParameterType());

defineParameterType({
  name: 'section',
  regexp: new RegExp(NODEGROUP_CONFIG_SECTIONS.join('|')),
  transformer: (section: string) => section,
});
