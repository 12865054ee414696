using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary>
/// <c>loop</c>, <c>parallel_group</c> and <c>scatter_gather</c>: run their planned inline steps with the same runner as
/// the workflow. Per-item outputs of loops and scatters are objects keyed by inner step id holding each step's output
/// (<c>{ "digest": { "data": ..., "metadata": ... } }</c>), in item order; a group's data is keyed by child id.
/// </summary>
internal static class ContainerHandlers
{
    public static async ValueTask<StepOutcome> LoopAsync(StepContext context)
    {
        var step = (LoopStep)context.Step;
        var items = TemplateEvaluator.Evaluate(step.IterateOver, context.Scope);
        if (items.ValueKind != JsonValueKind.Array)
        {
            return StepOutcome.Failure($"The loop '{step.Id}' iterates over {Describe(items)}, not a list.", "LOOP_INPUT_NOT_A_LIST");
        }

        if (TooManyItems(context, items) is { } tooMany)
        {
            return tooMany;
        }

        var max = step.MaxIterations ?? LoopStep.DefaultMaxIterations;
        if (items.GetArrayLength() > max)
        {
            return StepOutcome.Failure($"The loop '{step.Id}' has {items.GetArrayLength()} items, more than its maxIterations of {max}.", "MAX_ITERATIONS_EXCEEDED");
        }

        var concurrency = step.Parallel ? Concurrency(context, step.MaxConcurrency) : 1;
        return await RunItemsAsync(context, Body(context), items, "current", concurrency, failedItemsAsData: false).ConfigureAwait(false);
    }

    public static async ValueTask<StepOutcome> ScatterGatherAsync(StepContext context)
    {
        var step = (ScatterGatherStep)context.Step;
        var items = TemplateEvaluator.Evaluate(step.Scatter.Input, context.Scope);
        if (items.ValueKind != JsonValueKind.Array)
        {
            return StepOutcome.Failure($"The scatter-gather '{step.Id}' scatters {Describe(items)}, not a list.", "SCATTER_INPUT_NOT_A_LIST");
        }

        if (TooManyItems(context, items) is { } tooMany)
        {
            return tooMany;
        }

        var concurrency = Concurrency(context, step.Scatter.MaxConcurrency);
        var variable = step.Scatter.ItemVariable ?? ScatterSettings.DefaultItemVariable;
        var gathered = await RunItemsAsync(context, Body(context), items, variable, concurrency, failedItemsAsData: true).ConfigureAwait(false);
        return gathered.IsSuccess ? Gather(step, gathered.Data) : gathered;
    }

    public static async ValueTask<StepOutcome> ParallelGroupAsync(StepContext context)
    {
        var body = Body(context);
        if (body is null)
        {
            return StepOutcome.Success(JsonValues.EmptyObject);
        }

        var step = (ParallelGroupStep)context.Step;
        context.Run.Counters.RanInParallel(body.Steps.Count);
        var scope = new StepScope(context.Run, body, context.Scope, context.IterationKey + step.Id + "/") { Usage = context.Record.Usage };
        var outcome = await PlanRunner.RunAsync(scope, Concurrency(context, step.MaxConcurrency), context.CancellationToken).ConfigureAwait(false);
        if (Failure(step, outcome, null) is { } failure)
        {
            return failure;
        }

        return StepOutcome.Success(JsonValues.Write(static (writer, scope) =>
        {
            writer.WriteStartObject();
            foreach (var record in scope.Records)
            {
                writer.WritePropertyName(record!.Step.Id);
                record.Data.WriteTo(writer);
            }

            writer.WriteEndObject();
        }, scope));
    }

    private static async ValueTask<StepOutcome> RunItemsAsync(StepContext context, ExecutionPlan? body, JsonElement items, string itemName, int concurrency, bool failedItemsAsData)
    {
        var count = items.GetArrayLength();
        if (body is null || count == 0)
        {
            return StepOutcome.Success(JsonValues.EmptyArray, 0);
        }

        var step = context.Step;
        var scopes = new StepScope[count];
        var outcomes = new ListRunOutcome[count];
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        using var itemsCancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var tasks = new List<Task>(count);
        var stopped = 0;
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var i = index++;
            scopes[i] = new StepScope(context.Run, body, context.Scope, context.IterationKey + step.Id + "[" + i.ToString(CultureInfo.InvariantCulture) + "]/")
            {
                ItemName = itemName,
                Item = item,
                Index = i,
                Usage = context.Record.Usage,
            };
            try
            {
                await gate.WaitAsync(context.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped while waiting for a slot: the iterations already running are awaited below, never orphaned
                // (each releases the gate when it ends, and the gate must still exist then).
                break;
            }

            if (context.Run.Budget.Exhausted)
            {
                // The run has used up its steps or calls: no further item starts (nested containers would multiply them).
                gate.Release();
                break;
            }

            if (Volatile.Read(ref stopped) != 0)
            {
                // A loop fails at its first failed iteration: items not started yet never start (their side effects
                // would be for nothing). Items that come after the failed one are the only ones left out.
                gate.Release();
                break;
            }

            // Counted as items start, so a loop stopped at its second item reports two iterations, not all of them.
            if (failedItemsAsData)
            {
                context.Run.Counters.RanInParallel(1);
            }
            else
            {
                context.Run.Counters.LoopIterated(1);
            }

            tasks.Add(RunOneAsync(scopes[i], i));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        if (context.Run.Budget.Exhausted)
        {
            return context.Run.Budget.ExhaustedFailure(step.Id);
        }

        if (tasks.Count < count && Volatile.Read(ref stopped) == 0)
        {
            return StepOutcome.Failure("The step was cancelled.", "CANCELLED");
        }

        if (!failedItemsAsData && Array.FindIndex(outcomes, o => o.Status == ListRunStatus.Failed) is var failed and >= 0)
        {
            // Report the iteration that failed, not the ones cancelled because of it.
            return Failure(step, outcomes[failed], failed)!.Value;
        }

        for (var i = 0; i < count; i++)
        {
            if (!failedItemsAsData || outcomes[i].Status is ListRunStatus.Cancelled or ListRunStatus.Suspended)
            {
                if (Failure(step, outcomes[i], i) is { } failure)
                {
                    return failure;
                }
            }
            else if (outcomes[i].Status == ListRunStatus.Failed)
            {
                context.Run.MarkDegraded();
            }
        }

        var data = JsonValues.Write(static (writer, state) =>
        {
            writer.WriteStartArray();
            var i = 0;
            foreach (var item in state.items.EnumerateArray())
            {
                var outcome = state.outcomes[i];
                if (outcome.Status == ListRunStatus.Failed)
                {
                    // A failed scatter item is recorded, not dropped: its error and the item that caused it.
                    writer.WriteStartObject();
                    writer.WriteString("error", outcome.Error);
                    writer.WritePropertyName("item");
                    item.WriteTo(writer);
                    writer.WriteEndObject();
                }
                else if (state.from is { } from)
                {
                    WriteGatheredValue(writer, state.scopes[i], from);
                }
                else if (state.scatter)
                {
                    WriteItemData(writer, state.scopes[i]);
                }
                else
                {
                    WriteItemOutput(writer, state.scopes[i]);
                }

                i++;
            }

            writer.WriteEndArray();
        }, (items, outcomes, scopes, from: (step as ScatterGatherStep)?.Gather?.From, scatter: step is ScatterGatherStep));
        return StepOutcome.Success(data, count);

        async Task RunOneAsync(StepScope scope, int i)
        {
            try
            {
                outcomes[i] = await PlanRunner.RunAsync(scope, context.Run.Runtime.Options.MaxParallelism, itemsCancellation.Token).ConfigureAwait(false);
                if (!failedItemsAsData && outcomes[i].Status != ListRunStatus.Completed)
                {
                    Volatile.Write(ref stopped, 1);
                    if (outcomes[i].Status == ListRunStatus.Failed)
                    {
                        // A loop fails at its first failed iteration: iterations still running are cancelled.
                        await itemsCancellation.CancelAsync().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>
    /// Writes the value <c>gather.from</c> names for one item: the data of the inner step with that id (or name), or a
    /// path into it (<c>extract.total</c>); null when that step did not produce it (skipped, or the path is absent).
    /// </summary>
    private static void WriteGatheredValue(Utf8JsonWriter writer, StepScope scope, string from)
    {
        var (name, path) = GatherSource.Split(from);
        foreach (var record in scope.Records)
        {
            if (record is not null && GatherSource.Names(record.Step, name))
            {
                var value = record.Data;
                foreach (var segment in path)
                {
                    value = value.ValueKind == JsonValueKind.Object && value.TryGetProperty(segment, out var child) ? child : default;
                }

                (value.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : value).WriteTo(writer);
                return;
            }
        }

        writer.WriteNullValue();
    }

    /// <summary>
    /// How many items or children of a container run at once: the document's <c>maxConcurrency</c> can lower the host's
    /// <see cref="WorkflowOrchestratorOptions.MaxParallelism"/>, never raise it (the calls they make also share the run's
    /// <see cref="ExecutionLimits.MaxConcurrentCallsPerRun"/>).
    /// </summary>
    private static int Concurrency(StepContext context, int? requested)
    {
        var host = context.Run.Runtime.Options.MaxParallelism;
        return requested is { } asked ? Math.Clamp(asked, 1, host) : host;
    }

    /// <summary>The failure of a loop or scatter over more items than <see cref="ExecutionLimits.MaxItemsPerContainer"/>; null when within it.</summary>
    private static StepOutcome? TooManyItems(StepContext context, JsonElement items)
    {
        var max = context.Run.Budget.Limits.MaxItemsPerContainer;
        var count = items.GetArrayLength();
        return count <= max
            ? null
            : StepOutcome.Failure($"The step '{context.Step.Id}' has {count} items, over Limits.{nameof(ExecutionLimits.MaxItemsPerContainer)} ({max}).", ExecutionLimits.LimitExceededErrorCode);
    }

    /// <summary>
    /// Writes one scatter item without <c>gather.from</c>: an object of the inner steps' <c>data</c> by step id (the
    /// stored-documents reading, like a parallel group's data), so <c>classify.category</c> reads an item's field.
    /// </summary>
    private static void WriteItemData(Utf8JsonWriter writer, StepScope scope)
    {
        writer.WriteStartObject();
        foreach (var record in scope.Records)
        {
            writer.WritePropertyName(record!.Step.Id);
            (record.Data.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : record.Data).WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteItemOutput(Utf8JsonWriter writer, StepScope scope)
    {
        writer.WriteStartObject();
        foreach (var record in scope.Records)
        {
            writer.WriteStartObject(record!.Step.Id);
            writer.WritePropertyName("data");
            record.Data.WriteTo(writer);
            writer.WritePropertyName("metadata");
            record.GetField("metadata").WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static StepOutcome Gather(ScatterGatherStep step, JsonElement collected)
    {
        var gather = step.Gather ?? new GatherSettings();
        JsonElement result;
        switch (gather.Operation)
        {
            case GatherOperation.Collect:
                result = collected;
                break;
            case GatherOperation.Merge:
                result = JsonValues.Write(static (writer, list) =>
                {
                    // Shallow merge of the per-item objects, later items winning.
                    var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    foreach (var item in list.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object)
                        {
                            foreach (var property in item.EnumerateObject())
                            {
                                merged[property.Name] = property.Value;
                            }
                        }
                    }

                    writer.WriteStartObject();
                    foreach (var (name, value) in merged)
                    {
                        writer.WritePropertyName(name);
                        value.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                }, collected);
                break;
            default:
                return StepOutcome.Failure(
                    $"The scatter-gather '{step.Id}' asks for a 'reduce' gather, which needs a reduce expression this version does not evaluate; use 'collect' and a reduce transform.",
                    "UNSUPPORTED_GATHER");
        }

        // The gathered result is the step's data as it is: gather.outputKey names it (the planner indexes it like an
        // output_variable), it does not wrap it.
        return StepOutcome.Success(result, collected.GetArrayLength());
    }

    private static StepOutcome? Failure(WorkflowStep step, ListRunOutcome outcome, int? item) => outcome.Status switch
    {
        ListRunStatus.Failed => StepOutcome.Failure(
            item is null ? $"Inner step '{outcome.FailedStepId}' of '{step.Id}' failed: {outcome.Error}" : $"Item {item} of '{step.Id}': {outcome.Error}",
            outcome.ErrorCode),
        ListRunStatus.Cancelled => StepOutcome.Failure("The step was cancelled.", "CANCELLED"),
        ListRunStatus.Suspended => StepOutcome.Failure(
            $"An approval inside '{step.Id}' cannot suspend the run: approvals are supported at the top level of a workflow only.",
            "NESTED_APPROVAL_UNSUPPORTED"),
        _ => null,
    };

    private static ExecutionPlan? Body(StepContext context) =>
        context.Scope.Plan.TryGetStep(context.StepId, out var planned) ? planned.Body : null;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "nothing (null)",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
