@phase2
Feature: Keeping the API key secret
  The OpenAI API key goes to the service with every request and nowhere else: no log line,
  job record, API response or span attribute contains it.

  Scenario: The API key reaches the service and nothing else
    Given the OpenAI workers log at debug level
    And the OpenAI service answers chat requests for "gpt-4o-mini" with "Hello"
    When a client submits an OpenAI chat job "private" for "gpt-4o-mini" saying "Say hello"
    And job "private" completes
    And the client reads job "private", the workers and the test phase
    Then the OpenAI service received the API key with every request
    And the API key appears in no log line, job record, API response or span attribute

  Scenario: A rejected key that the service echoes stays out of the job's error
    Given the OpenAI workers log at debug level
    And the OpenAI service rejects the API key, echoing it in full
    When a client submits an OpenAI job "rejected"
    Then job "rejected" fails on attempt 1 with status 401 from OpenAI
    And the client reads job "rejected", the workers and the test phase
    And the API key appears in no log line, job record, API response or span attribute

  Scenario: Workers without an API key do not start
    When openai workers start without an API key
    Then start-up fails with the error "The openai connector failed to initialise: OPENAI_API_KEY is not set: set it to the API key of the OpenAI account, or remove openai from WORKERS."
