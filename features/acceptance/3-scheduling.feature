@acceptance
Feature: Acceptance 3: workloads of a bound namespace run on the group's nodes
  What nodegroups are installed for: a namespace bound to a group schedules its pods onto the
  group's nodes only (the namespace's node selector, merged into each new pod by the
  PodNodeSelector admission). The group, the namespace and the workloads are new; the nodes are
  the environment's choice (NODE, OTHER_NODE) and are put back by the cleanup.

  @capability:scheduling
  Scenario: Every pod of a Deployment in a bound namespace runs on a node of the group
    Given a new nodegroup "accept"
    And I bind node "${NODE}" to nodegroup "accept"
    And I bind node "${OTHER_NODE}" to nodegroup "accept"
    And a new namespace "accept-ns"
    When I bind namespace "accept-ns" to nodegroup "accept"
    Then namespace "accept-ns" schedules onto nodegroup "accept"
    When I create deployment "web" in namespace "accept-ns" with 3 replicas
    Then deployment "web" in namespace "accept-ns" is Ready
    And every pod of deployment "web" in namespace "accept-ns" runs on a node of nodegroup "accept"

  @capability:scheduling
  Scenario: Pods of a namespace bound to a group without nodes stay Pending
    Given a new nodegroup "accept-empty"
    And a new namespace "accept-empty-ns"
    When I bind namespace "accept-empty-ns" to nodegroup "accept-empty"
    Then namespace "accept-empty-ns" schedules onto nodegroup "accept-empty"
    When I create deployment "idle" in namespace "accept-empty-ns" with 1 replica
    Then every pod of deployment "idle" in namespace "accept-empty-ns" is Pending because no node matches

  @capability:admission
  Scenario: A pod asking for another nodegroup is refused in a bound namespace
    Given a new nodegroup "accept-adm"
    And a new namespace "accept-adm-ns"
    When I bind namespace "accept-adm-ns" to nodegroup "accept-adm"
    Then namespace "accept-adm-ns" schedules onto nodegroup "accept-adm"
    When I try to create pod "stray" in namespace "accept-adm-ns" on nodegroup "elsewhere"
    Then the request is forbidden
    And the request is refused with 403 saying "pod node label selector conflicts with its namespace node label selector"
