using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Extensions.AI.Authoring;

/// <summary>
/// Turns a request in words into a workflow that plans cleanly against the host's plugins: asks an
/// <see cref="IChatClient"/> for a workflow under the strict structured-output schema, loads and plans it, and sends the
/// diagnostics (codes, step ids, JSON paths, "did you mean") back for a bounded number of repair rounds. Errors and
/// unknown-field warnings (a misspelt field is dropped, so the workflow would not do what was asked) are repaired.
/// </summary>
/// <remarks>
/// The conversation is kept across rounds (the model sees its own last attempt and what was wrong with it), so a
/// repair costs the history's tokens again; <see cref="WorkflowGeneratorOptions.MaxRepairRounds"/> bounds that.
/// Exceptions of the chat client are not caught: a provider failure is the caller's to handle.
/// </remarks>
public sealed class WorkflowGenerator
{
    private static readonly Lazy<JsonElement> s_schema = new(() =>
    {
        using var document = JsonDocument.Parse(WorkflowSchema.StructuredOutputJson);
        return document.RootElement.Clone();
    });

    private readonly IChatClient _chatClient;
    private readonly WorkflowGeneratorOptions _options;

    /// <summary>Creates a generator that asks <paramref name="chatClient"/>.</summary>
    /// <param name="chatClient">The chat client (or pipeline); not disposed by the generator.</param>
    /// <param name="options">How to ask; the defaults when null.</param>
    public WorkflowGenerator(IChatClient chatClient, WorkflowGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _chatClient = chatClient;
        _options = options ?? new WorkflowGeneratorOptions();
        if (_options.MaxRepairRounds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxRepairRounds, "MaxRepairRounds cannot be negative.");
        }
    }

    /// <summary>Generates a workflow, repairing it until it plans or the rounds run out.</summary>
    /// <param name="request">What to generate.</param>
    /// <param name="cancellationToken">Stops the generation.</param>
    /// <returns>The plan (when one planned), the rounds taken, the tokens used and the diagnostics left.</returns>
    public async Task<WorkflowGenerationResult> GenerateAsync(WorkflowGenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Request);
        var planner = new WorkflowPlanner(request.Plugins.Count == 0 ? null : new InMemoryPluginCatalog(request.Plugins));
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt(request, _options.UseStructuredOutput)),
            new(ChatRole.User, request.Request),
        };
        var chatOptions = new ChatOptions { ModelId = _options.ModelId, Temperature = _options.Temperature };
        if (_options.UseStructuredOutput)
        {
            chatOptions.ResponseFormat = ChatResponseFormat.ForJsonSchema(s_schema.Value, "workflow", "An Orchestrator.Core workflow document (agent record).");
        }

        long inputTokens = 0, outputTokens = 0;
        var rounds = 0;
        while (true)
        {
            rounds++;
            var response = await _chatClient.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
            inputTokens += response.Usage?.InputTokenCount ?? 0;
            outputTokens += response.Usage?.OutputTokenCount ?? 0;
            var reply = response.Text;
            var document = _options.UseStructuredOutput ? WorkflowSchema.FromStructuredOutput(StripFence(reply)) : StripFence(reply);
            var planning = planner.Plan(WorkflowJson.Load(document));
            // Unknown fields plan (they are only warnings) but are dropped: a generated workflow gets them fixed too.
            var needsRepair = !planning.Succeeded || planning.Diagnostics.Any(d => d.Code == DiagnosticCodes.UnknownField);
            if (!needsRepair || rounds > _options.MaxRepairRounds)
            {
                return new WorkflowGenerationResult
                {
                    Plan = planning.Plan,
                    Document = document,
                    Rounds = rounds,
                    InputTokens = inputTokens,
                    OutputTokens = outputTokens,
                    Diagnostics = planning.Diagnostics,
                };
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, reply));
            messages.Add(new ChatMessage(ChatRole.User, RepairPrompt(planning.Diagnostics)));
        }
    }

    /// <summary>The message that sends a failed attempt's diagnostics back: every error, with its code, step and path.</summary>
    /// <param name="diagnostics">The diagnostics of loading and planning the attempt.</param>
    /// <returns>The message.</returns>
    internal static string RepairPrompt(IReadOnlyList<WorkflowDiagnostic> diagnostics)
    {
        var text = new StringBuilder();
        text.AppendLine("That workflow cannot run. Loading and planning it reported:");
        foreach (var diagnostic in diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info))
        {
            text.Append("- ").Append(diagnostic.IsError ? "error " : "warning ").Append(diagnostic.Code);
            if (diagnostic.StepId is { } stepId)
            {
                text.Append(CultureInfo.InvariantCulture, $" in step '{stepId}'");
            }

            if (diagnostic.Path is { } path)
            {
                text.Append(CultureInfo.InvariantCulture, $" at {path}");
            }

            text.Append(": ").AppendLine(diagnostic.Message);
        }

        text.Append("Fix every error and reply with the whole corrected workflow, nothing else.");
        return text.ToString();
    }

    private static string SystemPrompt(WorkflowGenerationRequest request, bool structured)
    {
        var text = new StringBuilder();
        text.AppendLine("You write workflows for Orchestrator.Core: JSON agent records { agent_name, description, input_schema, workflow_steps, output_schema }.");
        text.AppendLine("Each step has a unique id and a type (action, ai_processing, llm_decision, conditional, loop, transform, delay, parallel_group, switch, scatter_gather, enrichment, validation, comparison, sub_workflow, human_approval).");
        text.AppendLine("Steps read data with templates: {{input.name}} for a run's inputs, {{stepId.data.field}} for a finished step's data; the planner orders steps by what they read.");
        text.AppendLine("Call only the plugins, actions and parameters listed below, and pass every required parameter.");
        if (structured)
        {
            text.AppendLine("Fields you do not use are null. Free-form values (params, prompt, input, inputs, value, fallback, mapping, ...) are JSON text: an object as its JSON (\"{\\\"q\\\": \\\"{{input.query}}\\\"}\"), a string as a JSON string (\"\\\"Summarise {{search.data}}\\\"\").");
        }
        else
        {
            text.AppendLine("Reply with the workflow's JSON only.");
        }

        text.AppendLine();
        text.AppendLine("Plugins:");
        if (request.Plugins.Count == 0)
        {
            text.AppendLine("(none: the workflow may only use steps that call no plugin)");
        }

        foreach (var plugin in request.Plugins)
        {
            text.Append("- ").Append(plugin.Name).AppendLine(plugin.Description is null ? string.Empty : ": " + plugin.Description);
            foreach (var action in plugin.Actions)
            {
                text.Append("  - action ").Append(action.Name).AppendLine(action.Description is null ? string.Empty : ": " + action.Description);
                foreach (var parameter in action.Parameters)
                {
                    text.Append(CultureInfo.InvariantCulture, $"    - {parameter.Name}{(parameter.Type is null ? string.Empty : " (" + parameter.Type + ")")}{(parameter.Required ? ", required" : string.Empty)}")
                        .AppendLine(parameter.Description is null ? string.Empty : ": " + parameter.Description);
                }
            }
        }

        for (var i = 0; i < request.Examples.Count; i++)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Example {i + 1}:");
            text.AppendLine(request.Examples[i]);
        }

        return text.ToString();
    }

    /// <summary>A reply wrapped in a Markdown code fence (models do that without structured output) is unwrapped.</summary>
    private static string StripFence(string reply)
    {
        var text = reply.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        var end = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && end > firstLine ? text[(firstLine + 1)..end].Trim() : text;
    }
}
