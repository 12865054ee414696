namespace Orchestrator.Core.Ports;

/// <summary>What the memory summariser kept of one run of an agent for a user.</summary>
public sealed record RunMemory
{
    /// <summary>The user the run acted for.</summary>
    public required string UserId { get; init; }

    /// <summary>The agent that ran.</summary>
    public required string AgentId { get; init; }

    /// <summary>The run's id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The run's number for this user and agent: 1 for the first run.</summary>
    public required int RunNumber { get; init; }

    /// <summary>How the run ended (the wire name of its status, such as <c>succeeded</c>).</summary>
    public required string Status { get; init; }

    /// <summary>The summary, in a sentence or two.</summary>
    public required string Summary { get; init; }

    /// <summary><c>positive</c>, <c>neutral</c> or <c>negative</c>.</summary>
    public string Sentiment { get; init; } = "neutral";

    /// <summary>What the run achieved.</summary>
    public IReadOnlyList<string> KeyOutcomes { get; init; } = [];

    /// <summary>Patterns the summariser noticed (recurring errors, habits of the data).</summary>
    public IReadOnlyList<string> PatternsDetected { get; init; } = [];

    /// <summary>Suggestions for later runs.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];

    /// <summary>The error codes of the steps that failed, so later runs can tell recurring errors.</summary>
    public IReadOnlyList<string> ErrorCodes { get; init; } = [];

    /// <summary>How much the memory matters, from 0 to 1 (failures, recurring errors and first runs weigh more).</summary>
    public double Importance { get; init; }

    /// <summary>When the run finished.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
