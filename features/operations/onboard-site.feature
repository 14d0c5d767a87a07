@operation
Feature: Onboard an edge site
  An operation, not a test: the names are used as written and the changes are kept. It creates
  the site's nodegroup, binds the site's node and namespace to it and verifies them. The names
  come from the variables SITE, SITE_MANAGER, SITE_NODE and SITE_NAMESPACE (the environment
  file's vars, RUNBOOK_VAR_<NAME> or --world-parameters; the sandbox has its own). The run summary
  lists every change and the command that undoes the run: npm run revert -- --run-id ID.

  Scenario: Onboard the edge site
    Given node "${SITE_NODE}" is in no nodegroup
    And namespace "${SITE_NAMESPACE}" is in no nodegroup
    When I create nodegroup "${SITE}" with alias "Edge site ${SITE}" and manager "${SITE_MANAGER}"
    And I bind node "${SITE_NODE}" to nodegroup "${SITE}"
    And I bind namespace "${SITE_NAMESPACE}" to nodegroup "${SITE}"
    Then nodegroup "${SITE}" is in state "active"
    And node "${SITE_NODE}" belongs to nodegroup "${SITE}"
    And kubectl lists node "${SITE_NODE}" in nodegroup "${SITE}"
    And nodegroup "${SITE}" lists namespace "${SITE_NAMESPACE}"
