@phase1
Feature: Surviving a Redis restart
  The API and the workers reconnect to Redis by themselves and carry on where they were.
  While Redis is down the health check says so; once it is back, no job is lost and none
  runs twice.

  Scenario: Jobs running while Redis restarts all complete exactly once
    Given the system runs on its own Redis server, which keeps its data on disk
    When a client submits 40 mock jobs that take 200 ms each
    And Redis stops while jobs are still waiting or running
    Then the health check reports Redis down
    When Redis starts again on its saved data
    Then the health check reports Redis up
    And all 40 jobs complete within 20 seconds
    And every job completed exactly once, by its history in Redis and by the worker logs
    And every worker waits for work on Redis again and listens for cancellations
    When a client submits a mock job "after the restart"
    Then job "after the restart" completes
