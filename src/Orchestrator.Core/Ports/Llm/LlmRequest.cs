using System.Text.Json;

namespace Orchestrator.Core.Ports;

/// <summary>One LLM call.</summary>
public sealed record LlmRequest
{
    /// <summary>The run making the call.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The step making the call.</summary>
    public required string StepId { get; init; }

    /// <summary>Instructions for the model (includes the memory context when there is one).</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>The rendered prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>The model the step asks for, when it names one.</summary>
    public string? Model { get; init; }

    /// <summary>The sampling temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>The most tokens the reply may have.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>A JSON Schema the reply must satisfy, when the step has one (providers with structured output can enforce it).</summary>
    public JsonElement? ResponseSchema { get; init; }

    /// <summary>The allowed answers of a decision.</summary>
    public EquatableArray<string> Options { get; init; }
}
