using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Planning;

namespace Orchestrator.Extensions.AI.Authoring;

/// <summary>What <see cref="WorkflowGenerator.GenerateAsync"/> produced.</summary>
public sealed record WorkflowGenerationResult
{
    /// <summary>The plan of the generated workflow; null when no attempt planned cleanly.</summary>
    public ExecutionPlan? Plan { get; init; }

    /// <summary>Whether the workflow plans cleanly (<see cref="Plan"/> is set).</summary>
    public bool Succeeded => Plan is not null;

    /// <summary>The last workflow document the model wrote (as loaded), or its raw reply when that was not a document.</summary>
    public required string Document { get; init; }

    /// <summary>How many chat calls were made: 1 when the first workflow planned, 1 + the repair rounds otherwise.</summary>
    public required int Rounds { get; init; }

    /// <summary>Input tokens of every call together (as the chat client reported them).</summary>
    public required long InputTokens { get; init; }

    /// <summary>Output tokens of every call together.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>Input and output tokens together.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>The diagnostics of the last attempt: errors when it failed, warnings and notes left when it succeeded.</summary>
    public required IReadOnlyList<WorkflowDiagnostic> Diagnostics { get; init; }
}
