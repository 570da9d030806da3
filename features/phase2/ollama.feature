@phase2
Feature: Ollama jobs
  The ollama connector runs generate and chat requests, plain and streamed, and embeddings
  against a local Ollama server.

  Scenario: A generate job completes with the model's response
    Given the Ollama server answers generate requests for "llama3.2" with "Rayleigh scattering."
    When a client submits an Ollama generate job "sky" for "llama3.2" saying "Why is the sky blue?"
    Then job "sky" completes with the reply "Rayleigh scattering."
    And job "sky" was run by the ollama connector
    And the Ollama server received 1 generate request for "llama3.2" with "Why is the sky blue?"
    And the trace of job "sky" shows the ollama connector calling "POST /api/generate"

  Scenario: A chat job completes with the assistant's message
    Given the Ollama server answers chat requests for "llama3.2" with "Hi there."
    When a client submits an Ollama chat job "hello" for "llama3.2" saying "Hello"
    Then job "hello" completes with the reply "Hi there."
    And the Ollama server received 1 chat request for "llama3.2" with "Hello"

  Scenario: A streamed generate job reports progress while the response arrives
    Given the Ollama server streams the generate reply "The| sky| scatters| blue light." for "llama3.2"
    When a client submits a streamed Ollama generate job "stream" for "llama3.2" saying "Why is the sky blue?"
    Then job "stream" completes with the reply "The sky scatters blue light."
    And job "stream" reported streaming progress before it completed

  Scenario: A streamed chat job assembles the assistant's message
    Given the Ollama server streams the chat reply "Hi| there|." for "llama3.2"
    When a client submits a streamed Ollama chat job "chatty" for "llama3.2" saying "Hello"
    Then job "chatty" completes with the reply "Hi there."
    And job "chatty" reported streaming progress before it completed

  Scenario: An embeddings job returns one vector per text
    Given the Ollama server returns embeddings of 3 dimensions for 2 texts
    When a client submits an Ollama embeddings job "vectors" for the texts "red" and "blue"
    Then job "vectors" completes with 2 embeddings of 3 dimensions
    And Ollama received 1 request at "/api/embed"

  Scenario: The server can be given as host and port
    Given the Ollama workers use the host "ollama.test:11434"
    And the Ollama server answers generate requests for "llama3.2" with "Reached."
    When a client submits an Ollama generate job "host-port" for "llama3.2" saying "Ping"
    Then job "host-port" completes with the reply "Reached."

  Scenario: A local model server that is down fails the job after its retries
    Given the local model server is down
    When a client submits an Ollama job "offline"
    Then job "offline" fails with a retryable "network" error after 3 attempts
    And job "offline" fails with the error "ollama POST http://ollama.test:11434/api/generate failed: connection refused (ECONNREFUSED)"

  Scenario: A model that is not installed fails the job at once
    Given the model "llama3.2" is not installed on the local model server
    When a client submits an Ollama job "missing"
    Then job "missing" fails with the error "ollama POST http://ollama.test:11434/api/generate returned 404: model \"llama3.2\" not found, try pulling it first"
    And the error of job "missing" is marked as not retryable
    And the trace of job "missing" shows the ollama connector calling "POST /api/generate" and getting status 404

  Scenario: Cancelling a streamed job stops its stream
    Given the Ollama server streams a chat reply that never finishes
    When a client submits a streamed Ollama chat job "endless" for "llama3.2" saying "Count forever"
    And job "endless" has started streaming
    And the client cancels job "endless"
    Then job "endless" is cancelled
    And the worker that ran job "endless" is idle again

  Scenario: A request nobody mocked fails its job and names the request
    Given no fixture answers Ollama
    When a client submits an Ollama job "orphan" with at most 1 attempt
    Then job "orphan" fails with an error naming "POST http://ollama.test:11434/api/generate"
    And the request "POST http://ollama.test:11434/api/generate" was reported as unmocked
