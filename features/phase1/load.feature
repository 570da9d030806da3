@phase1
Feature: Many jobs over many workers
  Under load every job completes, and no job runs twice.

  Scenario: 1,000 jobs over 10 workers all complete exactly once
    When clients submit 1000 mock jobs that take 5 ms each, 25 at a time
    Then all 1000 jobs complete within 60 seconds
    And every job completed exactly once
    And no job is left waiting, running or scheduled for a retry
    And the work was shared by at least 5 workers
    And the trace of every job runs from its submission to its completion in one attempt
