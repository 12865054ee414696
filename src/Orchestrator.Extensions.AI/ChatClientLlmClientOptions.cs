using Microsoft.Extensions.AI;
using Orchestrator.Core.Ports;

namespace Orchestrator.Extensions.AI;

/// <summary>How <see cref="ChatClientLlmClient"/> turns the orchestrator's LLM requests into chat requests.</summary>
public sealed class ChatClientLlmClientOptions
{
    /// <summary>
    /// The model to ask for when a step names none. When both are absent the chat client's own default is used
    /// (<see cref="ChatOptions.ModelId"/> stays unset).
    /// </summary>
    public string? DefaultModel { get; set; }

    /// <summary>
    /// Whether a step's <c>outputSchema</c> is sent as the chat client's JSON Schema response format
    /// (<see cref="ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonElement, string?, string?)"/>), so providers with
    /// structured output enforce it. On by default. Turn it off for a provider that rejects the schema (some accept only a
    /// subset of JSON Schema): the orchestrator still puts the schema in the system prompt and checks the reply itself.
    /// </summary>
    public bool UseJsonSchemaResponseFormat { get; set; } = true;

    /// <summary>
    /// Changes the chat options of each call after the adapter has set them (provider-specific settings, tools, a
    /// response format of your own). Called once per LLM call, before the chat client.
    /// </summary>
    public Action<LlmRequest, ChatOptions>? ConfigureChatOptions { get; set; }
}
