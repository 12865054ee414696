using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Validates each step on its own: settings in range (retries, timeouts, tokens, concurrency), fields a step type needs,
/// null list entries, execution limits, and its actions against the catalog (<see cref="ActionCatalogValidator"/>).
/// </summary>
internal sealed class StepValidator
{
    private readonly ActionCatalogValidator _actions;
    private readonly PlanDiagnostics _diagnostics;

    public StepValidator(IPluginCatalog? catalog, PlanDiagnostics diagnostics)
    {
        _actions = new ActionCatalogValidator(catalog, diagnostics);
        _diagnostics = diagnostics;
    }

    /// <summary>Checks one step's own settings, its actions against the catalog, and the entries of its lists.</summary>
    public void ValidateStep(WorkflowStep step, Scope scope, int index)
    {
        if (step.RetryPolicy is { } retry)
        {
            if (retry.MaxRetries < 0)
            {
                Invalid(step, scope, index, "retryPolicy.maxRetries", "'maxRetries' cannot be negative.");
            }

            if (retry.BackoffMultiplier is < 1)
            {
                Invalid(step, scope, index, "retryPolicy.backoffMultiplier", "'backoffMultiplier' must be at least 1.");
            }
        }

        if (step.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            Invalid(step, scope, index, "timeout", "'timeout' must be more than 0 milliseconds.");
        }

        if (step.RollbackAction is { } rollback)
        {
            _actions.ValidateAction(step.Id, rollback.Plugin, rollback.Action, rollback.Params, scope, index, ".rollbackAction");
        }

        switch (step)
        {
            case ActionStep action:
                _actions.ValidateAction(step.Id, action.Plugin, action.Action, action.Params, scope, index, string.Empty);
                break;
            case LlmStep llm:
                if (llm.MaxTokens is <= 0)
                {
                    Invalid(step, scope, index, "maxTokens", "'maxTokens' must be positive.");
                }

                if (llm.Temperature is < 0 or > 2)
                {
                    Invalid(step, scope, index, "temperature", "'temperature' must be between 0 and 2.");
                }

                if (llm.Prompt is null && string.IsNullOrWhiteSpace(llm.Description) && string.IsNullOrWhiteSpace(llm.Name))
                {
                    _diagnostics.Error(DiagnosticCodes.MissingField, $"The step '{step.Id}' has no prompt (nor a description or name to use as one).", step.Id, scope.StepPath(index));
                }

                break;
            case LoopStep loop:
                if (loop.MaxIterations is <= 0)
                {
                    Invalid(step, scope, index, "maxIterations", "'maxIterations' must be positive.");
                }

                if (loop.MaxConcurrency is <= 0)
                {
                    Invalid(step, scope, index, "maxConcurrency", "'maxConcurrency' must be positive.");
                }

                break;
            case ParallelGroupStep { MaxConcurrency: <= 0 }:
                Invalid(step, scope, index, "maxConcurrency", "'maxConcurrency' must be positive.");
                break;
            case ScatterGatherStep { Scatter.MaxConcurrency: <= 0 }:
                Invalid(step, scope, index, "scatter.maxConcurrency", "'maxConcurrency' must be positive.");
                break;
            case SubWorkflowStep sub when sub.WorkflowSteps.IsEmpty && string.IsNullOrWhiteSpace(sub.WorkflowId):
                Invalid(step, scope, index, "workflowId", "A sub-workflow needs 'workflowId' (a workflow of the host's registry) or inline 'workflowSteps'.");
                break;
            case HumanApprovalStep approval:
                if (approval.OnTimeout == ApprovalTimeoutAction.Escalate && approval.EscalateTo.IsEmpty)
                {
                    Invalid(step, scope, index, "escalateTo", "'onTimeout' is 'escalate' but 'escalateTo' names nobody.");
                }

                break;
            case EnrichmentStep { Strategy: EnrichmentStrategy.Join, JoinOn: null or "" }:
                Invalid(step, scope, index, "joinOn", "The 'join' strategy needs 'joinOn'.");
                break;
        }

        ValidateEntries(step, scope, index);
    }

    /// <summary>Reports null entries in a step's lists (JSON <c>null</c> in a list loads as one), which no handler can run.</summary>
    private void ValidateEntries(WorkflowStep step, Scope scope, int index)
    {
        switch (step)
        {
            case EnrichmentStep enrichment when enrichment.Sources.AsSpan().Contains(null!):
                Invalid(step, scope, index, "sources", "A source is null; each source needs a 'key' and a 'from'.");
                break;
            case ValidationStep validation when validation.Rules.AsSpan().Contains(null!):
                Invalid(step, scope, index, "rules", "A rule is null; each rule needs a 'condition' or a 'field'.");
                break;
            case TransformStep { Config: { } config } when config.Aggregations.AsSpan().Contains(null!):
                Invalid(step, scope, index, "config.aggregations", "An aggregation is null; each needs a 'field' and an 'operation'.");
                break;
            case DelayStep delay when delay.Duration > ExecutionLimits.DelayCeiling:
                _diagnostics.Error(DiagnosticCodes.LimitExceeded, $"The step '{step.Id}' waits {delay.Duration}, over {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.DelayCeiling)} ({ExecutionLimits.DelayCeiling}).", step.Id, scope.StepPath(index) + ".duration");
                break;
        }

        if (step is not HumanApprovalStep && step.Timeout is { } timeout && (timeout < ExecutionLimits.MinStepTimeout || timeout > ExecutionLimits.MaxStepTimeout) && timeout > TimeSpan.Zero)
        {
            _diagnostics.Error(DiagnosticCodes.LimitExceeded, $"The step '{step.Id}' has a timeout of {timeout}, outside {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.MinStepTimeout)} ({ExecutionLimits.MinStepTimeout}) to {nameof(ExecutionLimits.MaxStepTimeout)} ({ExecutionLimits.MaxStepTimeout}).", step.Id, scope.StepPath(index) + ".timeout");
        }
    }

    private void Invalid(WorkflowStep step, Scope scope, int index, string field, string message) =>
        _diagnostics.Error(DiagnosticCodes.InvalidSetting, $"The step '{step.Id}': {message}", step.Id, scope.StepPath(index) + "." + field);
}
