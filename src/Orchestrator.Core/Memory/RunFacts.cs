using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>What the summariser knows of a finished run.</summary>
internal sealed record RunFacts
{
    public required string ExecutionId { get; init; }

    public required string WorkflowId { get; init; }

    public required string UserId { get; init; }

    public required string AgentId { get; init; }

    /// <summary>The number the run will most likely be stored with (the store has the last word).</summary>
    public required int RunNumber { get; init; }

    public required ExecutionStatus Status { get; init; }

    public string? Error { get; init; }

    /// <summary>The run's inputs, secrets redacted.</summary>
    public required JsonElement Inputs { get; init; }

    public required JsonElement Output { get; init; }

    public required IReadOnlyDictionary<string, StepResult> Steps { get; init; }

    /// <summary>The distinct error codes of the steps that failed (and the run's own, when it has one).</summary>
    public required IReadOnlyList<string> ErrorCodes { get; init; }

    public required IReadOnlyList<RunMemory> RecentRuns { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }
}
