using System.Text.Json;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary>
/// <c>sub_workflow</c>: runs an inline workflow (planned with the parent) or one from the host's registry (planned
/// here), as a run of its own on the step's <c>inputs</c>, nested at most <see cref="WorkflowOrchestratorOptions.MaxSubWorkflowDepth"/> deep.
/// Its data is the child's <c>outputMapping</c>, or the child's output without one.
/// </summary>
internal static class SubWorkflowHandler
{
    public static async ValueTask<StepOutcome> ExecuteAsync(StepContext context)
    {
        var step = (SubWorkflowStep)context.Step;
        var run = context.Run;
        if (run.Depth + 1 > run.Runtime.Options.MaxSubWorkflowDepth)
        {
            return OnError(step, StepOutcome.Failure($"Sub-workflows nest deeper than {run.Runtime.Options.MaxSubWorkflowDepth} levels.", "SUB_WORKFLOW_TOO_DEEP"), run);
        }

        var plan = context.Scope.Plan.TryGetStep(step.Id, out var planned) ? planned.Body : null;
        if (plan is null)
        {
            if (string.IsNullOrWhiteSpace(step.WorkflowId) || run.Runtime.Workflows is not { } registry)
            {
                return OnError(step, StepOutcome.Failure($"The sub-workflow '{step.WorkflowId}' cannot be found: no workflow registry is configured.", "SUB_WORKFLOW_NOT_FOUND"), run);
            }

            var definition = await registry.GetWorkflowAsync(step.WorkflowId, context.CancellationToken).ConfigureAwait(false);
            if (definition is null)
            {
                return OnError(step, StepOutcome.Failure($"The workflow registry has no workflow '{step.WorkflowId}'.", "SUB_WORKFLOW_NOT_FOUND"), run);
            }

            var planning = run.Runtime.Planner.Plan(definition);
            if (planning.Plan is null)
            {
                var errors = string.Join("; ", planning.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
                return OnError(step, StepOutcome.Failure($"The workflow '{step.WorkflowId}' cannot be planned: {errors}", "SUB_WORKFLOW_INVALID"), run);
            }

            plan = planning.Plan;
        }

        var inputs = step.Inputs is null ? JsonValues.EmptyObject : TemplateEvaluator.Evaluate(step.Inputs, context.Scope);
        var validated = InputValidator.Validate(plan.Definition, inputs);
        if (validated.Error is { } inputError)
        {
            return OnError(step, StepOutcome.Failure("The sub-workflow's inputs are invalid: " + inputError, "INVALID_INPUT"), run);
        }

        var child = new RunContext(run.Runtime, run.ExecutionId + "/" + context.IterationKey + step.Id, new WorkflowExecutionRequest { UserId = run.UserId, AgentId = run.AgentId }, validated.Inputs, run.Events, context.Record.Usage)
        {
            Depth = run.Depth + 1,
            Config = run.Config,
            Memory = run.Memory,
            Audit = run.Audit,
            Counters = run.Counters,
            Budget = run.Budget,
            WarningRoot = run.WarningRoot ?? run,
            AuditStepPrefix = run.AuditStepPrefix + context.IterationKey + step.Id + "/",
            WorkflowId = run.WorkflowId,
            Variables = step.InheritContext ? run.Variables : JsonValues.EmptyObject,
        };
        var scope = new StepScope(child, plan, context.Scope, string.Empty) { Usage = child.Usage, Isolated = !step.InheritContext };
        var outcome = await PlanRunner.RunAsync(scope, run.Runtime.Options.MaxParallelism, context.CancellationToken).ConfigureAwait(false);
        if (child.Degraded)
        {
            run.MarkDegraded();
        }

        foreach (var warning in child.Warnings)
        {
            run.Warnings.Enqueue($"Sub-workflow '{step.Id}': {warning}");
        }

        switch (outcome.Status)
        {
            case ListRunStatus.Cancelled:
                return StepOutcome.Failure("The step was cancelled.", "CANCELLED");
            case ListRunStatus.Suspended:
                return OnError(step, StepOutcome.Failure("An approval inside a sub-workflow cannot suspend the run: approvals are supported at the top level of a workflow only.", "NESTED_APPROVAL_UNSUPPORTED"), run);
            case ListRunStatus.Failed:
                return OnError(step, StepOutcome.Failure($"The sub-workflow failed: {outcome.Error}", outcome.ErrorCode ?? "SUB_WORKFLOW_FAILED"), run);
        }

        // The child's completed steps become the parent's to compensate if the parent fails later.
        var compensations = child.TakeCompensations(scope);
        for (var i = compensations.Count - 1; i >= 0; i--)
        {
            run.RecordCompensation(compensations[i].Record, compensations[i].Scope);
        }

        var data = step.OutputMapping is { Value.ValueKind: JsonValueKind.Object } mapping
            ? Map(mapping.Value, scope)
            : OutputBuilder.Build(plan, scope, warnings: null);
        return StepOutcome.Success(data);
    }

    private static JsonElement Map(JsonElement mapping, StepScope scope) => JsonValues.Write(static (writer, state) =>
    {
        writer.WriteStartObject();
        foreach (var field in state.mapping.EnumerateObject())
        {
            writer.WritePropertyName(field.Name);
            var value = field.Value.ValueKind == JsonValueKind.String
                ? ReferenceEvaluator.Evaluate(ReferencePath.Parse(field.Value.GetString()!), state.scope)
                : field.Value;
            (value.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : value).WriteTo(writer);
        }

        writer.WriteEndObject();
    }, (mapping, scope));

    private static StepOutcome OnError(SubWorkflowStep step, StepOutcome failure, RunContext run)
    {
        if (step.OnError is SubWorkflowErrorMode.Continue or SubWorkflowErrorMode.ReturnError)
        {
            run.MarkDegraded(); // The failure was tolerated, not undone: the run can at best partially succeed.
        }

        return Handle(step, failure);
    }

    private static StepOutcome Handle(SubWorkflowStep step, StepOutcome failure) => (step.OnError ?? SubWorkflowErrorMode.Throw) switch
    {
        SubWorkflowErrorMode.Continue => StepOutcome.Success(JsonValues.Null),
        SubWorkflowErrorMode.ReturnError => StepOutcome.Success(JsonValues.Write(static (writer, f) =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", f.Error);
            writer.WriteString("errorCode", f.ErrorCode);
            writer.WriteEndObject();
        }, failure)),
        _ => failure,
    };
}
