namespace Orchestrator.Core.Ports;

/// <summary>An LLM's reply.</summary>
public sealed record LlmResponse
{
    /// <summary>The reply text.</summary>
    public required string Text { get; init; }

    /// <summary>The model that answered.</summary>
    public string? Model { get; init; }

    /// <summary>Tokens in the prompt.</summary>
    public int InputTokens { get; init; }

    /// <summary>Tokens in the reply.</summary>
    public int OutputTokens { get; init; }
}
