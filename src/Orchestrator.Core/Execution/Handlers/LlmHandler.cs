using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary>
/// <c>llm_decision</c> and <c>ai_processing</c>: sends the rendered prompt (with the memory context), records tokens and
/// model, and shapes the reply into <c>{ decision, reasoning, ...fields of a JSON reply }</c>. A reply that breaks the
/// step's <c>outputSchema</c> or is none of its <c>options</c> is a retryable failure, so a retry policy can ask again.
/// The reply is data: <c>{{...}}</c> inside it is never expanded.
/// </summary>
internal static class LlmHandler
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<StepOutcome> ExecuteAsync(StepContext context)
    {
        var step = (LlmStep)context.Step;
        var usage = context.Record.Usage;
        var ceiling = context.Run.Runtime.Options.MaxRunCost;
        if (usage.LimitReached || (ceiling is { } limit && usage.Root.Cost >= limit))
        {
            // The run has spent what it may: no further call starts.
            usage.MarkLimitReached();
            return CostLimitFailure(context);
        }

        var task = AiTask.Of(step, context.Scope);
        var request = new LlmRequest
        {
            ExecutionId = context.ExecutionId,
            StepId = step.Id,
            SystemPrompt = SystemPrompt(step, context, task),
            Prompt = UserPrompt(step, context, task),
            Model = step.Model,
            Temperature = step.Temperature,
            MaxTokens = step.MaxTokens,
            ResponseSchema = step.OutputSchema?.Value,
            Options = step.Options.IsEmpty && task is { Fields.Length: 0, Labels.Length: > 0 } ? EquatableArray<string>.UnsafeWrap(task.Labels) : step.Options,
        };

        if (context.Run.Budget.TryStartCall(step.Id) is { } overBudget)
        {
            return overBudget;
        }

        LlmResponse response;
        await context.Run.Budget.EnterAsync(context.CancellationToken).ConfigureAwait(false);
        var activity = OrchestratorTelemetry.StartChat(step.Model);
        try
        {
            response = await context.Run.Runtime.Llm.CompleteAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            OrchestratorTelemetry.ChatFinished(activity, step.Model, null, 0, 0, "CANCELLED");
            throw;
        }
        catch (Exception ex)
        {
            OrchestratorTelemetry.ChatFinished(activity, step.Model, null, 0, 0, "LLM_EXCEPTION");
            return StepOutcome.Failure($"The LLM call threw {ex.GetType().Name}: {ex.Message}", "LLM_EXCEPTION");
        }
        finally
        {
            context.Run.Budget.Exit();
        }

        var (inputTokens, outputTokens) = Runtime.TokenCounts.Validate(context.Run, step.Id, response.InputTokens, response.OutputTokens);
        OrchestratorTelemetry.ChatFinished(activity, step.Model, response.Model, inputTokens, outputTokens, null);

        var model = response.Model ?? step.Model;
        var cost = CostOf(context.Run, model, inputTokens, outputTokens);
        usage.Add(inputTokens, outputTokens, cost);
        OrchestratorTelemetry.RecordCost(cost, step.Model);
        context.Record.Model = model;
        if (ceiling is { } max && usage.Root.Cost > max)
        {
            // The call that crossed the ceiling is the last: its reply is dropped, and the run stops.
            usage.MarkLimitReached();
            Log.CostLimitReached(context.Run.Runtime.Logger, context.ExecutionId, step.Id, max);
            context.Run.Audit?.Write(
                AuditEventKind.CostLimitReached,
                $"The run reached its cost ceiling of {max.ToString(System.Globalization.CultureInfo.InvariantCulture)} at step '{step.Id}' and stops.",
                context.IterationKey + step.Id);
            return CostLimitFailure(context);
        }

        if (task is { Fields.Length: > 0 })
        {
            // Declared output fields: the reply is the step's data, once it is JSON with those fields.
            var reply = TryParseJson((response.Text ?? string.Empty).Trim());
            return task.FindProblem(reply) is { } problem
                ? StepOutcome.Failure(problem, AiTask.InvalidOutputCode, retryable: true)
                : StepOutcome.Success(reply!.Value);
        }

        return Shape(task is { Fields.Length: 0, Labels.Length: > 0 } && step.Options.IsEmpty ? step with { Options = EquatableArray<string>.UnsafeWrap(task.Labels) } : step, response.Text ?? string.Empty);
    }

    /// <summary>The cost of one call from the price table; 0 (with a warning on the run, once per model) for a model without a price.</summary>
    internal static decimal CostOf(Runtime.RunContext run, string? model, long inputTokens, long outputTokens)
    {
        if (run.Runtime.Prices.Find(model) is { } price)
        {
            return price.CostOf(inputTokens, outputTokens);
        }

        if (!run.Runtime.Prices.IsEmpty)
        {
            run.WarnOnce("price:" + model, $"The pricing table has no price for the model '{model ?? "(none named)"}': its calls count as costing 0.");
        }

        return 0m;
    }

    private static StepOutcome CostLimitFailure(StepContext context) => StepOutcome.Failure(
        $"The run reached its cost ceiling ({nameof(WorkflowOrchestratorOptions.MaxRunCost)} = {context.Run.Runtime.Options.MaxRunCost?.ToString(System.Globalization.CultureInfo.InvariantCulture)}): no further LLM call is made.",
        WorkflowOrchestratorOptions.CostLimitErrorCode);

    internal static StepOutcome Shape(LlmStep step, string text)
    {
        var reply = text.Trim();
        var json = TryParseJson(reply);
        if (step.OutputSchema is { } schema)
        {
            if (json is not { } parsed)
            {
                return StepOutcome.Failure("The LLM reply is not the JSON the step's outputSchema asks for.", "LLM_INVALID_OUTPUT", retryable: true);
            }

            if (JsonSchemaCheck.FindProblem(parsed, schema.Value) is { } problem)
            {
                return StepOutcome.Failure("The LLM reply does not match the step's outputSchema: " + problem, "LLM_INVALID_OUTPUT", retryable: true);
            }
        }

        var decision = reply;
        if (json is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty("decision", out var declared) && declared.ValueKind == JsonValueKind.String)
        {
            decision = declared.GetString()!;
        }

        if (!step.Options.IsEmpty)
        {
            if (MatchOption(step.Options, decision) is not { } option)
            {
                return StepOutcome.Failure(
                    $"The LLM reply is none of the step's options ({string.Join(", ", step.Options)}).",
                    "LLM_INVALID_DECISION",
                    retryable: true);
            }

            decision = option;
        }

        return StepOutcome.Success(JsonValues.Write(static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("decision", state.decision);
            writer.WriteString("reasoning", state.reply);
            if (state.json is { ValueKind: JsonValueKind.Object } fields)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    if (field.Name is not ("decision" or "reasoning"))
                    {
                        field.WriteTo(writer);
                    }
                }
            }
            else if (state.json is { } other)
            {
                writer.WritePropertyName("value");
                other.WriteTo(writer);
            }

            writer.WriteEndObject();
        }, (decision, reply, json)));
    }

    private static string? SystemPrompt(LlmStep step, StepContext context, AiTask? task)
    {
        var builder = new StringBuilder();
        if (MemoryText(context.Run) is { Length: > 0 } memoryText)
        {
            builder.Append("What you remember from earlier runs:\n").Append(memoryText).Append("\n\n");
        }

        if (task is not null)
        {
            task.DescribeTo(builder, task.Input.ValueKind == JsonValueKind.Array);
            if (task.Fields.Length > 0 || task.Labels.Length > 0)
            {
                return builder.ToString();
            }
        }

        if (!step.Options.IsEmpty)
        {
            builder.Append("Answer with exactly one of: ").Append(string.Join(", ", step.Options)).Append('.');
        }
        else if (step.OutputSchema is { } schema)
        {
            builder.Append("Reply with JSON only, matching this JSON Schema: ").Append(schema.Value.GetRawText());
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>
    /// The memory text the run was given: the injected text as it is when this run injected it (its <c>{{memory.*}}</c>
    /// JSON is made from it, and would be made, and its text copied out again, for every LLM step), else the
    /// <c>context</c> of the memory JSON a resumed run or a sub-workflow was given.
    /// </summary>
    private static string? MemoryText(Runtime.RunContext run) =>
        run.InjectedMemory is { } injected
            ? injected.Context
            : run.Memory.ValueKind == JsonValueKind.Object && run.Memory.TryGetProperty("context", out var memory) ? JsonValues.ToText(memory) : null;

    private static string UserPrompt(LlmStep step, StepContext context, AiTask? task)
    {
        var prompt = step.Prompt is null && task?.Instruction is { } instruction ? instruction : context.Prompt ?? string.Empty;
        if (task is not null && task.Instruction is { } extra && step.Prompt is not null && !string.Equals(extra, prompt, StringComparison.Ordinal))
        {
            prompt += "\n\n" + extra;
        }

        if (task is not null && task.Input.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            prompt += "\n\nInput:\n" + task.Input.GetRawText();
        }

        return context.Parameters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            ? prompt
            : prompt + "\n\nContext:\n" + context.Parameters.GetRawText();
    }

    /// <summary>The reply's JSON (fenced or not), or <see langword="null"/> when it is not JSON.</summary>
    internal static JsonElement? TryParseJson(string reply)
    {
        var text = JsonPart(reply);
        if (text.IsEmpty || text.Span[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The part of a reply that should be JSON: what a Markdown fence holds when the reply has one (models often fence
    /// JSON, sometimes after a sentence: "Here it is:\n```json ... ```"), else the whole reply.
    /// </summary>
    internal static ReadOnlyMemory<char> JsonPart(string reply)
    {
        var open = reply.IndexOf("```", StringComparison.Ordinal);
        if (open >= 0)
        {
            var firstLine = reply.IndexOf('\n', open);
            var fence = reply.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > open && fence > firstLine)
            {
                return reply.AsMemory((firstLine + 1)..fence).Trim();
            }
        }

        return reply.AsMemory();
    }

    private static string? MatchOption(EquatableArray<string> options, string reply)
    {
        var cleaned = reply.Trim().Trim('"', '\'', '.', '!', ' ', '*');
        foreach (var option in options)
        {
            if (string.Equals(option, cleaned, StringComparison.OrdinalIgnoreCase))
            {
                return option;
            }
        }

        // A reply that names exactly one option as a word ("This is urgent.") counts as that option. Longer options are
        // looked for first and blanked out, so "not urgent" does not also count as "urgent".
        var sorted = new List<string>(options.Count);
        foreach (var option in options)
        {
            sorted.Add(option);
        }

        sorted.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        var text = reply;
        string? only = null;
        foreach (var option in sorted)
        {
            if (option.Length > 0 && ContainsWord(text, option))
            {
                if (only is not null)
                {
                    return null;
                }

                only = option;
                text = BlankOut(text, option);
            }
        }

        return only;
    }

    private static string BlankOut(string text, string word)
    {
        var builder = new StringBuilder(text);
        var at = 0;
        while ((at = text.IndexOf(word, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            for (var i = 0; i < word.Length; i++)
            {
                builder[at + i] = ' ';
            }

            at += word.Length;
        }

        return builder.ToString();
    }

    private static bool ContainsWord(string text, string word)
    {
        var at = 0;
        while ((at = text.IndexOf(word, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var after = at + word.Length == text.Length || !char.IsLetterOrDigit(text[at + word.Length]);
            if (before && after)
            {
                return true;
            }

            at += word.Length;
        }

        return false;
    }
}
