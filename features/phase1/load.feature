@phase1
Feature: Many jobs over many workers
  Under load every job completes, and no job runs twice.

  Scenario: 200 jobs over 10 workers all complete exactly once
    When a client submits 200 mock jobs that take 5 ms each
    Then all 200 jobs complete within 20 seconds
    And every job completed exactly once
    And the work was shared by at least 5 workers
    And the trace of every job runs from its submission to its completion in one attempt
