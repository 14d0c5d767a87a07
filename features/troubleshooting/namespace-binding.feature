@troubleshooting
Feature: Troubleshoot an incomplete namespace binding
  A namespace bound to a nodegroup carries the group label, is listed by the group, and,
  with scheduling enabled, has the node-selector annotation that keeps its pods on the
  group's nodes. When part of that goes missing (a GitOps sync re-applying an old
  manifest, a hand edit), the namespace looks bound but its pods schedule anywhere.
  Binding it again through the KAPI writes every part back.

  @sandbox-only
  Scenario: The scheduling annotation of a bound namespace is gone
    Given a new nodegroup "tenants"
    And namespace "${NAMESPACE}" is bound to nodegroup "tenants"
    And someone removes the annotation "scheduler.alpha.kubernetes.io/node-selector" from namespace "${NAMESPACE}" by hand
    Then namespace "${NAMESPACE}" belongs to nodegroup "tenants"
    But namespace "${NAMESPACE}" has no scheduling annotation
    When I diagnose nodegroup "tenants" for namespace "${NAMESPACE}"
    Then the "namespace-workspace" check fails with "namespace ${NAMESPACE}: annotation scheduler.alpha.kubernetes.io/node-selector is not apps.edgewize.io/nodegroup=tenants"
    And its likely cause is that "scheduling is enabled but the annotation was not written or was edited by hand"
    And it recommends running "nodegroup-api bind namespace --nodegroup tenants --namespace ${NAMESPACE}"
    When I run the recommended command
    Then namespace "${NAMESPACE}" schedules onto nodegroup "tenants"
    And nodegroup "tenants" lists namespace "${NAMESPACE}"
    And the diagnosis of nodegroup "tenants" for namespace "${NAMESPACE}" is healthy

  @diagnose-only @readonly
  Scenario: Diagnose-only: the namespaces of the nodegroup are fully bound
    When I diagnose nodegroup "${NODEGROUP}"
    And I run what the "namespace-workspace" check recommends, where repairs are allowed
    Then the "namespace-workspace" check of nodegroup "${NODEGROUP}" passes
