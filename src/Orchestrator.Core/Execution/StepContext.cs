using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution;

/// <summary>One step being run: what middleware and handlers know about it.</summary>
public sealed class StepContext
{
    private string? _idempotencyKey;

    // The step and the run are read through the record and the scope rather than kept twice: one context is made per
    // step run, so every field counts.
    internal StepContext(StepScope scope, StepRecord record, CancellationToken cancellationToken)
    {
        Scope = scope;
        Record = record;
        CancellationToken = cancellationToken;
    }

    /// <summary>The run's id.</summary>
    public string ExecutionId => Run.ExecutionId;

    /// <summary>The agent whose workflow runs, when known.</summary>
    public string? AgentId => Run.AgentId;

    /// <summary>The user the run acts for.</summary>
    public string UserId => Run.UserId;

    /// <summary>The step.</summary>
    public WorkflowStep Step => Record.Step;

    /// <summary>The step's id.</summary>
    public string StepId => Step.Id;

    /// <summary>Where the step runs: empty at the top level, otherwise the enclosing steps and iterations (<c>each[2]/</c>).</summary>
    public string IterationKey => Scope.IterationKey;

    /// <summary>A key stable for (execution, step, iteration): the same on retries and on resume, different per loop item.</summary>
    public string IdempotencyKey => _idempotencyKey ??= ExecutionId + ":" + IterationKey + StepId;

    /// <summary>The current attempt, 1 for the first.</summary>
    public int Attempt { get; internal set; } = 1;

    /// <summary>The resolved parameters of an action, or the resolved <c>params</c> of an LLM step; undefined for other steps.</summary>
    public JsonElement Parameters { get; set; }

    /// <summary>The rendered prompt of an LLM step; null for other steps.</summary>
    public string? Prompt { get; set; }

    /// <summary>Cancelled when the step times out or the run stops.</summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>The orchestrator's clock.</summary>
    public TimeProvider TimeProvider => Run.Runtime.TimeProvider;

    internal RunContext Run => Scope.Run;

    internal StepScope Scope { get; }

    internal StepRecord Record { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{IterationKey}{StepId} (attempt {Attempt})");
}
