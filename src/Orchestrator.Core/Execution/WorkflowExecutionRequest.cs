using System.Text.Json;

namespace Orchestrator.Core.Execution;

/// <summary>A request to run a workflow.</summary>
public sealed record WorkflowExecutionRequest
{
    /// <summary>The agent whose workflow runs.</summary>
    public string? AgentId { get; init; }

    /// <summary>The user the run acts for; passed to every plugin call.</summary>
    public required string UserId { get; init; }

    /// <summary>The input values, as a JSON object (checked against the workflow's <c>input_schema</c> before anything runs).</summary>
    public JsonElement Inputs { get; init; }

    /// <summary>
    /// The agent's configuration values, as a JSON object, read by <c>{{config.x}}</c> (an input-like map the host keeps
    /// with the agent; not checked against <c>input_schema</c>). Absent: <c>{{config.x}}</c> reads nothing.
    /// </summary>
    public JsonElement Config { get; init; }

    /// <summary>The run's id; a new one is made when absent. Idempotency keys derive from it.</summary>
    public string? ExecutionId { get; init; }
}
