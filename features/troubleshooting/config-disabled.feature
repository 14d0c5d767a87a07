@troubleshooting
Feature: Troubleshoot a feature disabled in the nodegroup config
  The controller reads ConfigMap kubesphere-system/nodegroup-config live. With a section
  switched off, binds still answer 200 but leave part of the work undone: with scheduling
  off, bound namespaces lose their node-selector annotation. The diagnosis warns about
  the disabled section and gives the patch that enables it again, the rest of the config kept.

  @sandbox-only
  Scenario: Scheduling was switched off in the config
    Given a new nodegroup "sched"
    And namespace "${NAMESPACE}" is bound to nodegroup "sched"
    And someone disables scheduling in the nodegroup config by hand
    Then namespace "${NAMESPACE}" has no scheduling annotation
    When I diagnose nodegroup "sched" for namespace "${NAMESPACE}"
    Then the "config-enabled" check warns with "disabled in nodegroup-config: scheduling"
    And its likely cause is that "scheduling disabled: bound namespaces get no scheduling annotation"
    And it recommends a command starting with "kubectl patch cm nodegroup-config -n kubesphere-system --type=merge -p"
    When I run the recommended command
    Then the nodegroup config has scheduling enabled
    And namespace "${NAMESPACE}" schedules onto nodegroup "sched"
    And the diagnosis of nodegroup "sched" for namespace "${NAMESPACE}" is healthy

  @diagnose-only @readonly
  Scenario: Diagnose-only: every feature of the nodegroup config is enabled
    When I diagnose nodegroup "${NODEGROUP}"
    And I run what the "config-enabled" check recommends, where repairs are allowed
    Then the "config-enabled" check of nodegroup "${NODEGROUP}" passes
