@phase1
Feature: Exporting traces to an OpenTelemetry collector
  With OTEL_COLLECTOR_ENDPOINT set, the API and the workers send their spans over OTLP/HTTP
  with the Dash0 token and dataset as headers, and export the spans they hold when they shut down.

  Scenario: An API process and a worker process deliver one connected trace per job
    Given a trace collector is listening on this machine
    And no worker is running
    And an API process and a worker process export their traces to the collector with a Dash0 token and dataset
    When a client submits a mock job "exported" to the API process
    Then job "exported" completes
    And the collector has received no span yet, because the services export in batches
    When the API process and the worker process shut down
    Then the collector received the trace of job "exported" from both services
    And every export to the collector carried the Dash0 token and dataset
    And no log line of either process contains the Dash0 token
