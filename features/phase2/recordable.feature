@phase2
Feature: Jobs whose service exchanges can be recorded
  These scenarios check only what every correct reply of the real service satisfies. Recorded
  with "npm run fixtures:record -- <service>", they replay the real service's exchanges from
  features/phase2/recordings; without a recording they run on the hand-written fixtures.

  @recordable @openai
  Scenario: An OpenAI chat job completes with whatever the model replies
    Given the OpenAI service answers chat requests for "gpt-4o-mini" with "Hello from the model"
    When a client submits an OpenAI chat job "greeting" for "gpt-4o-mini" saying "Say hello in three words"
    Then job "greeting" completes with a reply from the model
    And job "greeting" was run by the openai connector
    And the OpenAI service received 1 chat completion request for "gpt-4o-mini" with the message "Say hello in three words"
    And the trace of job "greeting" shows the openai connector calling "POST /chat/completions"

  @recordable @openai
  Scenario: An OpenAI chat job streams whatever the model replies
    Given the OpenAI service streams the chat reply "Once| upon| a time" for "gpt-4o-mini"
    When a client submits a streamed OpenAI chat job "story" for "gpt-4o-mini" saying "Begin a story in five words"
    Then job "story" completes with a reply from the model
    And job "story" reported streaming progress before it completed
    And the OpenAI service was asked to stream the chat completion

  @recordable @openai
  Scenario: An OpenAI embeddings job returns one vector per text
    Given the OpenAI service returns embeddings of 4 dimensions for 2 texts
    When a client submits an OpenAI embeddings job "vectors" for the texts "red" and "blue"
    Then job "vectors" completes with 2 embeddings of equal length
    And OpenAI received 1 request at "/embeddings"

  @recordable @ollama
  Scenario: An Ollama generate job completes with whatever the model responds
    Given the Ollama server answers generate requests for "llama3.2" with "Rayleigh scattering."
    When a client submits an Ollama generate job "sky" for "llama3.2" saying "Why is the sky blue? One sentence."
    Then job "sky" completes with a reply from the model
    And the Ollama server received 1 generate request for "llama3.2" with "Why is the sky blue? One sentence."
    And the trace of job "sky" shows the ollama connector calling "POST /api/generate"

  @recordable @ollama
  Scenario: An Ollama chat job streams whatever the assistant says
    Given the Ollama server streams the chat reply "Hi| there|." for "llama3.2"
    When a client submits a streamed Ollama chat job "chatty" for "llama3.2" saying "Say hello"
    Then job "chatty" completes with a reply from the model
    And job "chatty" reported streaming progress before it completed

  @recordable @comfyui
  Scenario: A ComfyUI workflow job lists the image it saved
    Given 1 ComfyUI worker is running
    And the ComfyUI server runs the workflow for 1 polls and saves one image
    When a client submits a ComfyUI job "render" for the workflow
    Then job "render" completes with 1 image file of output node "9"
    And the ComfyUI server received the workflow with this worker's client id
    And the trace of job "render" shows the comfyui connector calling "POST /prompt"
