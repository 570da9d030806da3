@phase2
Feature: Several services in one run
  Each service's fixtures stand on their own: scripting one service never removes what another
  was scripted to do, and each job goes to the connector of its service.

  Scenario: OpenAI and Ollama jobs run side by side
    Given the OpenAI service answers chat requests for "gpt-4o-mini" with "From OpenAI"
    And the Ollama server answers generate requests for "llama3.2" with "From Ollama"
    When a client submits an OpenAI chat job "remote" for "gpt-4o-mini" saying "Hello"
    And a client submits an Ollama generate job "local" for "llama3.2" saying "Hello"
    Then job "remote" completes with the reply "From OpenAI"
    And job "local" completes with the reply "From Ollama"
    And job "remote" was run by the openai connector
    And job "local" was run by the ollama connector
