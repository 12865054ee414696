namespace Orchestrator.Core.Ports;

/// <summary>A lasting fact about a user (a preference, a correction), kept across runs and agents.</summary>
public sealed record UserMemory
{
    /// <summary>The user the memory belongs to.</summary>
    public required string UserId { get; init; }

    /// <summary>The agent the memory is for; null when it holds for every agent of the user.</summary>
    public string? AgentId { get; init; }

    /// <summary>A stable key, so saving the same fact again replaces it (such as <c>preferred_channel</c>).</summary>
    public required string Key { get; init; }

    /// <summary>The fact, as the LLM should read it.</summary>
    public required string Content { get; init; }

    /// <summary>How much the memory matters, from 0 to 1; the most important are injected first.</summary>
    public double Importance { get; init; } = 0.5;

    /// <summary>When the memory was saved.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
