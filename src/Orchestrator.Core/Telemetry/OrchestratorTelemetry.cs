using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Model;
using N = Orchestrator.Core.Telemetry.OrchestratorTelemetryNames;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The orchestrator's <see cref="ActivitySource"/> and <see cref="Meter"/>. Every helper is cheap when nobody listens:
/// <see cref="ActivitySource.StartActivity(string, ActivityKind, ActivityContext, IEnumerable{KeyValuePair{string, object}}, IEnumerable{ActivityLink}, DateTimeOffset)"/>
/// returns null, and instruments are checked for <see cref="Instrument.Enabled"/> before tags are built.
/// </summary>
internal static class OrchestratorTelemetry
{
    public static readonly ActivitySource Source = new(N.SourceName);

    public static readonly Meter Meter = new(N.MeterName);

    public static readonly Counter<long> Runs = Meter.CreateCounter<long>(N.RunsCounter, "{run}", "Runs finished, by status.");

    public static readonly Counter<long> Steps = Meter.CreateCounter<long>(N.StepsCounter, "{step}", "Steps that ran, by type and outcome.");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(N.StepDurationHistogram, "s", "How long steps took, by type and outcome.");

    public static readonly Counter<long> LlmTokens = Meter.CreateCounter<long>(N.LlmTokensCounter, "{token}", "LLM tokens, by type (input or output) and requested model.");

    public static readonly Counter<double> LlmCost = Meter.CreateCounter<double>(N.LlmCostCounter, "{currency}", "LLM cost from the pricing table, by requested model.");

    /// <summary>Counts the cost of one LLM call (nothing when it cost nothing).</summary>
    public static void RecordCost(decimal cost, string? model)
    {
        if (cost > 0 && LlmCost.Enabled)
        {
            LlmCost.Add((double)cost, new KeyValuePair<string, object?>(N.RequestModelTag, model));
        }
    }

    /// <summary>Starts the span of a run, a child of the caller's current activity.</summary>
    public static Activity? StartRun(string executionId, string? agentId, string? workflowId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(N.RunActivity, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(N.ExecutionIdTag, executionId);
            activity.SetTag(N.AgentIdTag, agentId);
            activity.SetTag(N.WorkflowIdTag, workflowId);
        }

        return activity;
    }

    /// <summary>Ends the span of a run and counts it.</summary>
    public static void RunFinished(Activity? activity, ExecutionStatus status, string? error, string? errorCode)
    {
        var statusName = StatusName(status);
        if (activity is not null)
        {
            activity.SetTag(N.RunStatusTag, statusName);
            if (status == ExecutionStatus.Failed)
            {
                activity.SetTag(N.ErrorTypeTag, errorCode);
                activity.SetStatus(ActivityStatusCode.Error, error);
            }
            else if (status is ExecutionStatus.Succeeded or ExecutionStatus.PartiallySucceeded)
            {
                activity.SetStatus(ActivityStatusCode.Ok);
            }

            activity.Dispose();
        }

        if (Runs.Enabled)
        {
            Runs.Add(1, new KeyValuePair<string, object?>(N.RunStatusTag, statusName));
        }
    }

    /// <summary>
    /// Starts the span of a step as a child of <paramref name="parent"/> (explicitly: steps start on whichever thread
    /// coordinates, whose current activity may be another step's).
    /// </summary>
    public static Activity? StartStep(WorkflowStep step, Activity? parent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(N.StepActivity, ActivityKind.Internal, parent?.Context ?? default);
        if (activity is not null)
        {
            activity.DisplayName = N.StepActivity + " " + step.Type;
            activity.SetTag(N.StepIdTag, step.Id);
            activity.SetTag(N.StepTypeTag, step.Type);
        }

        return activity;
    }

    /// <summary>Ends the span of a step and records its count and duration.</summary>
    public static void StepFinished(Activity? activity, StepRecord record, TimeSpan duration)
    {
        var outcome = StatusName(record.Status);
        if (activity is not null)
        {
            activity.SetTag(N.StepOutcomeTag, outcome);
            activity.SetTag(N.StepAttemptsTag, record.Attempts);
            if (record.Status == StepStatus.Failed)
            {
                activity.SetTag(N.ErrorTypeTag, record.ErrorCode);
                activity.SetStatus(ActivityStatusCode.Error, record.Error);
            }

            activity.Dispose();
        }

        if (Steps.Enabled || StepDuration.Enabled)
        {
            var tags = new TagList
            {
                { N.StepTypeTag, record.Step.Type },
                { N.StepOutcomeTag, outcome },
            };
            Steps.Add(1, tags);
            StepDuration.Record(duration.TotalSeconds, tags);
        }
    }

    /// <summary>Starts the span of an LLM call, a child of the current (step) activity.</summary>
    public static Activity? StartChat(string? model)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(N.ChatActivity, ActivityKind.Client);
        if (activity is not null)
        {
            activity.DisplayName = model is null ? N.ChatActivity : N.ChatActivity + " " + model;
            activity.SetTag(N.OperationNameTag, "chat");
            activity.SetTag(N.RequestModelTag, model);
        }

        return activity;
    }

    /// <summary>Ends the span of an LLM call and counts its tokens.</summary>
    public static void ChatFinished(Activity? activity, string? requestModel, string? responseModel, int inputTokens, int outputTokens, string? errorCode)
    {
        if (activity is not null)
        {
            activity.SetTag(N.ResponseModelTag, responseModel);
            activity.SetTag(N.InputTokensTag, inputTokens);
            activity.SetTag(N.OutputTokensTag, outputTokens);
            if (errorCode is not null)
            {
                activity.SetTag(N.ErrorTypeTag, errorCode);
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Dispose();
        }

        if (LlmTokens.Enabled && errorCode is null)
        {
            LlmTokens.Add(inputTokens, new KeyValuePair<string, object?>(N.TokenTypeTag, "input"), new KeyValuePair<string, object?>(N.RequestModelTag, requestModel));
            LlmTokens.Add(outputTokens, new KeyValuePair<string, object?>(N.TokenTypeTag, "output"), new KeyValuePair<string, object?>(N.RequestModelTag, requestModel));
        }
    }

    public static string StatusName(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => "succeeded",
        ExecutionStatus.PartiallySucceeded => "partiallysucceeded",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelled => "cancelled",
        ExecutionStatus.Suspended => "suspended",
        ExecutionStatus.Rejected => "rejected",
        _ => "unknown",
    };

    public static string StatusName(StepStatus status) => status switch
    {
        StepStatus.Succeeded => "succeeded",
        StepStatus.Failed => "failed",
        StepStatus.Cancelled => "cancelled",
        StepStatus.Suspended => "suspended",
        StepStatus.Skipped => "skipped",
        StepStatus.Pending => "pending",
        _ => "unknown",
    };
}
