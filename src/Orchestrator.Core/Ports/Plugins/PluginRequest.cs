using System.Text.Json;

namespace Orchestrator.Core.Ports;

/// <summary>One plugin call.</summary>
public sealed record PluginRequest
{
    /// <summary>The run making the call.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The user the run acts for; plugins use it to pick the user's connection.</summary>
    public required string UserId { get; init; }

    /// <summary>The agent whose workflow runs, when known.</summary>
    public string? AgentId { get; init; }

    /// <summary>The step making the call.</summary>
    public required string StepId { get; init; }

    /// <summary>The plugin, such as <c>google-mail</c>.</summary>
    public required string Plugin { get; init; }

    /// <summary>The action, such as <c>search_emails</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The resolved parameters (an object, or whatever the step's <c>params</c> resolved to).</summary>
    public JsonElement Parameters { get; init; }

    /// <summary>
    /// A key stable for (execution, step, iteration): the same on every retry and on a resumed run, different for each
    /// loop or scatter item, so the plugin can recognise a call it has already carried out.
    /// </summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The attempt number, 1 for the first call.</summary>
    public int Attempt { get; init; } = 1;
}
