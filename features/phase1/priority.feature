@phase1
Feature: Priority order
  Waiting jobs start with the highest priority first and, within one priority,
  in the order they were submitted. Priority 0 is a valid, lowest priority.

  Background:
    Given no worker is running

  Scenario: A higher priority job starts before a lower one
    Given these mock jobs are waiting:
      | job   | priority |
      | low   | 10       |
      | high  | 90       |
      | mid   | 50       |
    When 1 mock worker starts
    Then the jobs run in the order high, mid, low
    And the traces show the jobs processed in the order high, mid, low

  Scenario: Jobs of the same priority start in the order they were submitted
    Given these mock jobs are waiting:
      | job    | priority |
      | first  | 50       |
      | second | 50       |
      | third  | 50       |
    When 1 mock worker starts
    Then the jobs run in the order first, second, third
    And the traces show the jobs processed in the order first, second, third

  Scenario: Priority 0 is accepted and starts last
    Given these mock jobs are waiting:
      | job     | priority |
      | zero    | 0        |
      | default | 50       |
    When 1 mock worker starts
    Then the jobs run in the order default, zero
    And the traces show the jobs processed in the order default, zero
    And job "zero" has priority 0 and at most 3 attempts
